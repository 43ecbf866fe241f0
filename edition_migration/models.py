"""What the 2008 → 2015 migration proposed for one draft, and what the officer decided."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.models import Controlled
from qms.history_chain import ChainedHistoricalRecords


class EditionMigration(Controlled):
    """One draft revision on the 2015 edition made from an effective 2008 version.

    The draft itself goes through the normal life cycle; this row keeps what the
    tool proposed (clauses mapped, text rewritten, points to decide) beside it.
    """

    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="edition_migrations",
    )
    source_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản theo bản 2008"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    draft = models.OneToOneField(
        "procedures.ProcedureVersion",
        verbose_name=_("dự thảo theo bản 2015"),
        on_delete=models.PROTECT,
        related_name="edition_migration",
    )
    from_clauses = models.JSONField(_("điều khoản bản 2008"), default=list, blank=True)
    to_clauses = models.JSONField(_("điều khoản bản 2015"), default=list, blank=True)
    unmapped = models.JSONField(_("điều khoản không chuyển được"), default=list, blank=True)
    needs_decision = models.JSONField(_("điểm cần quyết định"), default=list, blank=True)
    # {2008 number: [2015 numbers]}: what each 2008 clause reaches only in part. The
    # gap report counts these as "partly covered" until the officer confirms them.
    partial_clauses = models.JSONField(_("điều khoản tương ứng một phần"), default=dict, blank=True)
    # The rewritten text as proposed: term positions refer to it.
    base_body = models.TextField(_("nội dung đề xuất"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chuyển đổi"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày chuyển đổi"), auto_now_add=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("chuyển đổi sang bản 2015")
        verbose_name_plural = _("chuyển đổi sang bản 2015")
        ordering = ["procedure__code"]

    def __str__(self):
        return f"{self.procedure.code} → 2015"


class TermFlag(Controlled):
    """A point of the draft for the officer: a 2008 term with the 2015 wording proposed,
    a clause reference whose correspondence is only partial, or a clause of the
    version's list with no equivalent; and the decision taken on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chưa quyết định")
        ACCEPTED = "accepted", _("Chấp nhận")
        REFUSED = "refused", _("Từ chối")

    class Kind(models.TextChoices):
        TERM = "term", _("Thuật ngữ")
        REFERENCE = "reference", _("Viện dẫn điều khoản")
        CLAUSE = "clause", _("Điều khoản trong danh mục viện dẫn")

    migration = models.ForeignKey(
        EditionMigration, verbose_name=_("chuyển đổi"), on_delete=models.PROTECT, related_name="terms"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.TERM)
    key = models.CharField(_("thuật ngữ"), max_length=60)
    found = models.CharField(_("cụm từ trong văn bản"), max_length=200)
    language = models.CharField(_("ngôn ngữ"), max_length=2, default="vi")
    position = models.PositiveIntegerField(_("vị trí"))
    line = models.PositiveIntegerField(_("dòng"))
    proposed_vi = models.TextField(_("đề xuất (tiếng Việt)"))
    proposed_en = models.TextField(_("đề xuất (tiếng Anh)"))
    # What replaces `found` on acceptance, in the document's language and case: the
    # proposal, or the choice or wording the officer settled on.
    replacement = models.TextField(_("nội dung thay thế"), blank=True)
    # The explanation, shown beside the proposal, never written into the text.
    note_vi = models.TextField(_("ghi chú (tiếng Việt)"), blank=True)
    note_en = models.TextField(_("ghi chú (tiếng Anh)"), blank=True)
    # [{"label_vi", "label_en", "text", "clauses"}] for a decision; [] for a replacement.
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True)
    # What stands in the draft for this point now (`found` until accepted).
    applied = models.TextField(_("nội dung đang áp dụng"), blank=True)
    # 2015 clauses the officer confirmed by accepting (references and clauses).
    clauses = models.JSONField(_("điều khoản được xác nhận"), default=list, blank=True)
    needs_decision = models.BooleanField(_("cần cân nhắc"), default=False)
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("thuật ngữ cần chuyển đổi")
        verbose_name_plural = _("thuật ngữ cần chuyển đổi")
        ordering = ["migration", "position"]
        indexes = [models.Index(fields=["migration", "decision"])]

    def __str__(self):
        return f"{self.found} → {self.replacement}"


class RequirementDecision(Controlled):
    """The officer's statement about one 2015 requirement for the whole system: not
    applicable, with the justification that 4.3 asks for. Withdrawn, it stays in
    history (`withdrawn_at`); at most one standing statement per requirement."""

    number = models.CharField(_("điều khoản bản 2015"), max_length=12)
    justification = models.TextField(_("lý giải"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("thời điểm rút lại"), null=True, blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("yêu cầu không áp dụng")
        verbose_name_plural = _("yêu cầu không áp dụng")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_requirement_decision",
            )
        ]

    def __str__(self):
        return f"{self.number}: {self.justification[:40]}"


class DocumentedInformationLink(Controlled):
    """Which procedure (or form, or record type) holds a piece of documented
    information the 2015 edition requires: the tool proposes, the officer confirms."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REFUSED = "refused", _("Không đúng")

    key = models.CharField(_("thông tin dạng văn bản"), max_length=60)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("tài liệu"), on_delete=models.PROTECT,
        related_name="documented_information_links",
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("liên kết thông tin dạng văn bản")
        verbose_name_plural = _("liên kết thông tin dạng văn bản")
        ordering = ["key", "procedure__code"]
        constraints = [
            models.UniqueConstraint(fields=["key", "procedure"], name="one_link_per_key_and_procedure")
        ]

    def __str__(self):
        return f"{self.key} ← {self.procedure_id}"
