"""The procedures' REST API holds the pages' permission matrix: effective text for
every reader, other revisions for the procedure's officers, reviewers and
approvers, 404 for whoever may not know a thing exists. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL."""

import pytest
from rest_framework.test import APIClient

from procedures import services
from procedures.models import AccessLog
from procedures.search import effective_search
from tests.api_client import client_for
from tests.factories import draft, effective

pytestmark = pytest.mark.django_db

API = "/api/v1/procedures/"


@pytest.fixture
def docs(people):
    """A1 effective in A with a draft revision 2; A2 a draft only (A); B1 effective in B."""
    officer, officer_b, approver = people["officer"], people["officer_b"], people["approver"]
    a1 = effective(author=officer, approver=approver, code="QT-TNMT-01",
                   title="Quy trình đăng ký đất đai", body="Tiếp nhận hồ sơ đất đai.")
    services.version_start_revision(procedure=a1.procedure, actor=officer)
    draft(author=officer, code="QT-TNMT-02", title="Quy trình thu hồi đất")
    effective(author=officer_b, approver=approver, code="QT-QLDT-01", title="Quy trình cấp phép xây dựng")
    return a1


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


LIST = {
    "officer": ["QT-QLDT-01", "QT-TNMT-01"],
    "officer_b": ["QT-QLDT-01", "QT-TNMT-01"],
    "staff": ["QT-QLDT-01", "QT-TNMT-01"],
    "auditor": ["QT-QLDT-01", "QT-TNMT-01"],
    "admin": ["QT-QLDT-01", "QT-TNMT-01"],
    "nobody": [],
}


@pytest.mark.parametrize("who", LIST)
def test_the_list_holds_effective_procedures_only(people, docs, who):
    assert codes(client_for(people[who]).get(API)) == LIST[who]


# Revisions of QT-TNMT-01 each may list (None: 404), and of the draft-only QT-TNMT-02.
VERSIONS = {
    "officer": ([2, 1], [1]),      # author and officer of department A
    "officer2": ([2, 1], [1]),     # officer of A: grantee through the services
    "approver": ([2, 1], [1]),
    "officer_b": ([1], None),      # officer of B: a stranger to A's drafts
    "staff": ([1], None),
    "nobody": (None, None),
    "admin": ([2, 1], [1]),
}


@pytest.mark.parametrize("who", VERSIONS)
def test_versions_as_the_pages_allow(people, docs, who):
    client = client_for(people[who])
    for code, expected in zip(("QT-TNMT-01", "QT-TNMT-02"), VERSIONS[who], strict=True):
        response = client.get(API + code + "/versions/")
        if expected is None:
            assert response.status_code == 404
        else:
            assert response.status_code == 200, response.content
            assert [v["revision"] for v in response.json()["results"]] == expected
        draft_page = client.get(API + code + "/versions/" + str(expected[0] if expected else 1) + "/")
        assert draft_page.status_code == (200 if expected else 404)


@pytest.mark.parametrize("who, status", [("staff", 404), ("officer_b", 404), ("officer", 200)])
def test_a_draft_revision_by_number(people, docs, who, status):
    assert client_for(people[who]).get(API + "QT-TNMT-01/versions/2/").status_code == status


def test_detail_carries_text_clauses_and_files_and_is_logged(people, docs):
    staff = people["staff"]
    response = client_for(staff).get(API + "QT-TNMT-01/")
    assert response.status_code == 200
    data = response.json()
    assert (data["revision"], data["state"], data["body"]) == (1, "effective", "Tiếp nhận hồ sơ đất đai.")
    assert data["clauses"] == [{"edition": 2008, "number": "4.2.3", "title_vi": data["clauses"][0]["title_vi"],
                                "title_en": data["clauses"][0]["title_en"]}]
    assert data["attachments"] == []
    assert data["department"]["code"] == "tnmt"
    assert AccessLog.objects.filter(user=staff, version=docs, action=AccessLog.Action.VIEW).count() == 1


@pytest.mark.parametrize("who", ["nobody", "staff"])
def test_hidden_or_unreleased_detail_is_404(people, docs, who):
    client = client_for(people[who])
    assert client.get(API + "QT-TNMT-02/").status_code == 404
    if who == "nobody":
        assert client.get(API + "QT-TNMT-01/").status_code == 404


def test_search_uses_the_page_ranking(people, docs):
    staff = people["staff"]
    for query in ["dat dai", "QT", "xây dựng", "quy trinh"]:
        expected = [v.procedure.code for v in effective_search(user=staff, query=query)]
        assert codes(client_for(staff).get(API, {"q": query})) == expected


def test_no_token_is_401_in_vietnamese_and_english(docs):
    response = APIClient().get(API)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    vi = response.json()["detail"]
    en = APIClient(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(API).json()["detail"]
    assert vi.startswith("Chưa xác thực") and en.startswith("Not authenticated")


def test_a_wrong_token_is_refused(docs):
    response = APIClient(HTTP_AUTHORIZATION="Token " + "0" * 40).get(API)
    assert response.status_code == 401


def test_an_inactive_users_token_is_refused(people, docs):
    client = client_for(people["staff"])
    people["staff"].is_active = False
    people["staff"].save()
    assert client.get(API).status_code == 401


def test_the_browser_session_works(people, docs, client):
    client.force_login(people["staff"])
    assert client.get(API + "QT-TNMT-01/").status_code == 200


def test_bad_filter_is_a_400_in_the_callers_language(people, docs):
    vi = client_for(people["staff"]).get(API, {"kind": "nope"})
    assert vi.status_code == 400
    body = vi.json()
    assert body["code"] == "invalid"
    assert body["errors"]["kind"] == ["Loại tài liệu đã chọn không tồn tại."]
    en = client_for(people["staff"], "en").get(API, {"kind": "nope"}).json()
    assert en["errors"]["kind"] == ["The selected document type does not exist."]
    assert client_for(people["staff"]).get(API, {"page": "99"}).status_code == 404
    assert client_for(people["staff"]).get(API, {"q": "x" * 500}).status_code == 400


def test_a_404_body_is_translated(people, docs):
    vi = client_for(people["staff"]).get(API + "KHONG-CO/").json()
    en = client_for(people["staff"], "en").get(API + "KHONG-CO/").json()
    assert vi["code"] == en["code"] == "not_found"
    assert vi["detail"] == "Không tìm thấy, hoặc bạn không có quyền xem."
    assert en["detail"] == "Not found, or you may not see it."


@pytest.mark.parametrize("rows", [2, 30])
def test_list_query_count_does_not_grow(people, django_assert_max_num_queries, rows):
    for _ in range(rows):
        effective(author=people["officer"], approver=people["approver"])
    client = client_for(people["staff"])
    with django_assert_max_num_queries(12):
        assert len(codes(client.get(API))) == min(rows, 25)
