"""The issuing decision (issue 10, point 3): "Quyết định ban hành số …/QĐ-UBND ngày …",
recorded when a revision is made effective, shown on the version page and the copy."""

import datetime
import io

import pypdf
import pytest
from django.utils import timezone

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import State
from tests.factories import approve, draft, effective

pytestmark = pytest.mark.django_db


def refused(call, message):
    with pytest.raises(ProcedureError) as excinfo:
        call()
    assert excinfo.value.messages == [message]


@pytest.mark.parametrize("typed, stored", [
    ("125", "125/QĐ-UBND"),
    (" 125/qđ-ubnd ", "125/QĐ-UBND"),
    ("125/QD-UBND", "125/QĐ-UBND"),
    ("12/2024/QĐ-UBND", "12/2024/QĐ-UBND"),
    ("7/QĐ-STNMT", "7/QĐ-STNMT"),
])
def test_decision_numbers_are_read_in_their_official_form(typed, stored):
    assert services.decision_number_clean(typed) == stored


@pytest.mark.parametrize("typed, message", [
    ("", "Hãy nhập số quyết định ban hành."),
    ("abc", "Số quyết định ban hành không đúng dạng: hãy nhập như 125/QĐ-UBND."),
    ("125/UBND", "Số quyết định ban hành không đúng dạng: hãy nhập như 125/QĐ-UBND."),
    ("125/QĐ-", "Số quyết định ban hành không đúng dạng: hãy nhập như 125/QĐ-UBND."),
])
def test_bad_decision_numbers_are_refused(typed, message):
    refused(lambda: services.decision_number_clean(typed), message)


@pytest.fixture
def approved(people):
    return approve(draft(author=people["officer"], code="QT-D-01"), approver=people["approver"])


def issue(version, people, **kwargs):
    today = timezone.localdate()
    data = {"decision_number": "125/QĐ-UBND", "decision_date": today, "effective_from": today}
    data.update(kwargs)
    return services.version_make_effective(version=version, actor=people["officer"], **data)


def test_issuing_records_the_decision(people, approved):
    version = issue(approved, people, decision_number="125")
    version.refresh_from_db()
    assert (version.state, version.decision_number, version.decision_date) == (
        State.EFFECTIVE, "125/QĐ-UBND", timezone.localdate())
    row = version.history.order_by("-history_date", "-history_id").first()
    assert (row.decision_number, row.history_change_reason) == ("125/QĐ-UBND", "Ban hành")


def test_a_scheduled_revision_keeps_its_decision(people, approved):
    later = timezone.localdate() + datetime.timedelta(days=10)
    version = issue(approved, people, effective_from=later)
    assert (version.state, version.decision_number) == (State.APPROVED, "125/QĐ-UBND")
    services.versions_apply_scheduled(actor=people["admin"], today=later)
    version.refresh_from_db()
    assert (version.state, version.decision_date) == (State.EFFECTIVE, timezone.localdate())


def test_the_decision_needs_a_date(people, approved):
    refused(lambda: issue(approved, people, decision_date=None),
            "Hãy nhập ngày của quyết định ban hành.")


def test_the_decision_is_not_dated_in_the_future(people, approved):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(lambda: issue(approved, people, decision_date=tomorrow, effective_from=tomorrow),
            "Ngày quyết định ban hành không được sau hôm nay.")


def test_a_revision_takes_effect_no_earlier_than_its_decision(people, approved):
    refused(lambda: issue(approved, people, effective_from=datetime.date(2020, 1, 1),
                          decision_date=datetime.date(2020, 1, 2), backdate=True),
            "Ngày hiệu lực không được trước ngày quyết định ban hành.")


def test_the_decision_is_not_dated_before_the_approval(people, approved):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    approved_on = timezone.localdate(approved.approved_at).strftime("%d/%m/%Y")
    refused(lambda: issue(approved, people, decision_date=yesterday),
            f"Ngày quyết định ban hành không được trước ngày phê duyệt {approved_on}.")


def test_documents_from_the_paper_register_keep_their_old_decision(people, approved):
    old = datetime.date(2019, 3, 15)
    version = issue(approved, people, decision_date=old, effective_from=old, backdate=True)
    assert (version.decision_date, version.effective_from) == (old, old)


def test_the_decision_is_shown_on_the_pages_and_on_the_controlled_copy(client, people):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-D-02")
    line = f"Quyết định ban hành số 1/QĐ-UBND ngày {timezone.localdate():%d/%m/%Y}"
    client.force_login(people["officer"])
    assert line in client.get("/procedures/QT-D-02/versions/1/").content.decode()
    client.force_login(people["staff"])
    detail = client.get("/procedures/QT-D-02/").content.decode()
    assert f"Số 1/QĐ-UBND ngày {timezone.localdate():%d/%m/%Y}" in detail
    pdf = client.get("/procedures/QT-D-02/pdf/").content
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert line in text
    assert version.decision_number == "1/QĐ-UBND"
