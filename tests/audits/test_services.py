"""The life of an audit through audits.services: allowed paths, refusals with their
exact messages, and the history each change writes."""

import datetime

import pytest
from django.core.files.storage import default_storage

from audits import services
from audits.exceptions import AuditError, AuditRecordError
from audits.models import (
    Audit,
    AuditReport,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)
from procedures import services as procedure_services
from tests import factories
from tests.factories import PASSWORD

from .conftest import (
    END,
    START,
    answer_all,
    clause,
    close_action,
    plan,
    record,
    reported_with_actions,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def refused(message, call, *args, **kwargs):
    with pytest.raises(AuditError) as caught:
        call(*args, **kwargs)
    assert caught.value.messages == [message]


# ---------------------------------------------------------------- programme and plan


def test_programme_is_one_per_year(cast):
    programme = services.programme_create(actor=cast["auditor"], year=2026)
    assert programme.title == "Chương trình đánh giá nội bộ năm 2026"
    refused("Chương trình đánh giá năm 2026 đã có.",
            services.programme_create, actor=cast["auditor"], year=2026)


def test_only_auditors_plan(cast):
    for who in ("officer", "staff", "approver"):
        refused("Bạn không có quyền thực hiện thao tác này.",
                services.programme_create, actor=cast[who], year=2027)


def test_audit_create_records_scope_team_and_history(audit, cast, org, procedure_a):
    assert audit.code == "ĐG-2026-01"
    assert audit.state == Audit.State.PLANNED
    assert list(audit.departments.all()) == [org["a"]]
    assert [c.number for c in audit.clauses.order_by("sort_key")] == ["7.5.3", "8.5.1"]
    assert list(audit.procedures.all()) == [procedure_a.procedure]
    assert list(audit.team.all()) == [cast["auditor2"]]
    row = audit.history.earliest()
    assert (row.history_user, row.history_change_reason) == (cast["auditor"], "Lập kế hoạch đánh giá")


def test_second_audit_of_the_programme_is_numbered_02(audit, cast, org, programme):
    second = plan(cast, org, programme)
    assert second.code == "ĐG-2026-02"


def test_auditor_may_not_audit_own_department(cast, org, programme):
    refused(
        f"{cast['auditor'].get_full_name()} không được đánh giá đơn vị của chính mình "
        "(Phòng Quản lý đô thị): chuyên gia đánh giá phải độc lập với công việc được đánh giá.",
        plan, cast, org, programme, departments=[org["a"], org["b"]],
    )
    refused(
        f"{cast['auditor_a'].get_full_name()} không được đánh giá đơn vị của chính mình "
        "(Phòng Tài nguyên và Môi trường): chuyên gia đánh giá phải độc lập với công việc được đánh giá.",
        plan, cast, org, programme, team=[cast["auditor_a"]],
    )
    assert not Audit.objects.exists()


def test_dates_out_of_order_are_refused(cast, org, programme):
    refused("Ngày kết thúc (09/03/2026) không được trước ngày bắt đầu (10/03/2026).",
            plan, cast, org, programme, planned_end=datetime.date(2026, 3, 9))
    refused("Ngày bắt đầu phải thuộc năm 2026 của chương trình đánh giá.",
            plan, cast, org, programme, planned_start=datetime.date(2025, 12, 1))
    refused("Hãy nhập ngày bắt đầu và ngày kết thúc dự kiến.",
            plan, cast, org, programme, planned_start=None)
    assert not Audit.objects.exists()


def test_scope_is_checked(cast, org, programme):
    refused("Điều khoản 4.2.3 không có trong ISO 9001:2015.",
            plan, cast, org, programme, clause_numbers=["7.5.3", "4.2.3"])
    refused("Phạm vi đánh giá cần ít nhất một điều khoản hoặc một quy trình.",
            plan, cast, org, programme, clause_numbers=[])
    refused("Hãy chọn ít nhất một đơn vị được đánh giá.", plan, cast, org, programme, departments=[])
    refused("Hãy nhập tên cuộc đánh giá.", plan, cast, org, programme, title="  ")


def test_procedure_without_effective_version_is_refused(cast, org, programme):
    from tests.factories import draft

    version = draft(author=cast["officer"], code="QT-NHAP-01", year=2015, clauses=("7.5.3",))
    refused("Quy trình QT-NHAP-01 chưa có phiên bản đang hiệu lực.",
            plan, cast, org, programme, procedures=[version.procedure])


def test_lead_and_team_must_be_internal_auditors(cast, org, programme):
    refused(f"{cast['officer_b'].get_full_name()} không phải chuyên gia đánh giá nội bộ.",
            plan, cast, org, programme, team=[cast["officer_b"]])


# ---------------------------------------------------------------- start and checklist


def test_start_builds_the_checklist_from_clauses_and_effective_versions(audit, cast, procedure_a):
    services.audit_start(audit=audit, actor=cast["auditor"])
    items = list(audit.checklist.order_by("position"))
    assert [(i.position, i.clause and i.clause.number, i.procedure_version) for i in items] == [
        (1, "7.5.3", None), (2, "8.5.1", None), (3, None, procedure_a),
    ]
    assert items[0].question == (
        "Điều khoản 7.5.3 — Kiểm soát thông tin dạng văn bản: đơn vị đáp ứng yêu cầu này như thế nào?"
    )
    assert items[2].question.startswith("QT-TNMT-01, lần ban hành 1 — Quy trình đăng ký đất đai")
    assert ChecklistItem.history.filter(history_user=cast["auditor"]).count() == 3
    audit.refresh_from_db()
    assert audit.state == Audit.State.IN_PROGRESS


def test_checklist_uses_the_version_effective_at_start(audit, cast, procedure_a):
    revision = procedure_services.version_start_revision(procedure=procedure_a.procedure, actor=cast["officer"])
    procedure_services.version_update(version=revision, actor=cast["officer"], body="Lần 2.")
    factories.approve(revision, approver=cast["approver"])
    factories.make_effective(revision, actor=cast["officer"])
    services.audit_start(audit=audit, actor=cast["auditor"])
    assert audit.checklist.get(position=3).procedure_version == revision


def test_only_the_lead_starts_and_only_once(audit, cast):
    refused("Bạn không có quyền thực hiện thao tác này.",
            services.audit_start, audit=audit, actor=cast["auditor2"])
    services.audit_start(audit=audit, actor=cast["auditor"])
    refused("Không thể chuyển cuộc đánh giá từ trạng thái “Đang đánh giá” sang “Đang đánh giá”.",
            services.audit_start, audit=audit, actor=cast["auditor"])


def test_checklist_answers(started, cast):
    item = started.checklist.get(position=1)
    services.checklist_item_answer(item=item, actor=cast["auditor2"], result="not_applicable")
    refused("Hãy ghi chú bằng chứng cho mục không phù hợp.",
            services.checklist_item_answer, item=item, actor=cast["auditor2"], result="nonconforming")
    refused("Kết quả kiểm tra không hợp lệ.",
            services.checklist_item_answer, item=item, actor=cast["auditor2"], result="pending")
    refused("Bạn không có quyền thực hiện thao tác này.",
            services.checklist_item_answer, item=item, actor=cast["stranger"], result="conforming")
    services.checklist_item_answer(item=item, actor=cast["auditor2"], result="nonconforming",
                                   notes="Thiếu hồ sơ số 12.")
    item.refresh_from_db()
    assert (item.result, item.notes, item.answered_by) == ("nonconforming", "Thiếu hồ sơ số 12.", cast["auditor2"])
    assert item.history.first().history_change_reason == "Đánh giá: Không phù hợp"


def test_checklist_is_not_answered_before_the_audit_starts(audit, cast):
    item = ChecklistItem.objects.create(audit=audit, position=1, question="?")
    refused("Chỉ đánh giá danh mục kiểm tra khi cuộc đánh giá đang diễn ra.",
            services.checklist_item_answer, item=item, actor=cast["auditor"], result="conforming")


# ---------------------------------------------------------------- findings


@pytest.mark.parametrize("grade", ["major", "minor", "observation", "opportunity"])
def test_every_grade_is_recorded_and_nonconformities_open_an_action(started, cast, org, grade, procedure_a):
    finding = record(started, cast, org, grade=grade, procedure_version=procedure_a)
    assert (finding.number, finding.grade, finding.clause.number) == (1, grade, "7.5.3")
    assert finding.procedure_version == procedure_a
    has_action = CorrectiveAction.objects.filter(finding=finding).exists()
    assert has_action is (grade in ("major", "minor"))
    if has_action:
        action = finding.action
        assert (action.owner, action.due_date, action.state) == (cast["owner"], datetime.date(2026, 4, 30), "open")
    assert finding.history.get().history_user == cast["auditor"]


def test_a_finding_without_a_clause_is_refused(started, cast, org):
    refused("Phát hiện phải viện dẫn một điều khoản của ISO 9001:2015.",
            record, started, cast, org, clause=None)
    assert not Finding.objects.exists()


def test_a_2008_clause_is_refused(started, cast, org):
    refused("Điều khoản 4.2.3 thuộc ISO 9001:2008; phát hiện phải viện dẫn điều khoản của ISO 9001:2015.",
            record, started, cast, org, clause=clause("4.2.3", 2008))


def test_finding_input_is_checked(started, cast, org, procedure_a):
    refused("Hãy nhập nội dung phát hiện.", record, started, cast, org, statement=" ")
    refused("Mức độ của phát hiện không hợp lệ.", record, started, cast, org, grade="critical")
    refused("Đơn vị “Phòng Quản lý đô thị” không thuộc phạm vi cuộc đánh giá.",
            record, started, cast, org, department=org["b"])
    refused("Người chịu trách nhiệm khắc phục phải là người của đơn vị được đánh giá "
            "(Phòng Tài nguyên và Môi trường).",
            record, started, cast, org, action_owner=cast["officer_b"])
    refused("Hãy chọn người chịu trách nhiệm khắc phục điểm không phù hợp.",
            record, started, cast, org, action_owner=None)
    refused("Hãy nhập hạn hoàn thành hành động khắc phục.", record, started, cast, org, action_due=None)
    refused("Hạn hoàn thành (01/03/2026) không được trước ngày bắt đầu đánh giá (10/03/2026).",
            record, started, cast, org, action_due=datetime.date(2026, 3, 1))
    assert not Finding.objects.exists()
    assert not CorrectiveAction.objects.exists()


def test_procedure_version_must_be_the_effective_one(started, cast, org, procedure_a):
    draft = procedure_services.version_start_revision(procedure=procedure_a.procedure, actor=cast["officer"])
    refused("QT-TNMT-01 rev. 2 không phải phiên bản đang hiệu lực của quy trình.",
            record, started, cast, org, procedure_version=draft)


def test_findings_only_while_the_audit_is_in_progress(audit, cast, org):
    refused("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra.", record, audit, cast, org)


def test_a_stranger_auditor_may_not_record(started, cast, org):
    refused("Bạn không có quyền thực hiện thao tác này.",
            record, started, cast, org, actor=cast["stranger"])


def test_attachments_are_checked_by_content_and_stored_by_hash(started, cast, org):
    finding = record(started, cast, org, attachments=[("ảnh hồ sơ.png", PNG), ("biên bản.pdf", PDF)])
    names = [(a.original_name, a.content_type) for a in finding.attachments.order_by("pk")]
    assert names == [("ảnh hồ sơ.png", "image/png"), ("biên bản.pdf", "application/pdf")]
    stored = finding.attachments.get(original_name="ảnh hồ sơ.png")
    assert stored.file.name.endswith(f"{stored.sha256}.png")
    assert default_storage.open(stored.file.name).read() == PNG


def test_an_attachment_of_a_refused_kind_saves_nothing(started, cast, org):
    refused("Tệp “virus.exe” không thuộc loại được phép (PDF, DOCX, ODT, TXT, MD, JPEG, PNG).",
            record, started, cast, org, attachments=[("ok.png", PNG), ("virus.exe", b"MZ\x90\x00")])
    refused("Nội dung tệp “anh.png” không đúng với loại PNG.",
            record, started, cast, org, attachments=[("anh.png", b"<html>")])
    assert not Finding.objects.exists()
    assert not FindingAttachment.objects.exists()


def test_attachment_added_later(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    services.finding_attachment_add(finding=finding, actor=cast["auditor2"], name="ghi-chu.txt",
                                    content="Ghi chú hiện trường".encode())
    refused("Bạn không có quyền thực hiện thao tác này.", services.finding_attachment_add,
            finding=finding, actor=cast["officer"], name="a.txt", content=b"x")
    assert finding.attachments.get().content_type == "text/plain; charset=utf-8"


# ---------------------------------------------------------------- corrective actions


def test_the_department_answers_and_the_auditor_verifies(started, cast, org):
    major, _minor = reported_with_actions(started, cast, org)
    action = close_action(major.action, cast)
    assert action.state == CorrectiveAction.State.CLOSED
    attempt = action.attempts.get()
    assert (attempt.answered_by, attempt.verified_by) == (cast["officer"], cast["auditor2"])
    reasons = [h.history_change_reason for h in action.history.order_by("history_date")]
    assert reasons == [
        "Yêu cầu hành động khắc phục",
        "Đơn vị trả lời hành động khắc phục",
        "Kiểm tra: có hiệu lực, đóng hành động khắc phục",
    ]


def test_the_owner_may_answer_and_strangers_may_not(started, cast, org):
    major, minor = reported_with_actions(started, cast, org)
    for who in ("officer_b", "stranger", "staff", "auditor2"):
        refused("Bạn không có quyền thực hiện thao tác này.", services.corrective_action_answer,
                action=major.action, actor=cast[who], correction="", root_cause="x", action_plan="y")
    services.corrective_action_answer(action=minor.action, actor=cast["owner"], correction="",
                                      root_cause="Thiếu hướng dẫn.", action_plan="Ban hành hướng dẫn.")


def test_answer_needs_root_cause_and_action(started, cast, org):
    major, _minor = reported_with_actions(started, cast, org)
    refused("Hãy nêu nguyên nhân gốc rễ.", services.corrective_action_answer,
            action=major.action, actor=cast["officer"], correction="", root_cause=" ", action_plan="y")
    refused("Hãy nêu hành động khắc phục.", services.corrective_action_answer,
            action=major.action, actor=cast["officer"], correction="", root_cause="x", action_plan="")


def test_not_effective_sends_the_action_back(started, cast, org):
    major, _minor = reported_with_actions(started, cast, org)
    services.corrective_action_answer(action=major.action, actor=cast["officer"], correction="",
                                      root_cause="x", action_plan="y")
    refused("Bạn không có quyền thực hiện thao tác này.", services.corrective_action_verify,
            action=major.action, actor=cast["officer"], effective=True, note="Tự kiểm tra")
    refused("Hãy ghi kết quả kiểm tra hiệu lực.", services.corrective_action_verify,
            action=major.action, actor=cast["auditor2"], effective=False, note="")
    action = services.corrective_action_verify(action=major.action, actor=cast["auditor2"],
                                               effective=False, note="Vẫn còn hồ sơ trễ hạn.")
    assert action.state == CorrectiveAction.State.OPEN
    refused("Không thể chuyển hành động khắc phục từ trạng thái “Chờ đơn vị trả lời” sang “Đã đóng”.",
            services.corrective_action_verify, action=action, actor=cast["auditor2"], effective=True,
            note="x")


def test_who_answered_may_not_verify(started, cast, org):
    major, _minor = reported_with_actions(started, cast, org)
    services.corrective_action_answer(action=major.action, actor=cast["admin"], correction="",
                                      root_cause="x", action_plan="y")
    refused("Người trả lời không được tự kiểm tra hiệu lực hành động của mình.",
            services.corrective_action_verify, action=major.action, actor=cast["admin"],
            effective=True, note="x")


# ---------------------------------------------------------------- closing


def test_closing_with_open_nonconformities_is_refused(started, cast, org):
    major, minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    refused("Chưa thể kết thúc cuộc đánh giá: còn 1 điểm không phù hợp chưa được khắc phục và "
            "kiểm tra hiệu lực (phát hiện số 2).",
            services.audit_close, audit=started, actor=cast["auditor"])
    started.refresh_from_db()
    assert started.state == Audit.State.REPORTED
    close_action(minor.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    started.refresh_from_db()
    assert (started.state, started.closed_by) == (Audit.State.CLOSED, cast["auditor"])
    assert started.history.first().history_change_reason == "Kết thúc cuộc đánh giá"


def test_an_audit_in_progress_cannot_close(started, cast):
    refused("Không thể chuyển cuộc đánh giá từ trạng thái “Đang đánh giá” sang “Đã kết thúc”.",
            services.audit_close, audit=started, actor=cast["auditor"])


def test_answers_are_refused_once_the_audit_is_closed(started, cast, org):
    major, minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    close_action(minor.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    refused("Cuộc đánh giá đã kết thúc.", services.corrective_action_answer, action=major.action,
            actor=cast["officer"], correction="", root_cause="x", action_plan="y")


# ---------------------------------------------------------------- reports


def test_report_needs_a_started_audit_and_a_complete_checklist(audit, cast, org):
    refused("Cuộc đánh giá chưa bắt đầu nên chưa thể phát hành báo cáo.",
            services.audit_report_issue, audit=audit, actor=cast["auditor"], password=PASSWORD)
    services.audit_start(audit=audit, actor=cast["auditor"])
    refused("Còn 3 mục kiểm tra chưa được đánh giá.",
            services.audit_report_issue, audit=audit, actor=cast["auditor"], password=PASSWORD)
    assert not AuditReport.objects.exists()


def test_issuing_stores_the_pdf_with_its_hash_and_a_reissue_keeps_the_first(started, cast, org):
    import hashlib

    reported_with_actions(started, cast, org)
    first = AuditReport.objects.get()
    assert first.number == "BC-ĐG-2026-01 / lần 1"
    content = default_storage.open(first.file.name).read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == first.sha256
    started.refresh_from_db()
    assert started.state == Audit.State.REPORTED

    second = services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD, note="Bổ sung")
    assert (second.revision, second.number) == (2, "BC-ĐG-2026-01 / lần 2")
    assert second.sha256 != first.sha256
    first.refresh_from_db()
    assert default_storage.open(first.file.name).read() == content
    assert hashlib.sha256(default_storage.open(second.file.name).read()).hexdigest() == second.sha256


def test_an_issued_report_is_never_changed_nor_deleted(started, cast, org):
    reported_with_actions(started, cast, org)
    report = AuditReport.objects.get()
    report.note = "sửa"
    with pytest.raises(AuditRecordError) as caught:
        report.save()
    assert caught.value.messages == ["Báo cáo đã phát hành không được sửa; hãy phát hành lần mới."]
    for target in (report, AuditReport.objects.all(), started, Finding.objects.all()):
        with pytest.raises(AuditRecordError):
            target.delete()
    assert AuditReport.objects.count() == 1


def test_only_the_lead_issues(started, cast, org):
    answer_all(started, cast["auditor2"])
    refused("Bạn không có quyền thực hiện thao tác này.",
            services.audit_report_issue, audit=started, actor=cast["auditor2"], password=PASSWORD)


def test_history_names_who_and_why_for_the_whole_life(started, cast, org):
    major, minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    close_action(minor.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    reasons = list(
        started.history.order_by("history_date").values_list("history_change_reason", "history_user__username")
    )
    assert reasons[0] == ("Lập kế hoạch đánh giá", "auditor")
    assert ("Bắt đầu đánh giá", "auditor") in reasons
    assert ("Phát hành báo cáo BC-ĐG-2026-01 / lần 1", "auditor") in reasons
    assert reasons[-1] == ("Kết thúc cuộc đánh giá", "auditor")
    assert Finding.history.count() == 3
    assert AuditReport.history.count() == 1


def test_dates_are_refused_by_the_database_too(audit):
    from django.db import IntegrityError, transaction

    audit.planned_end = START - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.save()
    assert Audit.objects.get().planned_end == END
