"""Each routing event tells the people who must act next, and only them."""

import pytest

from procedures import services
from qms.models import Notification
from tests.factories import PASSWORD, draft, make_effective, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and return {username: [subject, …]} of what it notified."""

    def call(service, **kwargs):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            service(**kwargs)
        sent = {}
        for n in Notification.objects.exclude(pk__in=before).select_related("recipient"):
            sent.setdefault(n.recipient.username, []).append(n.subject)
        return sent

    return call


def test_submit_asks_the_named_reviewers_then_the_approver_once_all_signed(people, run):
    version = draft(author=people["officer"], code="QT-N-01")
    sent = run(submit, version=version, approver=people["approver"], reviewers=[people["officer2"]])
    assert sent == {"officer2": ["Dự thảo chờ anh/chị xem xét: QT-N-01 lần ban hành 1"]}
    sent = run(services.version_review, version=version, actor=people["officer2"], password=PASSWORD)
    assert sent == {"approver": ["Dự thảo chờ anh/chị phê duyệt: QT-N-01 lần ban hành 1"]}
    sent = run(services.version_approve, version=version, actor=people["approver"], password=PASSWORD)
    # The author, and the procedure's publishers (its department's officers).
    assert sent == {
        "officer": ["Đã phê duyệt, chờ ban hành: QT-N-01 lần ban hành 1"],
        "officer2": ["Đã phê duyệt, chờ ban hành: QT-N-01 lần ban hành 1"],
    }


def test_a_returned_draft_tells_its_author_why(people, run):
    version = draft(author=people["officer"], code="QT-N-02")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    sent = run(services.version_return, version=version, actor=people["officer2"],
               password=PASSWORD, reason="Thiếu bước thẩm định.")
    assert sent == {"officer": ["Dự thảo bị trả lại: QT-N-02 lần ban hành 1"]}
    assert Notification.objects.get(kind="procedures.returned").body == "Lý do: Thiếu bước thẩm định."


def test_a_recall_tells_those_who_were_waiting_to_sign(people, run):
    version = draft(author=people["officer"], code="QT-N-03")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    sent = run(services.version_recall, version=version, actor=people["officer"])
    assert sent == {
        "officer2": ["Dự thảo đã được rút lại: QT-N-03 lần ban hành 1"],
        "approver": ["Dự thảo đã được rút lại: QT-N-03 lần ban hành 1"],
    }


def test_comments_go_to_the_author_and_answers_to_the_commenter(people, run):
    version = draft(author=people["officer"], code="QT-N-04")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    sent = run(services.comment_add, version=version, actor=people["officer2"], body="Bổ sung thời hạn.")
    assert sent == {"officer": ["Góp ý mới về QT-N-04 lần ban hành 1"]}
    comment = version.comments.get()
    sent = run(services.comment_answer, comment=comment, actor=people["officer"], body="Đã bổ sung.")
    assert sent == {"officer2": ["Góp ý mới về QT-N-04 lần ban hành 1"]}


def test_a_version_taking_effect_asks_the_staff_to_read_it(people, run):
    version = draft(author=people["officer"], code="QT-N-05")
    submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    services.version_review(version=version, actor=people["officer2"], password=PASSWORD)
    services.version_approve(version=version, actor=people["approver"], password=PASSWORD)
    sent = run(make_effective, version=version, actor=people["officer"])
    assert list(sent) == ["staff"]  # the one staff member of the distributed department
