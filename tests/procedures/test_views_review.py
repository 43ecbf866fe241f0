"""The review workflow on the version page: what each person sees and may do, what
bad input gets (the page again, with the message and what was typed), its cost."""

import io

import pypdf
import pytest
from django.urls import reverse

from procedures import services
from procedures.models import Comment, ReviewAssignment, State
from tests.factories import PASSWORD, draft, submit

pytestmark = pytest.mark.django_db

URL = "/procedures/QT-V-01/versions/1/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def version(people):
    return draft(author=people["officer"], code="QT-V-01", body="Bước 1: tiếp nhận hồ sơ.")


@pytest.fixture
def routed(people, head, version):
    return submit(version, reviewers=[people["officer2"], head], approver=people["approver"])


def test_the_submit_form_offers_only_the_people_allowed(client, people, head, version):
    client.force_login(people["officer"])
    form = client.get(URL).context["submit_form"]
    assert {u.username for u in form.fields["reviewers"].queryset} == {"officer2", "head_a", "approver"}
    assert {u.username for u in form.fields["approver"].queryset} == {"head_a", "approver"}
    html = client.get(URL).content.decode()
    assert 'id="submit-form"' in html and "Người phê duyệt" in html


def test_submitting_someone_not_allowed_keeps_the_choices_and_says_why(client, people, head, version):
    client.force_login(people["officer"])
    response = client.post(URL + "submit/", {"reviewers": [people["staff"].pk, head.pk],
                                             "approver": people["approver"].pk})
    assert response.status_code == 200
    assert messages_of(response) == ["Người được chọn không có quyền xem xét tài liệu này."]
    assert response.context["submit_form"]["approver"].value() == str(people["approver"].pk)
    version.refresh_from_db()
    assert version.state == State.DRAFT


def test_naming_the_approver_as_reviewer_is_refused_on_screen(client, people, version):
    client.force_login(people["officer"])
    response = client.post(URL + "submit/", {"reviewers": [people["approver"].pk],
                                             "approver": people["approver"].pk})
    assert messages_of(response) == [
        f"Một người không được vừa xem xét vừa phê duyệt cùng một phiên bản: "
        f"{people['approver'].get_full_name()}."]


def test_submitting_through_the_screen_routes_the_draft(client, people, head, version):
    client.force_login(people["officer"])
    response = client.post(URL + "submit/", {"reviewers": [people["officer2"].pk, head.pk],
                                             "approver": people["approver"].pk})
    assert response.status_code == 302
    roles = set(ReviewAssignment.objects.values_list("person__username", "role"))
    assert roles == {("officer2", "reviewer"), ("head_a", "reviewer"), ("approver", "approver")}


@pytest.mark.parametrize("who, can", [
    ("officer", {"recall", "comment"}),  # the author comments on (answers) the text
    ("officer2", {"review", "return", "comment", "recall"}),  # named, and an author
    ("head", {"review", "return", "comment"}),
    ("approver", {"return", "comment"}),  # approval opens once both reviewers signed
    ("officer_b", None),
])
def test_each_person_sees_their_own_step(client, people, head, routed, who, can):
    user = head if who == "head" else people[who]
    client.force_login(user)
    response = client.get(URL)
    if can is None:
        assert response.status_code == 404
        return
    flags = {k for k in ("recall", "review", "approve", "return", "comment") if response.context["can"][k]}
    assert flags == can


def test_the_approver_gets_the_approval_form_once_every_reviewer_signed(client, people, head, routed):
    client.force_login(people["approver"])
    page = client.get(URL).content.decode()
    assert 'id="approve-form"' not in page
    assert "Đang chờ người xem xét ký; bước phê duyệt mở khi tất cả đã ký." in page
    for reviewer in (people["officer2"], head):
        services.version_review(version=routed, actor=reviewer, password=PASSWORD)
    page = client.get(URL).content.decode()
    assert 'id="approve-form"' in page
    assert "Mọi người xem xét đã ký: đang chờ phê duyệt." in page


def test_the_routing_table_shows_each_round(client, people, head, routed):
    services.version_review(version=routed, actor=head, password=PASSWORD)
    services.version_return(version=routed, actor=people["officer2"], password=PASSWORD,
                            reason="Thiếu lưu đồ")
    submit(routed, reviewers=[people["officer2"]], approver=people["approver"])
    client.force_login(people["officer"])
    response = client.get(URL)
    rounds = response.context["rounds"]
    assert [n for n, _ in rounds] == [2, 1]
    assert [(a.person.username, a.status) for a in rounds[1][1]] == [
        ("officer2", "returned"), ("head_a", "signed"), ("approver", "closed")]
    html = response.content.decode()
    assert "Lần trình 2" in html and "Lần trình 1" in html and "Thiếu lưu đồ" in html


def test_return_on_screen_asks_reason_and_password_and_keeps_the_reason(client, people, routed):
    client.force_login(people["officer2"])
    shown = services.content_hash(routed)
    response = client.post(URL + "return/", {"reason": "Thiếu lưu đồ quy trình",
                                              "content_sha256": shown})
    assert messages_of(response) == ["Hãy nhập mật khẩu để ký."]
    assert "Thiếu lưu đồ quy trình" in response.content.decode()
    response = client.post(URL + "return/", {"reason": "Thiếu lưu đồ", "password": PASSWORD,
                                              "content_sha256": shown})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert messages_of(page) == ["Đã trả lại dự thảo cho người soạn."]


def test_recall_on_screen(client, people, routed):
    client.force_login(people["officer"])
    response = client.post(URL + "recall/", follow=True)
    assert messages_of(response) == ["Đã rút lại dự thảo để sửa."]
    routed.refresh_from_db()
    assert routed.state == State.DRAFT


def test_recall_is_gone_once_someone_signed(client, people, routed):
    services.version_review(version=routed, actor=people["officer2"], password=PASSWORD)
    client.force_login(people["officer"])
    assert client.get(URL).context["can"]["recall"] is False
    response = client.post(URL + "recall/", follow=True)
    assert messages_of(response) == ["Đã có người ký nên không thể rút lại dự thảo."]


def test_a_comment_with_a_bad_quote_keeps_what_was_typed(client, people, routed):
    client.force_login(people["approver"])
    response = client.post(URL + "comment/", {"quote": "đoạn không có", "body": "Ý kiến dài của tôi"})
    assert response.status_code == 200
    assert messages_of(response) == ["Đoạn trích dẫn không có trong nội dung phiên bản."]
    html = response.content.decode()
    assert "Ý kiến dài của tôi" in html and "đoạn không có" in html
    assert not Comment.objects.exists()


def test_comment_answer_and_resolve_on_screen(client, people, routed):
    client.force_login(people["approver"])
    response = client.post(URL + "comment/", {"quote": "tiếp nhận hồ sơ", "body": "Ghi rõ nơi nhận"})
    assert response["Location"] == URL + "#comments"
    assert messages_of(client.get(response["Location"])) == ["Đã gửi góp ý."]
    comment = Comment.objects.get()
    client.force_login(people["officer"])
    answer_url = reverse("procedures:comment_answer", args=["QT-V-01", 1, comment.pk])
    response = client.post(answer_url, {"body": ""})
    assert messages_of(response) == ["Hãy nhập nội dung góp ý."]
    response = client.post(answer_url, {"body": "Tại Bộ phận một cửa"}, follow=True)
    assert messages_of(response) == ["Đã trả lời góp ý."]
    resolve_url = reverse("procedures:comment_resolve", args=["QT-V-01", 1, comment.pk])
    response = client.post(resolve_url, {"resolution": "Đã sửa bước 1"}, follow=True)
    assert messages_of(response) == ["Đã đánh dấu góp ý là đã giải quyết."]
    html = response.content.decode()
    assert "Ghi rõ nơi nhận" in html and "Tại Bộ phận một cửa" in html and "Đã sửa bước 1" in html
    client.force_login(people["approver"])
    response = client.post(answer_url, {"body": "Tôi trả lời"})
    assert messages_of(response) == ["Bạn không có quyền thực hiện thao tác này."]


def test_a_comment_of_another_version_is_a_404(client, people, routed):
    other = draft(author=people["officer"], code="QT-V-02")
    submit(other, reviewers=[people["officer2"]], approver=people["approver"])
    comment = services.comment_add(version=other, actor=people["approver"], body="x")
    client.force_login(people["officer"])
    url = reverse("procedures:comment_answer", args=["QT-V-01", 1, comment.pk])
    assert client.post(url, {"body": "y"}).status_code == 404


def test_the_version_page_costs_the_same_with_1_or_10_comments(client, people, head, routed,
                                                               django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def comment(i):
        found = services.comment_add(version=routed, actor=people["approver"], body=f"Góp ý {i}")
        services.comment_answer(comment=found, actor=people["officer"], body=f"Trả lời {i}")

    comment(0)
    services.version_review(version=routed, actor=head, password=PASSWORD)
    client.force_login(people["officer"])
    client.get(URL)
    with CaptureQueriesContext(connection) as at_one:
        client.get(URL)
    for i in range(1, 10):
        comment(i)
    with django_assert_num_queries(len(at_one)):
        response = client.get(URL)
    assert len(response.context["threads"]) == 10
    assert len(at_one) <= 32


def test_the_copy_lists_no_returned_signature_nor_removed_attachment(client, people, routed):
    services.version_return(version=routed, actor=people["officer2"], password=PASSWORD,
                            reason="Thiếu lưu đồ")
    client.force_login(people["officer"])
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(
        io.BytesIO(client.get(URL + "pdf/").content)).pages)
    assert "Trả lại" not in text and "DỰ THẢO" in text
