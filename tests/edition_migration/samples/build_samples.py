"""Build the binary sample files of this folder (run once; the outputs are kept).

    .venv/bin/python tests/edition_migration/samples/build_samples.py
"""

import io
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def docx_sample():
    import docx

    document = docx.Document()
    document.add_heading("QUY TRÌNH CẤP GIẤY PHÉP QUY HOẠCH", level=1)
    document.add_paragraph("Ký hiệu: QT-QLDT-07")
    document.add_paragraph("Ngày ban hành: 02/01/2018")
    document.add_heading("1. MỤC ĐÍCH", level=2)
    document.add_paragraph(
        "Bảo đảm hồ sơ cấp giấy phép được tiếp nhận theo điều khoản 7.2.2 và trao đổi thông tin "
        "với tổ chức, công dân theo 7.2.3 của TCVN ISO 9001:2008."
    )
    document.add_heading("2. NỘI DUNG", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [
        ("Bước", "Nội dung", "Căn cứ"),
        ("1", "Tiếp nhận hồ sơ, kiểm tra thành phần", "mục 7.5.3"),
        ("2", "Thẩm định, trình ký; nhà cung ứng dịch vụ đo vẽ được đánh giá", "xem 7.4.1"),
    ], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("2.1 Công chức thụ lý lập tờ trình trong 0,5 ngày.")
    buffer = io.BytesIO()
    document.save(buffer)
    (HERE / "qt-qldt-07.docx").write_bytes(buffer.getvalue())


def odt_sample():
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="QUY TRÌNH ĐĂNG KÝ KINH DOANH HỢP TÁC XÃ"))
    document.text.addElement(P(text="Mã số: QT-KT-04"))
    document.text.addElement(P(text="Hồ sơ được kiểm soát theo mục 4.2.4; đo lường sự hài lòng (8.2.1)."))
    table = Table(name="Buoc")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for left, right in (("Bước", "Nội dung"), ("1", "Kiểm tra theo 7.5.1")):
        row = TableRow()
        for text in (left, right):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    (HERE / "qt-kt-04.odt").write_bytes(buffer.getvalue())


def to_cp1258(text: str) -> bytes:
    """cp1258 as old Vietnamese Windows files have it: base letter + combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):
            head = unicodedata.normalize("NFC", base + mark)
            rest = marks[:i] + marks[i + 1:]
            try:
                out += head.encode("cp1258") + "".join(rest).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


CP1258_TEXT = """# QUY TRÌNH CHỨNG THỰC CHỮ KÝ
Mã số: QT-TP-09
Ngày ban hành: 20/08/2016
Hồ sơ được lưu theo mục 4.2.4; việc nhận biết hồ sơ theo điều khoản 7.5.3.
Tài sản của khách hàng được bảo quản theo 7.5.4 của TCVN ISO 9001:2008.
"""

UTF16_TEXT = """# QUY TRÌNH ĐĂNG KÝ KẾT HÔN
Mã số: QT-TP-10
Việc xem xét yêu cầu thực hiện theo mục 7.2.2 và kiểm soát sản phẩm không phù hợp theo 8.3.
"""


def text_samples():
    (HERE / "qt-tp-09-cp1258.txt").write_bytes(to_cp1258(CP1258_TEXT))
    (HERE / "qt-tp-10-utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))
    (HERE / "mat-khau.docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" * 8
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body>hỏng")
    (HERE / "hong.docx").write_bytes(buffer.getvalue())
    (HERE / "nhi-phan.txt").write_bytes(bytes(range(256)) * 4)
    (HERE / "rong.md").write_bytes(b"")


if __name__ == "__main__":
    docx_sample()
    odt_sample()
    text_samples()
