"""What the 2008 → 2015 migration proposed for one draft, and what the officer decided."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from procedures.models import Controlled


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
    # The rewritten text as proposed: term positions refer to it.
    base_body = models.TextField(_("nội dung đề xuất"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chuyển đổi"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày chuyển đổi"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chuyển đổi sang bản 2015")
        verbose_name_plural = _("chuyển đổi sang bản 2015")
        ordering = ["procedure__code"]

    def __str__(self):
        return f"{self.procedure.code} → 2015"


class TermFlag(Controlled):
    """A 2008 term found in the draft, the 2015 wording proposed, and the decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chưa quyết định")
        ACCEPTED = "accepted", _("Chấp nhận")
        REFUSED = "refused", _("Từ chối")

    migration = models.ForeignKey(
        EditionMigration, verbose_name=_("chuyển đổi"), on_delete=models.PROTECT, related_name="terms"
    )
    key = models.CharField(_("thuật ngữ"), max_length=60)
    found = models.CharField(_("cụm từ trong văn bản"), max_length=200)
    language = models.CharField(_("ngôn ngữ"), max_length=2, default="vi")
    position = models.PositiveIntegerField(_("vị trí"))
    line = models.PositiveIntegerField(_("dòng"))
    proposed_vi = models.TextField(_("đề xuất (tiếng Việt)"))
    proposed_en = models.TextField(_("đề xuất (tiếng Anh)"))
    # What replaces `found` on acceptance, in the document's language and case.
    replacement = models.TextField(_("nội dung thay thế"))
    needs_decision = models.BooleanField(_("cần cân nhắc"), default=False)
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thuật ngữ cần chuyển đổi")
        verbose_name_plural = _("thuật ngữ cần chuyển đổi")
        ordering = ["migration", "position"]
        indexes = [models.Index(fields=["migration", "decision"])]

    def __str__(self):
        return f"{self.found} → {self.replacement}"
