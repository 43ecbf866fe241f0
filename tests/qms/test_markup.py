"""qms.markup: the one renderer of procedure bodies, for the page and for the PDF."""

from reportlab.platypus import Paragraph, Table

from qms import markup

GLUED = "Bảng phân công:\n| Bước | Nội dung |\n|---|---|\n| 1 | Tiếp nhận hồ sơ |\nSau bảng là đoạn văn."


def test_a_table_glued_to_the_line_above_is_a_table():
    html = markup.to_html(GLUED)
    assert "<p>Bảng phân công:</p>\n<table>" in html
    assert "<th>Bước</th>" in html and "<td>Tiếp nhận hồ sơ</td>" in html
    assert "<p>Sau bảng là đoạn văn.</p>" in html  # the paragraph after the table stays one
    assert "|" not in html


def test_lists_glued_to_text_are_lists_and_the_next_line_a_paragraph():
    html = markup.to_html("Các bước:\n1. Tiếp nhận\n2. Thẩm định\nKết thúc.\n- một\n- hai")
    assert "<ol>\n<li>Tiếp nhận</li>\n<li>Thẩm định</li>\n</ol>\n<p>Kết thúc.</p>" in html
    assert "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>" in html


def test_html_is_sanitised():
    html = markup.to_html("# Tiêu đề\n<script>alert(1)</script>\n[x](javascript:alert(1))")
    assert "<h1>Tiêu đề</h1>" in html and "<script>" not in html and "javascript:" not in html


def test_fenced_code_is_left_alone():
    assert "<pre><code>| a |\n1. b\n</code></pre>" in markup.to_html("Mã:\n\n```\n| a |\n1. b\n```")


def test_pdf_flowables_are_a_real_table_with_a_header_row_and_lists():
    flow = markup.to_flowables(GLUED + "\n- một\n- hai")
    tables = [f for f in flow if isinstance(f, Table)]
    assert len(tables) == 1
    table = tables[0]
    assert table.repeatRows == 1  # the header row repeats on each page
    cells = [[c.getPlainText() for c in row] for row in table._cellvalues]
    assert cells == [["Bước", "Nội dung"], ["1", "Tiếp nhận hồ sơ"]]
    texts = [f.getPlainText() for f in flow if isinstance(f, Paragraph)]
    assert texts == ["Bảng phân công:", "Sau bảng là đoạn văn.", "một", "hai"]
    bullets = [f.bulletText for f in flow if isinstance(f, Paragraph) and f.bulletText]
    assert bullets == ["•", "•"]
    assert not any("|" in t for t in texts)


def test_pdf_headings_take_the_heading_styles_by_level():
    flow = markup.to_flowables("# Mục đích\nNội dung.\n## Phạm vi\n### Chi tiết")
    headings = [(f.getPlainText(), f.style.name) for f in flow
                if isinstance(f, Paragraph) and "Heading" in f.style.name]
    assert [text for text, _style in headings] == ["Mục đích", "Phạm vi", "Chi tiết"]
    assert len({style for _text, style in headings}) == 3  # one style per level
