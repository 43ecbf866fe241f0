"""Internal audits: programmes, audits, checklists, findings, corrective actions,
and the issued revisions of the PDF audit record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from procedures.models import Procedure, ProcedureVersion
from qms.models import Clause, NeverDeleted, OrgUnit, StoredFile

from .exceptions import AuditRecordError

NEVER_DELETED = _("Hồ sơ đánh giá không bao giờ bị xóa.")


class NoDeleteModel(NeverDeleted):
    class Meta:
        abstract = True

    @classmethod
    def refuse_delete(cls):
        raise AuditRecordError(NEVER_DELETED)


class AuditProgramme(NoDeleteModel):
    """The audits planned for one calendar year."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    title = models.CharField(_("tên chương trình"), max_length=300)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chương trình đánh giá")
        verbose_name_plural = _("chương trình đánh giá")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("audits:index") + f"?year={self.year}"


class AuditState(models.TextChoices):
    PLANNED = "planned", _("Đã lập kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang đánh giá")
    REPORTED = "reported", _("Đã báo cáo")
    CLOSED = "closed", _("Đã kết thúc")


# Which state may follow which: the services check every transition against this map.
AUDIT_TRANSITIONS = {
    AuditState.PLANNED: {AuditState.IN_PROGRESS},
    AuditState.IN_PROGRESS: {AuditState.REPORTED},
    AuditState.REPORTED: {AuditState.CLOSED},
    AuditState.CLOSED: set(),
}


class Audit(NoDeleteModel):
    State = AuditState

    programme = models.ForeignKey(
        AuditProgramme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="audits"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự trong chương trình"))
    title = models.CharField(_("tên cuộc đánh giá"), max_length=300)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    departments = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị được đánh giá"), related_name="audits"
    )
    clauses = models.ManyToManyField(
        Clause, verbose_name=_("điều khoản ISO 9001:2015"), blank=True, related_name="audits"
    )
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("quy trình"), blank=True, related_name="audits"
    )
    planned_start = models.DateField(_("ngày bắt đầu dự kiến"))
    planned_end = models.DateField(_("ngày kết thúc dự kiến"))
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đoàn đánh giá"),
        on_delete=models.PROTECT,
        related_name="led_audits",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên đoàn"), blank=True, related_name="audit_teams"
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=AuditState.choices, default=AuditState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    started_at = models.DateTimeField(_("thời điểm bắt đầu"), null=True, blank=True)
    reported_at = models.DateTimeField(_("thời điểm báo cáo"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết thúc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[departments, clauses, procedures, team])

    class Meta:
        verbose_name = _("cuộc đánh giá")
        verbose_name_plural = _("cuộc đánh giá")
        ordering = ["-programme__year", "number"]
        permissions = [
            ("conduct_audit", _("Thực hiện đánh giá (đoàn đánh giá)")),
            ("lead_audit", _("Chỉ đạo cuộc đánh giá (trưởng đoàn)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="audit_unique_number"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="audit_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in AuditState]), name="audit_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("audits:detail", kwargs={"pk": self.pk})

    @property
    def code(self) -> str:
        """"ĐG-2026-01": the audit's number in its year's programme."""
        return f"ĐG-{self.programme.year}-{self.number:02d}"


class AuditUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Audit, on_delete=models.CASCADE)


class AuditGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Audit, on_delete=models.CASCADE)


class ChecklistItem(NoDeleteModel):
    """One question of an audit's checklist: a clause in scope, or the effective
    version of a procedure in scope as it was when the audit started."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Chưa đánh giá")
        CONFORMING = "conforming", _("Phù hợp")
        NONCONFORMING = "nonconforming", _("Không phù hợp")
        NOT_APPLICABLE = "not_applicable", _("Không áp dụng")

    audit = models.ForeignKey(
        Audit, verbose_name=_("cuộc đánh giá"), on_delete=models.PROTECT, related_name="checklist"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    clause = models.ForeignKey(
        Clause, verbose_name=_("điều khoản"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản quy trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("nội dung kiểm tra"))
    result = models.CharField(
        _("kết quả"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục kiểm tra")
        verbose_name_plural = _("danh mục kiểm tra")
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="checklist_unique_position"),
        ]

    def __str__(self):
        return self.question


class Finding(NoDeleteModel):
    class Grade(models.TextChoices):
        MAJOR = "major", _("Điểm không phù hợp nặng")
        MINOR = "minor", _("Điểm không phù hợp nhẹ")
        OBSERVATION = "observation", _("Điểm cần lưu ý")
        OPPORTUNITY = "opportunity", _("Cơ hội cải tiến")

    NONCONFORMITIES = (Grade.MAJOR, Grade.MINOR)

    audit = models.ForeignKey(
        Audit, verbose_name=_("cuộc đánh giá"), on_delete=models.PROTECT, related_name="findings"
    )
    number = models.PositiveIntegerField(_("số thứ tự"))
    grade = models.CharField(_("mức độ"), max_length=12, choices=Grade.choices)
    statement = models.TextField(_("nội dung phát hiện"))
    evidence = models.TextField(_("bằng chứng"), blank=True)
    clause = models.ForeignKey(
        Clause, verbose_name=_("điều khoản ISO 9001:2015"), on_delete=models.PROTECT, related_name="+"
    )
    # The effective version of the procedure concerned at the time of the finding.
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản quy trình liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_findings",
    )
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="audit_findings"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi nhận"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phát hiện đánh giá")
        verbose_name_plural = _("phát hiện đánh giá")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_unique_number"),
            models.CheckConstraint(
                condition=Q(grade__in=["major", "minor", "observation", "opportunity"]),
                name="finding_grade_valid",
            ),
        ]

    def __str__(self):
        return f"{self.audit.code} / {self.number}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in self.NONCONFORMITIES


class FindingAttachment(NoDeleteModel, StoredFile):
    """Evidence attached to a finding, stored under its content hash."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("phát hiện"), on_delete=models.PROTECT, related_name="attachments"
    )

    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp bằng chứng")
        verbose_name_plural = _("tệp bằng chứng")


class ActionState(models.TextChoices):
    OPEN = "open", _("Chờ đơn vị trả lời")
    ANSWERED = "answered", _("Chờ kiểm tra hiệu lực")
    CLOSED = "closed", _("Đã đóng")


ACTION_TRANSITIONS = {
    ActionState.OPEN: {ActionState.ANSWERED},
    # Verification either closes the action or sends it back as not effective.
    ActionState.ANSWERED: {ActionState.CLOSED, ActionState.OPEN},
    ActionState.CLOSED: set(),
}


class CorrectiveAction(NoDeleteModel):
    """The corrective action that answers one nonconformity."""

    State = ActionState

    finding = models.OneToOneField(
        Finding, verbose_name=_("điểm không phù hợp"), on_delete=models.PROTECT, related_name="action"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    correction = models.TextField(_("khắc phục tức thời"), blank=True)
    root_cause = models.TextField(_("nguyên nhân gốc rễ"), blank=True)
    action_plan = models.TextField(_("hành động khắc phục"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    verification_note = models.TextField(_("kết quả kiểm tra hiệu lực"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thời điểm kiểm tra"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hành động khắc phục")
        verbose_name_plural = _("hành động khắc phục")
        ordering = ["due_date", "pk"]
        permissions = [("answer_correctiveaction", _("Trả lời hành động khắc phục"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ActionState]), name="action_state_valid"
            ),
        ]
        # The dashboards' query: open actions past their due date.
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self):
        return str(self.finding)


class CorrectiveActionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE)


class CorrectiveActionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE)


class AuditReport(NoDeleteModel):
    """One issued revision of the PDF audit record. Never changed: a re-issue is
    a new revision, and the earlier ones are kept."""

    audit = models.ForeignKey(
        Audit, verbose_name=_("cuộc đánh giá"), on_delete=models.PROTECT, related_name="reports"
    )
    revision = models.PositiveSmallIntegerField(_("lần phát hành"))
    number = models.CharField(_("số báo cáo"), max_length=40)
    file = models.FileField(_("tệp PDF"), upload_to="audit_reports/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("kích thước"))
    note = models.TextField(_("lý do phát hành"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người phát hành"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("thời điểm phát hành"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo đánh giá")
        verbose_name_plural = _("báo cáo đánh giá")
        ordering = ["audit", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "revision"], name="report_unique_revision"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # The one guard that must hold on every path, the shell included.
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise AuditRecordError(
                _("Báo cáo đã phát hành không được sửa; hãy phát hành lần mới.")
            )
        super().save(*args, **kwargs)
