"""The search page and the suggestions (issue 12, points 4 and 5): highlighted
snippets in the user's folding, the result's facts, filters with the text, the
capped count, and suggestions as one types."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from procedures import services
from procedures.search import effective_search
from qms.models import Sector
from tests.factories import effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(people):
    def _make(code, title, body="Nội dung.", **kwargs):
        return effective(author=people["officer"], approver=people["approver"], code=code,
                         title=title, body=body, **kwargs)

    return _make


def test_snippet_highlights_the_words_in_the_users_folding(people, make):
    make("QT-1", "Quy trình đăng ký", "Phần mở đầu. " * 40 + "Hồ sơ **đất đai** gồm đơn. " + "Kết thúc. " * 40)
    [row] = effective_search(user=people["staff"], query="dat dai")[0:25]
    assert "<mark>đất</mark> <mark>đai</mark>" in row.snippet
    assert row.snippet.startswith("… ") and row.snippet.endswith(" …")  # a passage, not the body
    assert "**" not in row.snippet


def test_title_and_prefix_are_highlighted_and_markup_is_escaped(people, make):
    make("QT-1", "Cấp giấy phép <xây dựng>", "Nội dung <script>x</script> xây dựng.")
    [row] = effective_search(user=people["staff"], query="giay phep xay d")[0:25]
    assert row.title_html == "Cấp <mark>giấy</mark> <mark>phép</mark> &lt;<mark>xây</mark> <mark>dựng</mark>&gt;"
    assert "<script>" not in row.snippet and "&lt;" in row.snippet


def test_the_page_shows_code_title_department_revision_date_and_snippet(client, people, make):
    version = make("QT-TNMT-09", "Quy trình đất đai", "Giao đất, cho thuê đất.")
    client.force_login(people["staff"])
    page = client.get("/procedures/", {"q": "cho thue dat"}).content.decode()
    assert "QT-TNMT-09" in page and str(version.procedure.department) in page
    assert version.effective_from.strftime("%d/%m/%Y") in page
    assert "<mark>cho</mark> <mark>thuê</mark> <mark>đất</mark>" in page
    assert re.search(r'data-label="Lần ban hành">\s*1\s*<', page)


def test_field_filter_combines_with_the_text(client, people, org, make):
    land = Sector.objects.create(code="dat-dai", name="Đất đai", department=org["a"])
    first = make("QT-1", "Quy trình đất đai")
    make("QT-2", "Quy trình đất đai khác")
    services.procedure_set_sectors(procedure=first.procedure, actor=people["admin"], sectors=[land])
    found = effective_search(user=people["staff"], query="dat dai", sector=land)
    assert [v.procedure.code for v in found[0:25]] == ["QT-1"] and found.count() == 1
    client.force_login(people["staff"])
    response = client.get("/procedures/", {"q": "dat dai", "sector": land.pk})
    assert response.context["page"].paginator.count == 1
    response = client.get("/procedures/", {"q": "dat dai", "sector": 999999})
    assert "Lĩnh vực đã chọn không tồn tại." in response.content.decode()


def test_more_than_the_cap_says_so(client, people, make, monkeypatch):
    monkeypatch.setattr("procedures.search.results.COUNT_CAP", 2)
    monkeypatch.setattr("procedures.search.results.SearchResults.cap", 2)
    for i in range(3):
        make(f"QT-{i}", "Quy trình đất đai")
    client.force_login(people["staff"])
    page = client.get("/procedures/", {"q": "dat dai"}).content.decode()
    assert "hơn 2 kết quả" in page


# ---------------------------------------------------------------- suggestions


def test_suggestions_give_codes_and_titles_as_one_types(client, people, make):
    make("QT-QLDT-01", "Cấp giấy phép xây dựng")
    make("QT-QLDT-02", "Cấp giấy phép sửa chữa", "Không cần giấy phép xây dựng mới.")
    client.force_login(people["staff"])
    items = client.get("/procedures/suggest/", {"q": "giay phep xay d"}).json()["items"]
    assert items == [{"code": "QT-QLDT-01", "title": "Cấp giấy phép xây dựng",
                      "url": "/procedures/QT-QLDT-01/"}]  # titles and codes, not bodies
    items = client.get("/procedures/suggest/", {"q": "qt-ql"}).json()["items"]
    assert sorted(i["code"] for i in items) == ["QT-QLDT-01", "QT-QLDT-02"]


@pytest.mark.parametrize("text", ["", "%", "x" * 5000, " ".join(["w"] * 50), '"', "-giay"])
def test_odd_suggestion_input_answers_an_empty_list(client, people, make, text):
    make("QT-1", "Cấp giấy phép")
    client.force_login(people["staff"])
    response = client.get("/procedures/suggest/", {"q": text})
    assert response.status_code == 200 and response.json() == {"items": []}


def test_suggestions_need_the_right_to_read(client, people, make):
    make("QT-1", "Cấp giấy phép")
    client.force_login(people["nobody"])
    assert client.get("/procedures/suggest/", {"q": "cap"}).json() == {"items": []}
    client.logout()
    assert client.get("/procedures/suggest/", {"q": "cap"}).status_code == 302


def test_the_search_box_script_is_a_local_static_file(client, people):
    client.force_login(people["staff"])
    page = client.get("/procedures/").content.decode()
    assert 'data-suggest="/procedures/suggest/"' in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("src=" in tag and "//" not in tag.split("src=")[1][:3] for tag in scripts)
    assert any("js/suggest.js" in tag for tag in scripts)
    assert (Path(settings.BASE_DIR) / "static" / "js" / "suggest.js").exists()
