"""Internal audits: programmes, audits, checklists, findings, corrective actions,
and the issued revisions of the PDF audit record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from procedures.models import Procedure, ProcedureVersion
from qms import limits
from qms.history_chain import ChainedHistoricalRecords
from qms.integrity import same
from qms.models import Clause, NeverDeleted, OrgUnit, StoredFile

from .exceptions import AuditRecordError
from .seal import seal_of

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

    history = ChainedHistoricalRecords()

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

    history = ChainedHistoricalRecords(m2m_fields=[departments, clauses, procedures, team])

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
    notes = models.TextField(_("ghi chú"), blank=True, validators=[limits.max_chars(limits.NOTE_CHARS)])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)

    history = ChainedHistoricalRecords()

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
    statement = models.TextField(_("nội dung phát hiện"), validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    evidence = models.TextField(_("bằng chứng"), blank=True, validators=[limits.max_chars(limits.STATEMENT_CHARS)])
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
    # The checklist item the finding was raised from, if any.
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("mục kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi nhận"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)
    # Once the report has been issued, a change is a new revision of the record:
    # the earlier content is kept in FindingRevision.
    revision = models.PositiveSmallIntegerField(_("lần sửa đổi"), default=1)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa đổi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revised_at = models.DateTimeField(_("thời điểm sửa đổi"), null=True, blank=True)
    revision_reason = models.TextField(_("lý do sửa đổi"), blank=True)

    history = ChainedHistoricalRecords()

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

    def save(self, *args, **kwargs):
        # On every path, the shell included: the record of a closed audit is final.
        if Audit.objects.filter(pk=self.audit_id, state=AuditState.CLOSED).exists():
            from .exceptions import AuditRecordError

            raise AuditRecordError(
                _("Cuộc đánh giá đã kết thúc: không sửa hay thêm phát hiện được nữa.")
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The audit page showing this finding alone (the page is paginated)."""
        return reverse("audits:detail", kwargs={"pk": self.audit_id}) + f"?n={self.number}#finding-{self.number}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in self.NONCONFORMITIES


class FindingRevision(NoDeleteModel):
    """An earlier revision of a finding, frozen when a change after the first issue
    of the report made a new one. Never changed."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("phát hiện"), on_delete=models.PROTECT, related_name="revisions"
    )
    revision = models.PositiveSmallIntegerField(_("lần sửa đổi"))
    grade = models.CharField(_("mức độ"), max_length=12, choices=Finding.Grade.choices)
    statement = models.TextField(_("nội dung phát hiện"), validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    evidence = models.TextField(_("bằng chứng"), blank=True, validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    clause = models.ForeignKey(
        Clause, verbose_name=_("điều khoản ISO 9001:2015"), on_delete=models.PROTECT, related_name="+"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản quy trình liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    # Who wrote this revision, when and why (revision 1: the recording).
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("thời điểm lập"))
    reason = models.TextField(_("lý do sửa đổi"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("lần sửa đổi của phát hiện")
        verbose_name_plural = _("các lần sửa đổi của phát hiện")
        ordering = ["finding", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "revision"], name="finding_revision_unique"),
        ]

    def __str__(self):
        return f"{self.finding} ({self.revision})"

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise AuditRecordError(_("Lần sửa đổi đã lưu của phát hiện không được sửa."))
        super().save(*args, **kwargs)


class FindingAttachment(NoDeleteModel, StoredFile):
    """Evidence attached to a finding, stored under its content hash."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("phát hiện"), on_delete=models.PROTECT, related_name="attachments"
    )

    history = ChainedHistoricalRecords()

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
    """The corrective action that answers one nonconformity. Its answers and their
    effectiveness checks are its attempts (ActionAttempt), every one kept.

    Who has what to do (the inbox reads it this way):
    - state OPEN: waiting for an answer from `owner` (and the department's quality
      officers, who hold the answer permission);
    - state ANSWERED: the latest attempt (result PENDING) waits for an
      effectiveness check by the audit team (conduct permission on the audit),
      anyone but the one who answered it;
    - state CLOSED: nothing left to do.
    """

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
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN
    )
    closed_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)

    history = ChainedHistoricalRecords()

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

    def get_absolute_url(self):
        """The audit page showing this action's finding alone."""
        return reverse("audits:detail", kwargs={"pk": self.finding.audit_id}) + (
            f"?n={self.finding.number}#action-{self.pk}"
        )


class AttemptResult(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm tra hiệu lực")
    EFFECTIVE = "effective", _("Có hiệu lực")
    NOT_EFFECTIVE = "not_effective", _("Chưa có hiệu lực")


class ActionAttempt(NoDeleteModel):
    """One attempt at a corrective action: the department's answer (root cause,
    action, evidence, who and when) and the effectiveness check of that answer
    (verifier, date, result, comment). A failed check ends the attempt; the next
    answer is a new attempt. At most one attempt of an action waits for its check."""

    Result = AttemptResult

    action = models.ForeignKey(
        CorrectiveAction, verbose_name=_("hành động khắc phục"), on_delete=models.PROTECT,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField(_("lần"))
    correction = models.TextField(_("khắc phục tức thời"), blank=True, validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    root_cause = models.TextField(_("nguyên nhân gốc rễ"), validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    action_plan = models.TextField(_("hành động khắc phục"), validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    evidence = models.TextField(_("bằng chứng thực hiện"), blank=True, validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trả lời"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"))
    result = models.CharField(
        _("kết quả kiểm tra"), max_length=16, choices=AttemptResult.choices, default=AttemptResult.PENDING
    )
    verification_note = models.TextField(_("nhận xét kiểm tra hiệu lực"), blank=True, validators=[limits.max_chars(limits.NOTE_CHARS)])
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thời điểm kiểm tra"), null=True, blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("lần khắc phục")
        verbose_name_plural = _("các lần khắc phục")
        ordering = ["action", "number"]
        constraints = [
            models.UniqueConstraint(fields=["action", "number"], name="attempt_unique_number"),
            # The inbox's "waiting for a check" relies on it: one pending attempt at most.
            models.UniqueConstraint(
                fields=["action"], condition=Q(result="pending"), name="attempt_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(result__in=[r.value for r in AttemptResult]), name="attempt_result_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(result="pending", verified_by__isnull=True, verified_at__isnull=True)
                    | (~Q(result="pending") & Q(verified_by__isnull=False, verified_at__isnull=False))
                ),
                name="attempt_checked_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.action} ({self.number})"


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

    history = ChainedHistoricalRecords()

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


class AuditSignature(NoDeleteModel):
    """The lead auditor's signature on an issued revision of the audit record: password
    asked again, meaning, name, time, the issued PDF's SHA-256, sealed. Never changed."""

    class Meaning(models.TextChoices):
        REPORT_ISSUED = "report_issued", _("Trưởng đoàn đánh giá — phát hành báo cáo")

    report = models.OneToOneField(
        AuditReport, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="signature"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    # The name as it was when signed: a later rename does not rewrite a signature.
    signer_name = models.CharField(_("họ tên người ký"), max_length=300)
    meaning = models.CharField(_("ý nghĩa"), max_length=20, choices=Meaning.choices)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    pdf_sha256 = models.CharField(_("SHA-256 của tệp PDF đã ký"), max_length=64)
    # selectors.report_content_sha256 of what the signer was shown ("" before it was kept).
    content_sha256 = models.CharField(_("SHA-256 nội dung báo cáo đã ký"), max_length=64, blank=True)
    # seal.seal_of (keyed): rewritten hashes without the key do not look signed.
    seal = models.CharField(_("mã niêm phong"), max_length=64, blank=True, editable=False)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("chữ ký phát hành báo cáo")
        verbose_name_plural = _("chữ ký phát hành báo cáo")
        ordering = ["signed_at"]

    def __str__(self):
        return f"{self.signer_name} — {self.get_meaning_display()}"

    def seal_holds(self) -> bool:  # and the signed PDF is the report's
        return same(self.seal, seal_of(self)) and self.pdf_sha256 == self.report.sha256

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise AuditRecordError(_("Chữ ký điện tử đã ghi nhận không được sửa."))
        super().save(*args, **kwargs)
