"""One small committee with one object of every kind a page of the site is about,
built through the services, for the role × page × object permission matrix
(tests/portal/test_permission_matrix.py).

Every object belongs to department A (tnmt) or to the audit team of `lead`; each
role that may act on it has a counterpart that may not because the object is not
theirs: `officer_b` (a quality officer of B), `auditor_x` (an auditor outside the
team), `staff_b` (staff of B, who owns no corrective action).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from audits import services as audit_services
from audits.models import (
    ActionAttempt,
    Audit,
    AuditProgramme,
    AuditReport,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)
from edition_migration import services as migration_services
from edition_migration.models import (
    DocumentedInformationLink,
    EditionMigration,
    RequirementDecision,
    TermFlag,
)
from procedures import services as procedure_services
from procedures.models import Acknowledgement, Attachment, Comment, Procedure, ProcedureVersion
from qms import roles
from qms.models import Clause, Job
from service_quality import services as quality_services
from service_quality.models import (
    DossierStat,
    ManagementReview,
    OnlineTarget,
    PublishedPeriod,
    QualityObjective,
    ReviewOutput,
    SatisfactionSurvey,
    Sector,
)
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory, draft, effective

CODE = "QT-M-01"
SAMPLES = Path(__file__).resolve().parent.parent / "edition_migration" / "samples"
YEAR = 2026
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00"
       b"IEND\xaeB`\x82")

# The roles of the matrix, each one person (see `build`).
ROLES = ("staff", "staff_b", "officer", "officer_b", "central", "approver", "lead", "team",
         "auditor_x", "admin")


@dataclass
class World:
    people: dict
    urls: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _people(org):
    def person(username, role, unit, **kwargs):
        return UserFactory(username=username, role=role, department=org[unit], **kwargs)

    return {
        "staff": person("staff", roles.STAFF, "a"),
        "staff_b": person("staff_b", roles.STAFF, "b"),
        "officer": person("officer", roles.QUALITY_OFFICER, "a"),
        # A second officer of A: the reviewer of the officer's drafts.
        "officer2": person("officer2", roles.QUALITY_OFFICER, "a"),
        "officer_b": person("officer_b", roles.QUALITY_OFFICER, "b"),
        "central": person("central", roles.QUALITY_OFFICER, "vp"),
        "approver": person("approver", roles.APPROVER, "root"),
        "lead": person("lead", roles.INTERNAL_AUDITOR, "b"),
        "team": person("team", roles.INTERNAL_AUDITOR, "root"),
        "auditor_x": person("auditor_x", roles.INTERNAL_AUDITOR, "b"),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True, department=org["root"]),
    }


def _clause(number):
    return Clause.objects.get(edition__year=2015, number=number)


def _procedures(w, p):
    """QT-M-01 of A: revision 1 effective, revision 2 a draft with an attachment and a
    comment; a 2008 procedure of A imported and migrated (its migration review)."""
    first = effective(author=p["officer"], approver=p["approver"], code=CODE, year=2015,
                      clauses=("7.5.3",), reviewers=[p["officer2"]])
    procedure = first.procedure
    second = procedure_services.version_start_revision(procedure=procedure, actor=p["officer"])
    attachment = procedure_services.attachment_add(version=second, actor=p["officer"], name="so-do.txt",
                                                   content="Sơ đồ quy trình.".encode())
    comment = procedure_services.comment_add(version=second, actor=p["officer"], body="Cần xem lại bước 2.")
    legacy = migration_services.procedure_import(
        actor=p["officer"], name="qt-tnmt-05.md", content=(SAMPLES / "qt-tnmt-05.md").read_bytes(),
        edition=2008, department=p["officer"].department,
    )
    migration_services.edition_migrate(actor=p["officer"], codes=[legacy.code])
    migration = EditionMigration.objects.get(procedure__code=legacy.code)
    w.objects.update(procedure=procedure, effective=first, draft=second, attachment=attachment,
                     comment=comment, migration=migration)
    v1 = f"/procedures/{CODE}/versions/1/"
    v2 = f"/procedures/{CODE}/versions/2/"
    w.urls.update({
        "procedures:detail": f"/procedures/{CODE}/", "procedures:pdf": f"/procedures/{CODE}/pdf/",
        "procedures:history": f"/procedures/{CODE}/history/",
        "procedures:diff": f"/procedures/{CODE}/diff/?old=1&new=2",
        "procedures:access_log": f"/procedures/{CODE}/access-log/",
        "procedures:access_log_csv": f"/procedures/{CODE}/access-log.csv",
        "procedures:access_log_xlsx": f"/procedures/{CODE}/access-log.xlsx",
        "procedures:revision_start": f"/procedures/{CODE}/new-revision/",
        "procedures:version": v2, "procedures:version_edit": v2 + "edit/",
        "procedures:version_pdf": v2 + "pdf/", "procedures:attachment_upload": v2 + "attachments/",
        "procedures:attachment": v2 + f"attachments/{attachment.pk}/",
        "procedures:attachment_remove": v2 + f"attachments/{attachment.pk}/remove/",
        "procedures:attachment_replace": v2 + f"attachments/{attachment.pk}/replace/",
        "procedures:comment_answer": v2 + f"comments/{comment.pk}/answer/",
        "procedures:comment_resolve": v2 + f"comments/{comment.pk}/resolve/",
        "procedures:version_action": v2 + "submit/",
        "procedures:acknowledge": v1 + "acknowledge/",
        "procedures:acknowledgement_status": v1 + "acknowledgements/",
        "procedures:acknowledgement_status_csv": v1 + "acknowledgements.csv",
        "procedures:acknowledgement_status_xlsx": v1 + "acknowledgements.xlsx",
        "edition_migration:review": f"/migration/{migration.pk}/",
        "edition_migration:decide": f"/migration/{migration.pk}/decide/",
        "edition_migration:submit": f"/migration/{migration.pk}/submit/",
    })


def _audits(w, p, org):
    """The programme of 2026 and three audits of department A led by `lead` with
    `team`: one planned, one in progress (a finding of A with its corrective action
    owned by `staff`, and an attachment; its checklist answered, ready for its report),
    one whose report is issued."""
    programme = audit_services.programme_create(actor=p["lead"], year=YEAR)

    def plan(title):
        return audit_services.audit_create(
            actor=p["lead"], programme=programme, title=title, departments=[org["a"]],
            planned_start=datetime.date(YEAR, 3, 10), planned_end=datetime.date(YEAR, 3, 12),
            lead_auditor=p["lead"], team=[p["team"]], clause_numbers=["7.5.3", "8.5.1"], procedures=[],
        )

    planned = plan("Đánh giá lần 1")
    running = audit_services.audit_start(audit=plan("Đánh giá lần 2"), actor=p["lead"])
    finding = audit_services.finding_record(
        audit=running, actor=p["lead"], grade="minor", statement="Biểu mẫu cũ vẫn được dùng.",
        clause=_clause("7.5.3"), department=org["a"], evidence="Kiểm tra 10 hồ sơ.",
        action_owner=p["staff"], action_due=datetime.date(YEAR, 4, 30),
    )
    for item in running.checklist.all():
        audit_services.checklist_item_answer(item=item, actor=p["team"], result="conforming", notes="Đạt")
    evidence = audit_services.finding_attachment_add(finding=finding, actor=p["lead"], name="anh.png",
                                                     content=PNG)
    reported = audit_services.audit_start(audit=plan("Đánh giá lần 3"), actor=p["lead"])
    for item in reported.checklist.all():
        audit_services.checklist_item_answer(item=item, actor=p["team"], result="conforming", notes="Đạt")
    audit_services.audit_report_issue(audit=reported, actor=p["lead"], password=PASSWORD)
    item = running.checklist.order_by("position").first()
    action = CorrectiveAction.objects.get(finding=finding)
    w.objects.update(planned=planned, running=running, reported=reported, finding=finding, action=action,
                     item=item)
    w.urls.update({
        "audits:audit_create": f"/audits/programmes/{YEAR}/new/",
        "audits:detail": f"/audits/{running.pk}/", "audits:history": f"/audits/{running.pk}/history/",
        "audits:start": f"/audits/{planned.pk}/start/", "audits:close": f"/audits/{reported.pk}/close/",
        "audits:findings_xlsx": f"/audits/{running.pk}/findings.xlsx",
        "audits:year_findings_xlsx": f"/audits/programmes/{YEAR}/findings.xlsx",
        "audits:finding_create": f"/audits/{running.pk}/findings/new/",
        "audits:report_issue": f"/audits/{running.pk}/report/issue/",
        "audits:report": f"/audits/{reported.pk}/report.pdf",
        "audits:report_revision": f"/audits/{reported.pk}/report/1.pdf",
        "audits:report_preview": f"/audits/{running.pk}/preview.pdf",
        "audits:checklist_answer": f"/audits/checklist/{item.pk}/",
        "audits:finding_edit": f"/audits/findings/{finding.pk}/edit/",
        "audits:attachment_add": f"/audits/findings/{finding.pk}/attachments/",
        "audits:attachment": f"/audits/attachments/{evidence.pk}/",
        "audits:action_answer": f"/audits/actions/{action.pk}/answer/",
        "audits:action_verify": f"/audits/actions/{action.pk}/verify/",
    })


def _quality(w, p, org):
    """Two fields (A and B) with January 2026 figures, an objective of A's field owned by
    `officer`, a management review chaired by `approver` with one output for `officer`."""
    central = p["central"]
    land = quality_services.field_create(actor=central, code="dat-dai", name="Đất đai", department=org["a"])
    quality_services.field_create(actor=central, code="xay-dung", name="Xây dựng", department=org["b"])
    rows = []
    for unit, code in (("tnmt", "dat-dai"), ("qldt", "xay-dung")):
        rows.append((len(rows) + 2, {
            "period": f"{YEAR}-01", "department": unit, "field": code, "carried_over": "0",
            "received": "100", "received_online_l3": "0", "received_online_l4": "0",
            "resolved_early": "80", "resolved_on_time": "10", "resolved_late": "5",
            "pending_in_time": "5", "pending_overdue": "0", "apologies": "5",
        }))
    quality_services.stats_import(actor=central, items=rows)
    stat = DossierStat.objects.get(department=org["a"])
    w.urls["other:figure_edit"] = f"/quality/figures/{DossierStat.objects.get(department=org['b']).pk}/"
    objective = quality_services.objective_create(
        actor=p["officer"], year=YEAR, title="Tỷ lệ hồ sơ đất đai trễ hạn dưới 3 %",
        indicator="late_rate", scope="field", field=land, comparison="lt", target=Decimal("3"),
        owner=p["officer"], plan_actions="Rà soát quy trình.", plan_resources="",
        plan_responsible="Trưởng phòng", plan_due=datetime.date(YEAR, 12, 31),
        plan_evaluation="Tỷ lệ trễ hạn hằng tháng.",
    )
    review = quality_services.review_create(
        actor=central, year=YEAR, meeting_date=datetime.date(YEAR, 2, 20), chair=p["approver"],
        participants=[p["officer"]], resources="Thiếu 01 công chức.",
    )
    output = quality_services.review_output_add(
        review=review, actor=central, kind="improvement", owner=p["officer"],
        description="Giảm hồ sơ trễ hạn lĩnh vực đất đai.", due_date=datetime.date(YEAR, 6, 30),
    )
    w.objects.update(stat=stat, objective=objective, review=review, output=output)
    w.urls.update({
        "service_quality:figure_edit": f"/quality/figures/{stat.pk}/",
        "service_quality:objective": f"/quality/objectives/{objective.pk}/",
        "service_quality:objective_edit": f"/quality/objectives/{objective.pk}/edit/",
        "service_quality:review": f"/quality/reviews/{review.pk}/",
        "service_quality:review_edit": f"/quality/reviews/{review.pk}/edit/",
        "service_quality:review_pdf": f"/quality/reviews/{review.pk}/record.pdf",
        "service_quality:output_done": f"/quality/outputs/{output.pk}/done/",
    })


def _jobs(w, p):
    """A job started by `officer`: its page is theirs (and the administrator's)."""
    job = Job.objects.create(started_by=p["officer"], kind="procedures.apply_scheduled",
                             label="Cho hiệu lực các phiên bản đã đến ngày hiệu lực", language="vi")
    w.objects["job"] = job
    w.urls.update({"jobs:detail": f"/jobs/{job.pk}/", "jobs:status": f"/jobs/{job.pk}/status/"})


def build() -> World:
    root = OrgUnitFactory(code="ubnd", name="Ủy ban nhân dân")
    org = {
        "root": root,
        "a": OrgUnitFactory(code="tnmt", name="Phòng Tài nguyên và Môi trường", parent=root),
        "b": OrgUnitFactory(code="qldt", name="Phòng Quản lý đô thị", parent=root),
        "vp": OrgUnitFactory(code="vp", name="Văn phòng HĐND và UBND", parent=root),
    }
    p = _people(org)
    w = World(people=p)
    w.objects["org"] = org
    _procedures(w, p)
    draft(author=p["officer_b"], code="QT-B-01")  # a draft of B: nobody of A sees it
    w.urls.update({"other:version": "/procedures/QT-B-01/versions/1/",
                   "other:version_edit": "/procedures/QT-B-01/versions/1/edit/"})
    _audits(w, p, org)
    _quality(w, p, org)
    _jobs(w, p)
    return w


# What a refused request must leave as it was: the rows and states of everything
# the pages act on.
COUNTED = (Procedure, ProcedureVersion, Attachment, Comment, Acknowledgement, AuditProgramme, Audit, ChecklistItem,
           Finding, FindingAttachment, CorrectiveAction, ActionAttempt, AuditReport, EditionMigration,
           TermFlag, RequirementDecision, DocumentedInformationLink, Sector, DossierStat,
           PublishedPeriod, OnlineTarget, SatisfactionSurvey, QualityObjective, ManagementReview,
           ReviewOutput, Job)


def fingerprint() -> dict:
    """Row counts of every model the pages change, and the states that move."""
    state = {model.__name__: model.objects.count() for model in COUNTED}
    state["versions"] = sorted(ProcedureVersion.objects.values_list("pk", "state", "content_sha256"))
    state["comments"] = sorted(Comment.objects.values_list("pk", "resolved_at"))
    state["attachments"] = sorted(Attachment.objects.values_list("pk", "removed_at"))
    state["audits"] = sorted(Audit.objects.values_list("pk", "state"))
    state["items"] = sorted(ChecklistItem.objects.values_list("pk", "result", "notes"))
    state["findings"] = sorted(Finding.objects.values_list("pk", "statement"))
    state["actions"] = sorted(CorrectiveAction.objects.values_list("pk", "state"))
    state["terms"] = sorted(TermFlag.objects.values_list("pk", "decision"))
    state["stats"] = sorted(DossierStat.objects.values_list("pk", "received"))
    state["objectives"] = sorted(QualityObjective.objects.values_list("pk", "title"))
    state["reviews"] = sorted(ManagementReview.objects.values_list("pk", "state", "inputs_gathered_at"))
    state["outputs"] = sorted(ReviewOutput.objects.values_list("pk", "state"))
    return state
