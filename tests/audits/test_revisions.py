"""Findings are edited in place until the report is first issued; after that a
change is a new revision of the record and the earlier one stays readable."""

import datetime

import pytest
from django.urls import reverse

from audits import services
from audits.exceptions import AuditRecordError
from audits.models import CorrectiveAction, Finding, FindingRevision
from tests.factories import PASSWORD

from .conftest import answer_all, clause, close_action, record
from .test_services import refused

pytestmark = pytest.mark.django_db


def update(finding, actor, **change):
    values = {
        "finding": finding, "actor": actor, "grade": finding.grade, "statement": finding.statement,
        "evidence": finding.evidence, "clause": finding.clause, "department": finding.department,
        "procedure_version": finding.procedure_version,
    }
    values.update(change)
    return services.finding_update(**values)


def issue(audit, cast):
    answer_all(audit, cast["auditor2"])
    return services.audit_report_issue(audit=audit, actor=cast["auditor"], password=PASSWORD)


def test_before_the_report_a_finding_is_edited_in_place(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    finding = update(finding, cast["auditor2"], statement="Sổ rủi ro chưa đánh giá lại.", clause=clause("6.1"))
    finding.refresh_from_db()
    assert (finding.statement, finding.clause.number, finding.revision) == ("Sổ rủi ro chưa đánh giá lại.", "6.1", 1)
    assert not FindingRevision.objects.exists()
    row = finding.history.first()
    assert (row.history_user, row.history_change_reason) == (cast["auditor2"], "Sửa phát hiện")
    assert row.diff_against(row.prev_record).changed_fields == ["clause", "statement"]


def test_after_the_first_issue_a_change_is_a_new_revision(started, cast, org):
    finding = record(started, cast, org, grade="minor", statement="Biểu mẫu cũ tại quầy.")
    recorded_at = finding.recorded_at
    issue(started, cast)
    refused("Báo cáo đã phát hành: hãy nêu lý do sửa đổi phát hiện.",
            update, finding, cast["auditor2"], statement="Biểu mẫu cũ tại bộ phận chuyên môn.")
    update(finding, cast["auditor2"], statement="Biểu mẫu cũ tại bộ phận chuyên môn.",
           reason="Đơn vị cung cấp thêm bằng chứng.")
    finding.refresh_from_db()
    assert (finding.revision, finding.statement, finding.revised_by, finding.revision_reason) == (
        2, "Biểu mẫu cũ tại bộ phận chuyên môn.", cast["auditor2"], "Đơn vị cung cấp thêm bằng chứng.")
    first = finding.revisions.get()
    assert (first.revision, first.statement, first.grade, first.clause.number, first.made_by, first.made_at,
            first.reason) == (1, "Biểu mẫu cũ tại quầy.", "minor", "7.5.3", cast["auditor"], recorded_at, "")
    assert finding.history.first().history_change_reason == (
        "Sửa đổi phát hiện, lần sửa 2: Đơn vị cung cấp thêm bằng chứng.")

    update(finding, cast["auditor"], grade="major", reason="Ảnh hưởng đến công dân.")
    finding.refresh_from_db()
    second = finding.revisions.get(revision=2)
    assert (finding.revision, finding.grade) == (3, "major")
    assert (second.statement, second.grade, second.made_by, second.reason) == (
        "Biểu mẫu cũ tại bộ phận chuyên môn.", "minor", cast["auditor2"], "Đơn vị cung cấp thêm bằng chứng.")


def test_nothing_changed_writes_nothing(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    issue(started, cast)
    rows = Finding.history.count()
    update(finding, cast["auditor2"], reason="Không đổi gì.")
    finding.refresh_from_db()
    assert (finding.revision, Finding.history.count(), FindingRevision.objects.count()) == (1, rows, 0)


def test_a_closed_audit_keeps_its_findings(started, cast, org):
    finding = record(started, cast, org, grade="minor")
    issue(started, cast)
    close_action(finding.action, cast)
    services.audit_close(audit=started, actor=cast["auditor"])
    refused("Cuộc đánh giá đã kết thúc: phát hiện không được sửa đổi.",
            update, finding, cast["auditor"], statement="Khác.", reason="x")


def test_only_the_team_changes_findings(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    for who in ("officer", "stranger", "owner"):
        refused("Bạn không có quyền thực hiện thao tác này.", update, finding, cast[who], statement="Khác.")


def test_the_content_rules_of_a_new_finding_hold_for_a_change(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    refused("Hãy nhập nội dung phát hiện.", update, finding, cast["auditor"], statement="  ")
    refused("Đơn vị “Phòng Quản lý đô thị” không thuộc phạm vi cuộc đánh giá.",
            update, finding, cast["auditor"], department=org["b"])
    refused("Điều khoản 4.2.3 thuộc ISO 9001:2008; phát hiện phải viện dẫn điều khoản của ISO 9001:2015.",
            update, finding, cast["auditor"], clause=clause("4.2.3", 2008))


def test_becoming_a_nonconformity_opens_its_action(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    refused("Hãy chọn người chịu trách nhiệm khắc phục điểm không phù hợp.",
            update, finding, cast["auditor"], grade="minor")
    update(finding, cast["auditor"], grade="minor", action_owner=cast["owner"],
           action_due=datetime.date(2026, 5, 30))
    action = CorrectiveAction.objects.get(finding=finding)
    assert (action.owner, action.due_date, action.state) == (cast["owner"], datetime.date(2026, 5, 30), "open")


def test_a_nonconformity_with_its_action_stays_a_nonconformity(started, cast, org):
    finding = record(started, cast, org, grade="minor")
    refused("Phát hiện số 1 đã có hành động khắc phục nên vẫn là điểm không phù hợp (nặng hoặc nhẹ).",
            update, finding, cast["auditor"], grade="observation")
    update(finding, cast["auditor"], grade="major")
    finding.refresh_from_db()
    assert finding.grade == "major"


def test_moving_a_nonconformity_needs_an_owner_of_the_new_department(cast, org, programme, procedure_a):
    from .conftest import plan

    audit = plan(cast, org, programme, procedure_a, departments=[org["a"], org["root"]],
                 team=[], lead_auditor=cast["auditor"])
    services.audit_start(audit=audit, actor=cast["auditor"])
    finding = record(audit, cast, org, grade="minor")
    refused("Người chịu trách nhiệm khắc phục phải là người của đơn vị được đánh giá (Ủy ban nhân dân).",
            update, finding, cast["auditor"], department=org["root"])
    update(finding, cast["auditor"], department=org["root"], action_owner=cast["approver"])
    action = CorrectiveAction.objects.get(finding=finding)
    assert action.owner == cast["approver"]
    assert cast["approver"].has_perm("audits.answer_correctiveaction", action)
    # The former department's officers no longer answer it.
    officer = type(cast["officer"]).objects.get(pk=cast["officer"].pk)
    assert not officer.has_perm("audits.answer_correctiveaction", action)


def test_an_answered_action_keeps_its_owner(started, cast, org):
    finding = record(started, cast, org, grade="minor")
    services.corrective_action_answer(action=finding.action, actor=cast["owner"], correction="",
                                      root_cause="x", action_plan="y")
    refused("Hành động khắc phục đã được trả lời: không đổi người chịu trách nhiệm.",
            update, finding, cast["auditor"], action_owner=cast["officer"])


def test_earlier_revisions_are_never_changed_nor_deleted(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    issue(started, cast)
    update(finding, cast["auditor"], statement="Mới.", reason="Sửa.")
    frozen = finding.revisions.get()
    frozen.statement = "sửa lén"
    with pytest.raises(AuditRecordError) as caught:
        frozen.save()
    assert caught.value.messages == ["Lần sửa đổi đã lưu của phát hiện không được sửa."]
    with pytest.raises(AuditRecordError):
        FindingRevision.objects.all().delete()


# ---------------------------------------------------------------- the edit page


def test_the_edit_page_is_for_the_team(login, cast, org, started):
    finding = record(started, cast, org, grade="observation")
    url = reverse("audits:finding_edit", args=[finding.pk])
    assert login(cast["officer"]).get(url).status_code == 403
    assert login(cast["stranger"]).get(url).status_code == 404
    page = login(cast["auditor2"]).get(url)
    assert page.status_code == 200
    assert "Báo cáo chưa phát hành: phát hiện được sửa trực tiếp" in page.content.decode()


def test_a_revision_through_the_page_needs_its_reason(login, cast, org, started):
    finding = record(started, cast, org, grade="observation", statement="Cũ.")
    issue(started, cast)
    client = login(cast["auditor"])
    url = reverse("audits:finding_edit", args=[finding.pk])
    assert "thay đổi sẽ tạo lần sửa 2 của phát hiện" in client.get(url).content.decode()
    data = {"grade": "observation", "clause": finding.clause_id, "department": finding.department_id,
            "statement": "Mới.", "evidence": finding.evidence}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Báo cáo đã phát hành: hãy nêu lý do sửa đổi phát hiện." in response.content.decode()
    finding.refresh_from_db()
    assert (finding.statement, finding.revision) == ("Cũ.", 1)
    response = client.post(url, {**data, "reason": "Sai chính tả."})
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    finding.refresh_from_db()
    assert (finding.statement, finding.revision, finding.revisions.get().statement) == ("Mới.", 2, "Cũ.")


def test_a_long_reason_is_kept_whole_on_the_finding_and_cut_in_the_history(started, cast, org):
    finding = record(started, cast, org, grade="observation")
    issue(started, cast)
    reason = "Đơn vị cung cấp thêm bằng chứng sau cuộc họp kết thúc: biểu mẫu tại quầy một cửa đã đúng mẫu mới. " * 2
    update(finding, cast["auditor"], statement="Mới.", reason=reason)
    finding.refresh_from_db()
    assert finding.revision_reason == reason.strip()
    why = finding.history.first().history_change_reason
    assert len(why) == 100 and why.startswith("Sửa đổi phát hiện, lần sửa 2: Đơn vị cung cấp") and why.endswith("…")


def test_a_long_evidence_file_name_fits_the_history(started, cast, org):
    name = "biên bản kiểm tra hồ sơ đất đai tại bộ phận tiếp nhận và trả kết quả " * 3 + ".txt"
    finding = record(started, cast, org, grade="observation", attachments=[(name, b"ghi chu")])
    why = finding.attachments.get().history.get().history_change_reason
    assert len(why) == 100 and why.startswith("Đính kèm bằng chứng biên bản kiểm tra")
