"""Service quality of citizens' dossiers: fields of procedures, monthly dossier
figures, online targets, published periods, quality objectives (6.2),
satisfaction surveys (9.1.2) and the management review (9.3)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from audits.models import Finding
from qms.history_chain import ChainedHistoricalRecords
from qms.models import NeverDeleted, OrgUnit, Sector

from .exceptions import ServiceQualityRecordError

NEVER_DELETED = _("Hồ sơ chất lượng dịch vụ không bao giờ bị xóa.")
# The columns of a month's dossier figures, in the order of the one-stop export.
COUNT_FIELDS = (
    "carried_over", "received", "received_online_l3", "received_online_l4",
    "resolved_early", "resolved_on_time", "resolved_late",
    "pending_in_time", "pending_overdue", "apologies",
)


class Kept(NeverDeleted):
    class Meta:
        abstract = True

    @classmethod
    def refuse_delete(cls):
        raise ServiceQualityRecordError(NEVER_DELETED)


def period_label(year: int, month: int) -> str:
    """"2017-03": the period as the one-stop export writes it."""
    return f"{year:04d}-{month:02d}"


class ReportingUnit(Kept):
    """A department that reports dossier figures. Its officers (and anyone granted)
    hold object permissions on it: enter its figures, read them."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reporting"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị báo cáo số liệu")
        verbose_name_plural = _("đơn vị báo cáo số liệu")
        ordering = ["unit__name"]
        permissions = [
            ("enter_figures", _("Nhập số liệu giải quyết hồ sơ của đơn vị")),
            ("view_figures", _("Xem số liệu chưa công bố của đơn vị")),
        ]

    def __str__(self):
        return str(self.unit)


class ReportingUnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ReportingUnit, on_delete=models.CASCADE)


class ReportingUnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ReportingUnit, on_delete=models.CASCADE)


class OnlineTarget(Kept):
    """How many dossiers the province expects a unit to receive online at level 3
    in a year."""

    year = models.PositiveSmallIntegerField(_("năm"))
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="online_targets"
    )
    target = models.PositiveIntegerField(_("chỉ tiêu hồ sơ trực tuyến mức độ 3"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu hồ sơ trực tuyến")
        verbose_name_plural = _("chỉ tiêu hồ sơ trực tuyến")
        ordering = ["-year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="sq_target_unique"),
        ]

    def __str__(self):
        return f"{self.year} {self.department}: {self.target}"


class DossierStat(Kept):
    """The dossiers of one month, one department and one field.

    Balance: carried over + received = resolved (early, on time, late) + pending
    (in time, overdue). Carry-over: carried over = the pending of the month before
    (checked by the services, which see the neighbouring months).
    """

    class Source(models.TextChoices):
        FORM = "form", _("Nhập trên biểu mẫu")
        IMPORT = "import", _("Nhập từ tệp")

    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="dossier_stats"
    )
    field = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="stats"
    )
    carried_over = models.PositiveIntegerField(_("kỳ trước chuyển sang"))
    received = models.PositiveIntegerField(_("tiếp nhận mới"))
    received_online_l3 = models.PositiveIntegerField(_("trong đó trực tuyến mức độ 3"), default=0)
    received_online_l4 = models.PositiveIntegerField(_("trong đó trực tuyến mức độ 4"), default=0)
    resolved_early = models.PositiveIntegerField(_("giải quyết trước hạn"))
    resolved_on_time = models.PositiveIntegerField(_("giải quyết đúng hạn"))
    resolved_late = models.PositiveIntegerField(_("giải quyết trễ hạn"))
    pending_in_time = models.PositiveIntegerField(_("đang giải quyết trong hạn"))
    pending_overdue = models.PositiveIntegerField(_("đang giải quyết quá hạn"))
    apologies = models.PositiveIntegerField(_("thư xin lỗi đã gửi"), default=0)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("số liệu giải quyết hồ sơ")
        verbose_name_plural = _("số liệu giải quyết hồ sơ")
        ordering = ["year", "month", "department__name", "field__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "field", "year", "month"], name="sq_stat_unique_period"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="sq_stat_month"),
            models.CheckConstraint(
                condition=Q(
                    carried_over=F("resolved_early") + F("resolved_on_time") + F("resolved_late")
                    + F("pending_in_time") + F("pending_overdue") - F("received")
                ),
                name="sq_stat_balances",
            ),
            models.CheckConstraint(
                condition=Q(received__gte=F("received_online_l3") + F("received_online_l4")),
                name="sq_stat_online_within_received",
            ),
            models.CheckConstraint(
                condition=Q(apologies__lte=F("resolved_late") + F("pending_overdue")),
                name="sq_stat_apologies_for_late",
            ),
        ]
        # The yearly report reads one year at a time.
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self):
        return f"{self.period} {self.department} / {self.field}"

    @property
    def period(self) -> str:
        return period_label(self.year, self.month)

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_in_time + self.pending_overdue


class PublishedPeriod(Kept):
    """A month whose figures the central office has published: everyone with a role
    reads them in the summary, and they are locked until withdrawn."""

    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    published = models.BooleanField(_("đã công bố"), default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người công bố"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("thời điểm công bố"))
    withdrawn_reason = models.TextField(_("lý do rút lại"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("kỳ số liệu đã công bố")
        verbose_name_plural = _("kỳ số liệu đã công bố")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="sq_published_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="sq_published_month"),
        ]

    def __str__(self):
        return period_label(self.year, self.month)


class Indicator(models.TextChoices):
    LATE_RATE = "late_rate", _("Tỷ lệ hồ sơ trễ hạn")
    RESOLVED_RATE = "resolved_rate", _("Tỷ lệ hồ sơ đã giải quyết")
    ONLINE_SHARE = "online_share", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến")
    SATISFACTION = "satisfaction", _("Tỷ lệ hài lòng")
    MANUAL = "manual", _("Chỉ số nhập tay")


class Comparison(models.TextChoices):
    LT = "lt", "<"
    LE = "le", "≤"
    GT = "gt", ">"
    GE = "ge", "≥"


class Scope(models.TextChoices):
    COMMITTEE = "committee", _("Toàn cơ quan")
    DEPARTMENT = "department", _("Một đơn vị")
    FIELD = "field", _("Một lĩnh vực")


class QualityObjective(Kept):
    """A quality objective of a year (6.2.1) and the plan to reach it (6.2.2)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("mục tiêu"), max_length=300)
    indicator = models.CharField(_("chỉ số"), max_length=16, choices=Indicator.choices)
    scope = models.CharField(_("phạm vi"), max_length=12, choices=Scope.choices)
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="quality_objectives",
    )
    field = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="objectives",
    )
    comparison = models.CharField(_("so sánh"), max_length=2, choices=Comparison.choices)
    target = models.DecimalField(_("chỉ tiêu"), max_digits=9, decimal_places=2)
    unit_label = models.CharField(_("đơn vị tính"), max_length=20, default="%")
    plan_actions = models.TextField(_("việc sẽ làm"))
    plan_resources = models.TextField(_("nguồn lực"), blank=True)
    plan_responsible = models.CharField(_("người, đơn vị thực hiện"), max_length=300)
    plan_due = models.DateField(_("thời hạn hoàn thành"))
    plan_evaluation = models.TextField(_("cách đánh giá kết quả"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ theo dõi"), on_delete=models.PROTECT,
        related_name="quality_objectives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("mục tiêu chất lượng")
        verbose_name_plural = _("mục tiêu chất lượng")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="committee", department__isnull=True, field__isnull=True)
                    | Q(scope="department", department__isnull=False, field__isnull=True)
                    | Q(scope="field", field__isnull=False)
                ),
                name="sq_objective_scope",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.title}"

    def get_absolute_url(self):
        return reverse("service_quality:objective", kwargs={"pk": self.pk})

    @property
    def target_text(self) -> str:
        from .formatting import vn_number

        return f"{self.get_comparison_display()} {vn_number(self.target)} {self.unit_label}".strip()


class ObjectiveReading(Kept):
    """A measured value of a manual objective for one month."""

    objective = models.ForeignKey(
        QualityObjective, verbose_name=_("mục tiêu"), on_delete=models.PROTECT, related_name="readings"
    )
    month = models.PositiveSmallIntegerField(_("tháng"))
    value = models.DecimalField(_("giá trị"), max_digits=9, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("kết quả đo mục tiêu")
        verbose_name_plural = _("kết quả đo mục tiêu")
        ordering = ["objective", "month"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "month"], name="sq_reading_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="sq_reading_month"),
        ]

    def __str__(self):
        return f"{self.objective} / {self.month}"


class ObjectiveNonconformity(Kept):
    """The nonconformity (an audits Finding with its corrective action) raised from
    an objective whose figures break the target, with those figures frozen."""

    objective = models.ForeignKey(
        QualityObjective, verbose_name=_("mục tiêu"), on_delete=models.PROTECT,
        related_name="nonconformities",
    )
    finding = models.OneToOneField(
        Finding, verbose_name=_("điểm không phù hợp"), on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField(_("số liệu kèm theo"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nêu"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("thời điểm nêu"), auto_now_add=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("điểm không phù hợp từ mục tiêu")
        verbose_name_plural = _("điểm không phù hợp từ mục tiêu")
        ordering = ["-raised_at"]

    def __str__(self):
        return f"{self.objective} → {self.finding}"


class SatisfactionSurvey(Kept):
    """The results of a satisfaction survey of citizens (9.1.2) for a unit and a month:
    the share of respondents satisfied in each question group."""

    GROUPS = ("access_pct", "procedures_pct", "staff_pct", "results_pct", "feedback_pct")

    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="satisfaction_surveys"
    )
    respondents = models.PositiveIntegerField(_("số người trả lời"))
    access_pct = models.DecimalField(_("tiếp cận dịch vụ (%)"), max_digits=5, decimal_places=2)
    procedures_pct = models.DecimalField(_("thủ tục hành chính (%)"), max_digits=5, decimal_places=2)
    staff_pct = models.DecimalField(_("công chức giải quyết (%)"), max_digits=5, decimal_places=2)
    results_pct = models.DecimalField(_("kết quả giải quyết (%)"), max_digits=5, decimal_places=2)
    feedback_pct = models.DecimalField(_("tiếp nhận, xử lý góp ý (%)"), max_digits=5, decimal_places=2)
    comments = models.TextField(_("ý kiến khác"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("kết quả khảo sát sự hài lòng")
        verbose_name_plural = _("kết quả khảo sát sự hài lòng")
        ordering = ["year", "month", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "month"], name="sq_survey_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="sq_survey_month"),
        ]

    def __str__(self):
        return f"{period_label(self.year, self.month)} {self.department}"


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    CLOSED = "closed", _("Đã kết thúc")


REVIEW_TRANSITIONS = {
    ReviewState.DRAFT: {ReviewState.CLOSED},
    ReviewState.CLOSED: set(),
}


class ManagementReview(Kept):
    """A management review meeting (9.3): its inputs gathered by the system and
    frozen in `inputs`, its outputs (ReviewOutput) written by the officer."""

    State = ReviewState

    number = models.PositiveSmallIntegerField(_("lần xem xét trong năm"))
    year = models.PositiveSmallIntegerField(_("năm được xem xét"))
    meeting_date = models.DateField(_("ngày họp"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành phần tham dự"), blank=True, related_name="+"
    )
    other_participants = models.TextField(_("thành phần khác"), blank=True)
    context_changes = models.TextField(_("thay đổi bối cảnh, căn cứ pháp lý"), blank=True)
    resources = models.TextField(_("sự đầy đủ của nguồn lực"), blank=True)
    risk_actions = models.TextField(_("hiệu lực của hành động giải quyết rủi ro, cơ hội"), blank=True)
    improvement_notes = models.TextField(_("cơ hội cải tiến"), blank=True)
    inputs = models.JSONField(_("đầu vào đã thu thập"), default=dict, blank=True)
    inputs_gathered_at = models.DateTimeField(_("thời điểm thu thập đầu vào"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=8, choices=ReviewState.choices,
                             default=ReviewState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người kết thúc"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    history = ChainedHistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("xem xét của lãnh đạo")
        verbose_name_plural = _("xem xét của lãnh đạo")
        ordering = ["-meeting_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="sq_review_unique_number"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ReviewState]), name="sq_review_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.meeting_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("service_quality:review", kwargs={"pk": self.pk})

    @property
    def code(self) -> str:
        """"XXLĐ-2017-01": the first review of the figures of 2017."""
        return f"XXLĐ-{self.year}-{self.number:02d}"


class OutputState(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


OUTPUT_TRANSITIONS = {
    OutputState.OPEN: {OutputState.DONE},
    OutputState.DONE: set(),
}


class ReviewOutput(Kept):
    """One output of a management review (9.3.3): an action with an owner and a due
    date, in the owner's task list until done."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("Cơ hội cải tiến")
        QMS_CHANGE = "qms_change", _("Thay đổi hệ thống quản lý chất lượng")
        RESOURCES = "resources", _("Nhu cầu nguồn lực")

    State = OutputState

    review = models.ForeignKey(
        ManagementReview, verbose_name=_("cuộc họp xem xét"), on_delete=models.PROTECT, related_name="outputs"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại quyết định"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("nội dung"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT,
        related_name="review_outputs",
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    state = models.CharField(_("trạng thái"), max_length=6, choices=OutputState.choices,
                             default=OutputState.OPEN)
    done_note = models.TextField(_("kết quả thực hiện"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người báo hoàn thành"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    done_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("đầu ra xem xét của lãnh đạo")
        verbose_name_plural = _("đầu ra xem xét của lãnh đạo")
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="sq_output_unique_number"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in OutputState]), name="sq_output_state_valid"
            ),
        ]
        # The task lists' query: a person's open outputs by due date.
        indexes = [models.Index(fields=["owner", "state", "due_date"])]

    def __str__(self):
        return f"{self.review.code} / {self.number}"
