"""A corpus of hostile files, generated (nothing binary is kept in the repository).

    .venv/bin/python tests/hostile/corpus.py DIR      # writes the files into DIR

`cases()` yields (name, bytes, family). Families: zip bombs and odd archives, nested
archives, content that does not match its extension, encodings, huge lines, control
characters, odd path names, hostile headers and Markdown. Used by
tests/hostile/test_hostile_files.py (upload and import) and bench/hostile_bench.py.
"""

import io
import sys
import zipfile
from pathlib import Path

MB = 1024 * 1024
HEADER = "QUY TRÌNH THỬ TỆP LẠ\nMã số: {code}\nLần ban hành: 01\nNgày hiệu lực: 15/03/2019\n\n"
DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
              'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def _zip(members: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(document_xml: bytes, **extra) -> bytes:
    return _zip({"[Content_Types].xml": DOCX_TYPES.encode(), "word/document.xml": document_xml, **extra})


def _odt(content_xml: bytes, mimetype=b"application/vnd.oasis.opendocument.text", **extra) -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": content_xml, **extra})


def _text(code: str, body: str) -> bytes:
    return (HEADER.format(code=code) + body).encode()


def _lying_zip() -> bytes:
    """A zip whose directory states a small size for a part that expands to 16 MB."""
    content = bytearray(_docx(b"\0" * (16 * MB)))
    # Patch the declared uncompressed size (central directory and local header) to 1000.
    real = (16 * MB).to_bytes(4, "little")
    return bytes(content.replace(real, (1000).to_bytes(4, "little")))


def cases():
    word = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    body = word + "<w:body><w:p><w:r><w:t>Mã số: QT-HOSTILE-01</w:t></w:r></w:p></w:body></w:document>".encode()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    # --- zip bombs and odd archives
    yield "bom-ty-le.docx", _docx(b"\0" * (32 * MB)), "bomb"
    yield "bom-ty-le.odt", _odt(b" " * (32 * MB)), "bomb"
    yield "bom-nhieu-phan.docx", _zip({"word/document.xml": body,
                                        **{f"p/{n}": b"" for n in range(6000)}}), "bomb"
    yield "bom-xml.docx", _docx(laughs), "bomb"
    yield "bom-noi-dung-lon.docx", _docx(body + b"<!--" + b"a" * (3 * MB) + b"-->"), "bomb"
    yield "zip-noi-doi.docx", _lying_zip(), "bomb"
    yield "zip-cat-cut.docx", _docx(body)[:300], "bomb"
    yield "zip-rong.docx", _zip({}), "bomb"
    yield "zip-khong-document.docx", _zip({"[Content_Types].xml": DOCX_TYPES.encode()}), "bomb"
    yield "zip-stored.docx", _docx(body, **{"x.bin": b"\0" * MB}), "bomb"
    yield "odt-mimetype-lon.odt", _odt(b"<x/>", mimetype=b"a" * (4 * MB)), "bomb"
    yield "odt-mimetype-sai.odt", _odt(b"<x/>", mimetype=b"application/zip"), "bomb"
    yield "odt-xml-hong.odt", _odt(b"<office:document-content><<<"), "bomb"
    yield "docx-xml-hong.docx", _docx(b"<w:document><w:body><w:p>"), "bomb"
    # --- nested archives
    inner_bomb = _zip({"bomb.bin": b"\0" * (16 * MB)})
    yield "long-zip.docx", _docx(body, **{"word/media/inner.zip": inner_bomb}), "nested"
    yield "long-docx.docx", _docx(body, **{"word/embeddings/x.docx": _docx(body)}), "nested"
    yield "zip-trong-zip.docx", _zip({"a.zip": _zip({"b.zip": inner_bomb})}), "nested"
    yield "long-odt.odt", _odt(b"<x/>", **{"Object 1/content.xml": _odt(b"<x/>")}), "nested"
    # --- content that does not match its extension
    yield "pdf-ten-docx.docx", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "mismatch"
    yield "png-ten-md.md", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "mismatch"
    yield "docx-ten-txt.txt", _docx(body), "mismatch"
    yield "txt-ten-pdf.pdf", _text("QT-HOSTILE-02", "Chỉ là văn bản."), "mismatch"
    yield "elf-ten-odt.odt", b"\x7fELF\x02\x01\x01" + b"\0" * 200, "mismatch"
    yield "ole-ten-docx.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "mismatch"
    yield "html-script.md", _text("QT-HOSTILE-03", "<script>alert(1)</script>\n<img src=x onerror=alert(1)>"), "mismatch"
    yield "rong.md", b"", "mismatch"
    yield "mot-byte.txt", b"\n", "mismatch"
    yield "exe.exe", b"MZ" + b"\0" * 100, "mismatch"
    yield "jpeg-ten-txt.txt", b"\xff\xd8\xff\xe0" + b"\0" * 50, "mismatch"
    # --- encodings
    text = HEADER.format(code="QT-HOSTILE-10") + "Tiếp nhận hồ sơ, trả kết quả đúng hẹn.\n"
    yield "utf16le-bom.txt", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"), "encoding"
    yield "utf16be-bom.txt", b"\xfe\xff" + text.encode("utf-16-be"), "encoding"
    yield "utf16-khong-bom.txt", text.encode("utf-16-le"), "encoding"
    yield "utf32.txt", text.encode("utf-32"), "encoding"
    yield "cp1258.txt", text.replace("QT-HOSTILE-10", "QT-HOSTILE-11").encode("cp1258", "replace"), "encoding"
    yield "utf8-bom.md", b"\xef\xbb\xbf" + text.replace("10", "12").encode(), "encoding"
    yield "utf8-hong.md", text.replace("10", "13").encode() + b"\xc3\x28\xa0\xa1\xff\xfe", "encoding"
    yield "nfd.md", __import__("unicodedata").normalize("NFD", text.replace("10", "14")).encode(), "encoding"
    yield "crlf-cr.md", text.replace("10", "15").replace("\n", "\r").encode() + b"\r\n\r\n", "encoding"
    yield "surrogate.md", text.replace("10", "16").encode() + b"\xed\xa0\x80", "encoding"
    # --- huge lines
    yield "dong-dai.md", _text("QT-HOSTILE-20", "a" * (2 * MB)), "huge"
    yield "ong-dan.md", _text("QT-HOSTILE-21", "|" * 200_000), "huge"
    yield "gach-dau-dong.md", _text("QT-HOSTILE-22", "- " * 5000 + "x"), "huge"
    yield "so-thu-tu.md", _text("QT-HOSTILE-23", "1. " * 5000 + "x"), "huge"
    yield "trich-dan.md", _text("QT-HOSTILE-24", ">" * 20_000 + "x"), "huge"
    yield "thut-dau-dong.md", _text("QT-HOSTILE-25", "".join("    " * n + "- x\n" for n in range(400))), "huge"
    yield "bang-rong.md", _text("QT-HOSTILE-26", "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n"), "huge"
    yield "ol-start.md", _text("QT-HOSTILE-27", '<ol start="abc"><li>x</li></ol>\n' + "<ul>" * 500), "huge"
    yield "nhieu-dong.md", _text("QT-HOSTILE-28", "dòng\n" * 300_000), "huge"
    # --- control characters
    yield "nul.txt", _text("QT-HOSTILE-30", "a\0b\0c" * 100), "control"
    yield "escape.md", _text("QT-HOSTILE-31", "\x1b[31mđỏ\x1b[0m \x07\x08\x0b\x0c"), "control"
    yield "rtl.md", _text("QT-HOSTILE-32\u202e10-TQ", "Đảo chiều \u202e văn bản \u200b\u200d\ufeff"), "control"
    yield "ma-so-gach-cheo.md", _text("QT/../01", "Mã số có gạch chéo."), "control"
    yield "ma-so-dai.md", _text("QT-" + "X" * 500, "Mã số quá dài."), "control"
    yield "ngay-9999.md", _text("QT-HOSTILE-35", "").replace(b"15/03/2019", b"01/01/9999"), "control"
    yield "ngay-0001.md", _text("QT-HOSTILE-36", "").replace(b"15/03/2019", b"01/01/0001"), "control"
    yield "lan-ban-hanh-lon.md", _text("QT-HOSTILE-37", "x").replace(b"01\n", b"99999999999999999999\n"), "control"
    # --- odd path names
    yield "-bat-dau-gach.md", _text("QT-HOSTILE-40", "x"), "name"
    yield "có dấu cách và dấu.md", _text("QT-HOSTILE-41", "x"), "name"
    yield "x" * 240 + ".md", _text("QT-HOSTILE-42", "x"), "name"
    yield ".md", _text("QT-HOSTILE-43", "x"), "name"
    yield "khong-duoi", _text("QT-HOSTILE-44", "x"), "name"
    yield "CON.md", _text("QT-HOSTILE-45", "x"), "name"
    yield "dong\nmoi.md", _text("QT-HOSTILE-46", "x"), "name"
    yield "..md", _text("QT-HOSTILE-47", "x"), "name"
    yield "DUOI-HOA.MD", _text("QT-HOSTILE-48", "x"), "name"
    yield "hai.cham.docx.md", _text("QT-HOSTILE-49", "x"), "name"


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (name, content, _family) in enumerate(cases()):
        path = directory / f"{n:02d}-{name.replace('/', '_')}"[:250]
        path.write_bytes(content)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for path in write(Path(sys.argv[1])):
        print(path)
