"""Staff acknowledge each effective version distributed to their department."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import selectors, services
from procedures.exceptions import ProcedureError
from procedures.models import Acknowledgement
from qms import roles
from tests.factories import UserFactory, approve, draft, effective, make_effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def land(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-01")


def _open_and_acknowledge(version, user):
    """Read (a logged view), then acknowledge: the only order the service accepts."""
    services.access_record(version=version, actor=user, action="view")
    return services.acknowledgement_record(version=version, actor=user)


def _revise(version, people):
    new = services.version_start_revision(procedure=version.procedure, actor=people["officer"])
    approve(new, approver=people["approver"])
    return make_effective(new, actor=people["officer"])


def test_new_effective_version_is_pending_for_staff_of_its_departments(people, land):
    assert list(selectors.acknowledgement_pending_list(user=people["staff"])) == [land]


def test_staff_of_other_departments_and_other_roles_have_nothing_pending(people, org, land):
    staff_b = UserFactory(role=roles.STAFF, department=org["b"])
    assert list(selectors.acknowledgement_pending_list(user=staff_b)) == []
    assert list(selectors.acknowledgement_pending_list(user=people["officer"])) == []


def test_drafts_are_never_pending(people):
    draft(author=people["officer"])
    assert list(selectors.acknowledgement_pending_list(user=people["staff"])) == []


def test_acknowledging_records_once_and_says_so_the_second_time(people, land):
    first, created = _open_and_acknowledge(land, people["staff"])
    assert created is True
    again, created_again = services.acknowledgement_record(version=land, actor=people["staff"])
    assert created_again is False and again == first
    assert Acknowledgement.objects.count() == 1
    assert first.history.first().history_user == people["staff"]
    assert list(selectors.acknowledgement_pending_list(user=people["staff"])) == []


def test_a_new_revision_makes_it_pending_again(people, land):
    _open_and_acknowledge(land, people["staff"])
    new = _revise(land, people)
    assert list(selectors.acknowledgement_pending_list(user=people["staff"])) == [new]


def test_only_an_effective_version_can_be_acknowledged(people):
    version = draft(author=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        services.acknowledgement_record(version=version, actor=people["officer"])
    assert excinfo.value.messages == ["Chỉ xác nhận đã đọc được phiên bản đang hiệu lực."]


def test_a_person_without_reading_permission_cannot_acknowledge(people, land):
    with pytest.raises(ProcedureError) as excinfo:
        services.acknowledgement_record(version=land, actor=people["nobody"])
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]


def test_one_click_on_the_page_acknowledges_and_a_second_click_changes_nothing(client, people, land):
    # Issue 10 point 7: the procedure page leads to the acknowledgement page, where
    # the button is (it used to be on the procedure page itself).
    client.force_login(people["staff"])
    page = client.get("/procedures/QT-TNMT-01/").content.decode()
    assert "Xem thay đổi và xác nhận đã đọc" in page
    url = "/procedures/QT-TNMT-01/versions/1/acknowledge/"
    assert "Tôi đã đọc và hiểu" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Đã ghi nhận: bạn đã đọc QT-TNMT-01 lần ban hành 1."
    ]
    response = client.post(url, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Bạn đã xác nhận đọc QT-TNMT-01 lần ban hành 1 lúc ")
    assert message.endswith("; không cần xác nhận lại.")
    assert Acknowledgement.objects.count() == 1
    assert "Bạn đã xác nhận đọc phiên bản này lúc" in response.content.decode()


def test_acknowledge_returns_to_a_safe_next_page_only(client, people, land):
    # Without a safe `next`, the acknowledgement goes back to its own page, not to
    # the procedure's (issue 10 point 7: that would log a second view).
    client.force_login(people["staff"])
    client.get("/procedures/QT-TNMT-01/")
    response = client.post("/procedures/QT-TNMT-01/versions/1/acknowledge/",
                           {"next": "/acknowledgements/"})
    assert response["Location"] == "/acknowledgements/"
    evil = client.post("/procedures/QT-TNMT-01/versions/1/acknowledge/",
                       {"next": "https://evil.example/"})
    assert evil["Location"] == "/procedures/QT-TNMT-01/versions/1/acknowledge/"


def test_officer_sees_who_has_and_who_has_not_read(client, people, org, land):
    other = UserFactory(role=roles.STAFF, department=org["a"], username="staff2")
    UserFactory(role=roles.STAFF, department=org["b"], username="staff_b")
    _open_and_acknowledge(land, people["staff"])
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements/")
    status = {p.username: p.acknowledged_at is not None for p in response.context["people"]}
    assert status == {"staff": True, "staff2": False}
    assert response.context["done"] == 1 and response.context["missing"] == 1
    assert "1 người đã đọc, 1 người chưa đọc." in response.content.decode()
    assert other.username in status


def test_pending_page_query_count_does_not_grow(client, people, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            effective(author=people["officer"], approver=people["approver"])

    make(2)
    client.force_login(people["staff"])
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get("/acknowledgements/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/acknowledgements/")
    make(48)
    with django_assert_num_queries(len(queries)):
        response = client.get("/acknowledgements/")
    assert response.context["page"].paginator.count == 50


def test_status_page_query_count_does_not_grow(client, people, org, land, django_assert_num_queries):
    for _ in range(2):
        UserFactory(role=roles.STAFF, department=org["a"])
    client.force_login(people["officer"])
    url = "/procedures/QT-TNMT-01/versions/1/acknowledgements/"
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for _ in range(48):
        _open_and_acknowledge(land, UserFactory(role=roles.STAFF, department=org["a"]))
    with django_assert_num_queries(len(queries)):
        response = client.get(url)
    assert len(response.context["people"]) == 51
