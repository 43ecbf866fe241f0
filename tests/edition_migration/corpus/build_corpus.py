"""Build the files of the 2008 test set from texts.py (run once; the outputs are kept).

    .venv/bin/python tests/edition_migration/corpus/build_corpus.py

Word files with python-docx (letterhead table, bold or styled headings, Word's
list styles, tables with merged cells), ODT with odfpy (headings, numbered and
bulleted lists with their list styles, tables with spanned cells), text as UTF-8.
"""

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import texts  # noqa: E402

FILES = {
    "qt-tp-01.docx": "QT_TP_01", "qt-tnmt-12.odt": "QT_TNMT_12", "qt-ldtbxh-03.txt": "QT_LDTBXH_03",
    "qt-kt-02.docx": "QT_KT_02", "qt-mc-01.txt": "QT_MC_01", "qt-vp-04.odt": "QT_VP_04",
    "qt-vp-05.md": "QT_VP_05", "sop-hr-02.docx": "SOP_HR_02", "sop-it-01.odt": "SOP_IT_01",
    "qt-qldt-05.txt": "QT_QLDT_05",
}


def blocks(text: str):
    """("kind", payload) per block: letterhead, heading, bold, bullet, number, table, para."""
    lines = text.strip("\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("@LETTERHEAD "):
            left, right = line.removeprefix("@LETTERHEAD ").split(" || ")
            yield "letterhead", ([p.strip() for p in left.split(" / ")], [p.strip() for p in right.split(" / ")])
        elif line.startswith("|") and not line.startswith("| "):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i].strip("|").split("|"))
                i += 1
            yield "table", rows
            continue
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            yield "heading", (level, line.lstrip("#").strip())
        elif line.startswith("**") and line.endswith("**"):
            yield "bold", line.strip("*")
        elif line.startswith("- "):
            yield "bullet", line[2:]
        elif line[:1].isdigit() and ". " in line[:4]:
            yield "number", line.split(". ", 1)[1]
        else:
            yield "para", line
        i += 1


def build_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, payload in blocks(text):
        if kind == "letterhead":
            table = document.add_table(rows=1, cols=2)
            for cell, parts in zip(table.rows[0].cells, payload, strict=True):
                cell.text = parts[0]
                for part in parts[1:]:
                    cell.add_paragraph(part)
        elif kind == "table":
            width = max(len(r) for r in payload)
            table = document.add_table(rows=len(payload), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(payload):
                for c, value in enumerate(row):
                    if value == "=":
                        table.cell(r, c - 1).merge(table.cell(r, c))
                    else:
                        table.cell(r, c).text = value
        elif kind == "heading":
            document.add_heading(payload[1], level=payload[0])
        elif kind == "bold":
            document.add_paragraph().add_run(payload).bold = True
        elif kind == "bullet":
            document.add_paragraph(payload, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(payload, style="List Number")
        elif payload:
            document.add_paragraph(payload)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    numbered = ListStyle(name="Numbered")
    numbered.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    bullets = ListStyle(name="Bullets")
    bullet_level = ListLevelStyleBullet(level=1, bulletchar="•")
    bullet_level.addElement(ListLevelProperties())
    bullets.addElement(bullet_level)
    document.automaticstyles.addElement(numbered)
    document.automaticstyles.addElement(bullets)
    current, current_kind = None, None
    for kind, payload in blocks(text):
        if kind in ("bullet", "number"):
            if current is None or current_kind != kind:
                current = List(stylename=numbered if kind == "number" else bullets)
                document.text.addElement(current)
                current_kind = kind
            item = ListItem()
            item.addElement(P(text=payload))
            current.addElement(item)
            continue
        current, current_kind = None, None
        if kind == "heading":
            document.text.addElement(H(outlinelevel=payload[0], text=payload[1]))
        elif kind == "table" or kind == "letterhead":
            rows = payload if kind == "table" else [[" ".join(payload[0]), " ".join(payload[1])]]
            width = max(len(r) for r in rows)
            table = Table(name=f"T{id(rows)}")
            table.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in rows:
                element = TableRow()
                c = 0
                while c < len(row):
                    span = 1
                    while c + span < len(row) and row[c + span] == "=":
                        span += 1
                    cell = TableCell(numbercolumnsspanned=span) if span > 1 else TableCell()
                    cell.addElement(P(text=row[c]))
                    element.addElement(cell)
                    for _ in range(span - 1):
                        element.addElement(CoveredTableCell())
                    c += span
                table.addElement(element)
            document.text.addElement(table)
        else:
            document.text.addElement(P(text=payload))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build(name: str) -> bytes:
    text = getattr(texts, FILES[name])
    if name.endswith(".docx"):
        return build_docx(text)
    if name.endswith(".odt"):
        return build_odt(text)
    return text.encode("utf-8")


if __name__ == "__main__":
    for name in FILES:
        (HERE / name).write_bytes(build(name))
        print(name)
