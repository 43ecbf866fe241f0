"""The life cycle of a procedure version: every transition and every refusal."""

import datetime

import pytest
from django.utils import timezone

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import Procedure, ProcedureVersion, State
from tests.factories import PASSWORD, approve, draft, edition, effective, make_effective, submit

pytestmark = pytest.mark.django_db


def messages_of(excinfo):
    return excinfo.value.messages


def test_create_makes_revision_1_draft_with_clauses(people):
    version = draft(author=people["officer"], code="qt-tnmt-01", clauses=["4.2.3", "4.2.4"])
    assert version.procedure.code == "QT-TNMT-01"
    assert version.revision == 1
    assert version.state == State.DRAFT
    assert sorted(c.number for c in version.clauses.all()) == ["4.2.3", "4.2.4"]
    assert len(version.content_sha256) == 64


def test_duplicate_code_is_refused_and_nothing_is_saved(people):
    draft(author=people["officer"], code="QT-TNMT-01")
    with pytest.raises(ProcedureError) as excinfo:
        draft(author=people["officer"], code="qt-tnmt-01")
    assert messages_of(excinfo) == ["Mã số QT-TNMT-01 đã được dùng cho một tài liệu khác."]
    assert Procedure.objects.count() == 1


def test_unknown_clause_is_refused_and_nothing_is_saved(people):
    with pytest.raises(ProcedureError) as excinfo:
        draft(author=people["officer"], code="QT-X-01", clauses=["4.2.3", "9.9.9"])
    assert messages_of(excinfo) == ["Điều khoản 9.9.9 không có trong ISO 9001:2008."]
    assert not Procedure.objects.filter(code="QT-X-01").exists()


def test_clause_of_the_other_edition_is_refused(people):
    with pytest.raises(ProcedureError):
        draft(author=people["officer"], clauses=["7.1.6"], year=2008)  # 2015 only


def test_officer_cannot_create_in_another_department(people, org):
    with pytest.raises(ProcedureError) as excinfo:
        draft(author=people["officer"], department=org["b"])
    assert messages_of(excinfo) == ["Bạn không có quyền thực hiện thao tác này."]


def test_update_draft_changes_body_clauses_and_hash(people):
    version = draft(author=people["officer"])
    old_hash = version.content_sha256
    services.version_update(
        version=version, actor=people["officer"], body="Nội dung mới", clause_numbers=["8.2.2"]
    )
    version.refresh_from_db()
    assert version.body == "Nội dung mới"
    assert [c.number for c in version.clauses.all()] == ["8.2.2"]
    assert version.content_sha256 != old_hash
    assert version.lock_version == 2


def test_update_normalises_to_nfc(people):
    version = draft(author=people["officer"])
    services.version_update(version=version, actor=people["officer"], body="Quy trình".replace("ì", "i\u0300"))
    version.refresh_from_db()
    assert version.body == "Quy trình"


def test_second_of_two_concurrent_edits_is_refused(people):
    version = draft(author=people["officer"])
    loaded = version.lock_version
    services.version_update(version=version, actor=people["officer"], body="A", lock_version=loaded)
    with pytest.raises(ProcedureError) as excinfo:
        services.version_update(version=version, actor=people["officer2"], body="B", lock_version=loaded)
    assert excinfo.value.code == "conflict"
    version.refresh_from_db()
    assert version.body == "A"


# Issue 10: returning a draft (formerly version_reject) is a signature: it asks for
# the password as well as the reason, and only a named signer may do it.
def test_submit_return_resubmit(people):
    version = draft(author=people["officer"])
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    assert ProcedureVersion.objects.get(pk=version.pk).state == State.IN_REVIEW
    services.version_return(
        version=version, actor=people["approver"], password=PASSWORD, reason="Thiếu biểu mẫu"
    )
    version.refresh_from_db()
    assert version.state == State.DRAFT
    assert version.rejection_reason == "Thiếu biểu mẫu"
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW
    assert version.rejection_reason == ""
    assert version.submission_round == 2


def test_return_needs_a_reason(people):
    version = draft(author=people["officer"])
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_return(
            version=version, actor=people["approver"], password=PASSWORD, reason="  "
        )
    assert messages_of(excinfo) == ["Hãy nêu lý do trả lại."]


def test_edit_of_a_submitted_version_is_refused(people):
    version = draft(author=people["officer"])
    submit(version, approver=people["approver"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_update(version=version, actor=people["officer"], body="x")
    assert messages_of(excinfo) == ["Chỉ sửa được phiên bản ở trạng thái dự thảo."]


def test_submit_twice_is_refused_with_the_states_named(people):
    version = draft(author=people["officer"])
    submit(version, approver=people["approver"])
    with pytest.raises(ProcedureError) as excinfo:
        submit(version, approver=people["approver"], reviewers=[people["officer2"]])
    assert messages_of(excinfo) == [
        "Không thể chuyển phiên bản từ trạng thái “Đang xem xét” sang “Đang xem xét”."
    ]


def test_approve_from_draft_is_refused(people):
    version = draft(author=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_approve(version=version, actor=people["approver"], password=PASSWORD)
    assert messages_of(excinfo) == [
        "Không thể chuyển phiên bản từ trạng thái “Dự thảo” sang “Đã phê duyệt”."
    ]


def test_make_effective_today(people):
    version = effective(author=people["officer"], approver=people["approver"])
    today = timezone.localdate()
    assert version.state == State.EFFECTIVE
    assert version.effective_from == today
    assert 365 <= (version.next_review_due - today).days <= 366


def test_review_date_is_one_year_after_the_effective_date_by_default(people):
    version = effective(
        author=people["officer"], approver=people["approver"], effective_from=datetime.date(2023, 3, 15)
    )
    assert version.next_review_due == datetime.date(2024, 3, 15)


def test_review_period_is_configurable_per_procedure(people):
    version = effective(
        author=people["officer"], approver=people["approver"], review_period_months=6,
        effective_from=datetime.date(2024, 8, 31),
    )
    assert version.next_review_due == datetime.date(2025, 2, 28)


def test_new_revision_supersedes_the_previous_when_effective(people):
    first = effective(author=people["officer"], approver=people["approver"])
    second = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    assert second.revision == 2 and second.state == State.DRAFT
    assert second.body == first.body
    assert list(second.clauses.all()) == list(first.clauses.all())
    services.version_update(version=second, actor=people["officer"], body="Sửa đổi", change_summary="Cập nhật")
    approve(second, approver=people["approver"])
    make_effective(second, actor=people["officer"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.SUPERSEDED, State.EFFECTIVE)
    assert first.superseded_at is not None


def test_only_one_open_revision_at_a_time(people):
    first = effective(author=people["officer"], approver=people["approver"])
    services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    assert messages_of(excinfo) == ["Tài liệu đã có lần ban hành 2 đang soạn thảo hoặc chờ ban hành."]


def test_new_revision_needs_an_effective_version(people):
    version = draft(author=people["officer"])
    submit(version, reviewers=[people["officer2"]], approver=people["approver"])
    services.version_return(version=version, actor=people["officer2"], password=PASSWORD, reason="x")
    with pytest.raises(ProcedureError):
        services.version_start_revision(procedure=version.procedure, actor=people["officer"])


def test_scheduled_version_waits_for_its_date(people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version = effective(author=people["officer"], approver=people["approver"], effective_from=tomorrow)
    assert version.state == State.APPROVED
    assert services.versions_apply_scheduled(actor=people["admin"]) == []
    done = services.versions_apply_scheduled(actor=people["admin"], today=tomorrow)
    assert [v.pk for v in done] == [version.pk]
    assert services.versions_apply_scheduled(actor=people["admin"], today=tomorrow) == []
    version.refresh_from_db()
    assert version.state == State.EFFECTIVE


def test_effective_date_in_the_past_is_refused(people):
    version = approve(draft(author=people["officer"]), approver=people["approver"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_make_effective(
            version=version, actor=people["officer"], effective_from=datetime.date(2020, 1, 1),
            decision_number="12/QĐ-UBND", decision_date=datetime.date(2020, 1, 1),
        )
    assert messages_of(excinfo) == ["Ngày hiệu lực không được ở trong quá khứ."]


def test_withdraw_makes_obsolete_with_reason(people):
    version = effective(author=people["officer"], approver=people["approver"])
    services.version_withdraw(version=version, actor=people["officer"], reason="Thủ tục bị bãi bỏ")
    version.refresh_from_db()
    assert version.state == State.OBSOLETE
    assert version.withdrawn_by == people["officer"]
    assert version.withdrawal_reason == "Thủ tục bị bãi bỏ"


def test_withdraw_of_a_draft_is_refused(people):
    version = draft(author=people["officer"])
    with pytest.raises(ProcedureError):
        services.version_withdraw(version=version, actor=people["officer"], reason="x")


def test_history_records_actor_reason_and_clauses(people):
    # Issue 10 added two rows: the proposed distribution set on creation, and the
    # reviewer's signature, now required before approval.
    version = draft(author=people["officer"], clauses=["4.2.3"])
    approve(version, approver=people["approver"], reviewers=[people["officer2"]])
    version = make_effective(version, actor=people["officer"])
    rows = list(version.history.order_by("history_date", "history_id"))
    assert [(r.state, r.history_user.username, r.history_change_reason) for r in rows] == [
        ("draft", "officer", "Tạo dự thảo lần ban hành 1"),
        ("draft", "officer", "Tạo dự thảo lần ban hành 1"),  # the clause references set
        ("draft", "officer", "Tạo dự thảo lần ban hành 1"),  # the distribution set
        ("in_review", "officer", "Trình xem xét, phê duyệt"),
        ("in_review", "officer2", "Ký xem xét"),
        ("approved", "approver", "Ký phê duyệt"),
        ("effective", "officer", "Ban hành"),
    ]
    assert [c.clause.number for c in rows[-1].clauses.all()] == ["4.2.3"]
    assert [c.clause.number for c in rows[0].clauses.all()] == []
    assert [d.orgunit for d in rows[-1].distribution.all()] == [people["officer"].department]


def test_history_of_a_clause_change(people):
    version = draft(author=people["officer"], clauses=["4.2.3"])
    services.version_update(version=version, actor=people["officer2"], clause_numbers=["4.2.4"])
    latest = version.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == people["officer2"]
    assert [c.clause.number for c in latest.clauses.all()] == ["4.2.4"]


def test_procedure_creation_is_in_history(people):
    version = draft(author=people["officer"])
    first, last = version.procedure.history.order_by("history_date", "history_id")
    assert (first.history_type, first.history_user) == ("+", people["officer"])
    assert [d.orgunit for d in last.distribution.all()] == [people["officer"].department]


def test_edition_change_checks_clauses_against_the_new_edition(people):
    version = draft(author=people["officer"], clauses=["4.2.3"])
    with pytest.raises(ProcedureError) as excinfo:
        services.version_update(version=version, actor=people["officer"], edition=edition(2015))
    assert messages_of(excinfo) == ["Điều khoản 4.2.3 không có trong ISO 9001:2015."]
    services.version_update(
        version=version, actor=people["officer"], edition=edition(2015), clause_numbers=["7.5.3"]
    )
    version.refresh_from_db()
    assert version.edition.year == 2015


def test_a_revision_written_from_a_superseded_text_cannot_take_effect(people):
    first = effective(author=people["officer"], approver=people["approver"])
    second = services.version_start_revision(procedure=first.procedure, actor=people["officer"])
    second = approve(second, approver=people["approver"])
    # The database then holds a third revision also written from revision 1.
    third = ProcedureVersion.objects.get(pk=second.pk)
    third.pk, third.revision = None, 3
    ProcedureVersion.objects.bulk_create([third])
    make_effective(second, actor=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        make_effective(third, actor=people["officer"])
    assert excinfo.value.code == "conflict"
    assert ProcedureVersion.objects.get(pk=third.pk).state == State.APPROVED
