"""Rendering is bounded: odd Markdown renders safely on the page and in the PDF, long
text is cut into bounded paragraphs, and the forms state the longest text."""

import re

import pytest

from audits.forms import ChecklistAnswerForm, FindingForm
from bench.pdf_size_bench import audit_report, controlled_copy
from procedures.forms import VersionForm
from qms import limits, markup
from qms import pdf as qpdf

HOSTILE_BODIES = [
    "- " * 500 + "x",
    "1. " * 500 + "x",
    "* - + " * 200 + "x",
    "> " * 500 + "x",
    ">" * 3000 + "x",
    '<ol start="abc"><li>một</li></ol>',
    '<ol start="99999999999999999999"><li>một</li></ol>',
    "<ul>" * 400 + "<li>sâu</li>",
    "    " * 300 + "- x",
    "|" * 5000,
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_odd_markdown_renders_on_the_page_and_in_the_pdf(body):
    html = markup.to_html(body)
    assert "<script" not in html
    assert controlled_copy(body).startswith(b"%PDF-")


def test_an_odd_list_start_is_dropped_from_the_page():
    assert markup.to_html('<ol start="abc"><li>x</li></ol>') == "<ol><li>x</li></ol>"
    assert 'start="3"' in markup.to_html('<ol start="3"><li>x</li></ol>')


def test_deep_markers_past_the_limit_stay_as_text():
    html = markup.to_html("1. " * 50 + "cuối")
    assert html.count("<ol>") == markup.MAX_DEPTH
    assert "cuối" in html


def test_split_markup_keeps_every_character_and_balances_tags():
    text = "<b>" + "đậm &amp; rõ " * 1000 + "</b><br/>" + "thường " * 1000
    chunks = qpdf.split_markup(text, 500)
    assert len(chunks) > 10
    assert all(len(c) <= 520 for c in chunks)
    for chunk in chunks:
        assert chunk.count("<b>") == chunk.count("</b>")
        assert not re.search(r"&[a-z]*$", chunk)  # no entity cut in half

    def words(s):
        return re.sub(r"<[^>]+>", " ", s).split()

    assert words(" ".join(chunks)) == words(text)


def test_a_long_statement_flows_over_pages_as_bounded_paragraphs():
    content = audit_report(statement="Phát hiện kéo dài. " * 6000)
    assert content.count(b"/Type /Page\n") > 10


def test_forms_state_the_longest_text():
    body = VersionForm(data={"body": "x" * (limits.BODY_CHARS + 1)})
    assert not body.is_valid()
    assert body.errors["body"] == [
        "Nội dung dài 200001 ký tự, vượt giới hạn 200000 ký tự."]
    note = ChecklistAnswerForm(data={"result": "conform", "notes": "y" * (limits.NOTE_CHARS + 1)})
    assert not note.is_valid()
    assert note.errors["notes"] == ["Nội dung dài 5001 ký tự, vượt giới hạn 5000 ký tự."]


@pytest.mark.django_db
def test_finding_form_refuses_a_statement_past_the_limit():
    from audits.models import ChecklistItem
    from procedures.models import ProcedureVersion
    from qms.models import OrgUnit

    form = FindingForm(data={"statement": "z" * (limits.STATEMENT_CHARS + 1)},
                       audit=type("A", (), {"checklist": ChecklistItem.objects})(),
                       departments=OrgUnit.objects.all(), versions=ProcedureVersion.objects.none(),
                       owners=OrgUnit.objects.none())
    assert not form.is_valid()
    assert form.errors["statement"] == ["Nội dung dài 10001 ký tự, vượt giới hạn 10000 ký tự."]
