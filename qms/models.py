"""The shared core: departments, people, and the clause catalogues of both editions."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NeverDeletedQuerySet(models.QuerySet):
    def delete(self):
        self.model.refuse_delete()


class NeverDeleted(models.Model):
    """A record kept for good: deleting it, one by one or in bulk, is refused.

    Subclasses raise their own app's error from `refuse_delete`.
    """

    objects = NeverDeletedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        self.refuse_delete()

    @classmethod
    def refuse_delete(cls):
        raise PermissionDenied(_("Hồ sơ này không bao giờ bị xóa."))


class StoredFile(models.Model):
    """A file kept under its content hash (see qms/files.py), with the name the person
    gave it for display only. Procedures' attachments and audit evidence are ones."""

    file = models.FileField(_("tệp"), max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class OrgUnit(models.Model):
    """A department of the People's Committee; the committee itself is the root."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def ancestors(self) -> list["OrgUnit"]:
        """This unit's parents up to the root, nearest first (one query per level)."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class Sector(models.Model):
    """A field (lĩnh vực) of administrative procedures — land, construction, civil
    status… — with a short code ("dat-dai"), handled by one department. Procedures
    name the fields they govern; dossier figures are counted per field."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị giải quyết"), on_delete=models.PROTECT, related_name="sectors"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person. Deactivated, never deleted: history rows keep their author."""

    department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """Vietnamese order: family and middle names, then the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Không xóa người dùng; hãy ngừng kích hoạt tài khoản."))


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    name = models.CharField(_("tên"), max_length=50)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiên bản tiêu chuẩn")
        verbose_name_plural = _("phiên bản tiêu chuẩn")
        ordering = ["year"]

    def __str__(self):
        return self.name


def clause_sort_key(number: str) -> str:
    """"7.1.5.1" -> "007.001.005.001", so that text order is clause order."""
    return ".".join(part.zfill(3) for part in number.split("."))


class Clause(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="clauses"
    )
    number = models.CharField(_("số hiệu"), max_length=16)
    title_vi = models.CharField(_("tên (tiếng Việt)"), max_length=300)
    title_en = models.CharField(_("tên (tiếng Anh)"), max_length=300)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("điều khoản cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_key = models.CharField(max_length=40, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điều khoản")
        verbose_name_plural = _("điều khoản")
        ordering = ["edition__year", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="clause_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        # Derived, not business logic: keeps ORDER BY sort_key equal to clause order.
        self.sort_key = clause_sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "vi").startswith("en") else self.title_vi


class ClauseCorrespondence(models.Model):
    """A 2008 clause and the 2015 clause that takes its requirement over.

    2015 clauses that are no row's target are the edition's new requirements.
    """

    class Kind(models.TextChoices):
        EQUIVALENT = "equivalent", _("tương đương")
        PARTIAL = "partial", _("một phần")

    source = models.ForeignKey(
        Clause,
        verbose_name=_("điều khoản 2008"),
        on_delete=models.PROTECT,
        related_name="correspondences_out",
    )
    target = models.ForeignKey(
        Clause,
        verbose_name=_("điều khoản 2015"),
        on_delete=models.PROTECT,
        related_name="correspondences_in",
    )
    kind = models.CharField(_("mức tương ứng"), max_length=12, choices=Kind.choices)
    note_vi = models.TextField(_("ghi chú (tiếng Việt)"), blank=True)
    note_en = models.TextField(_("ghi chú (tiếng Anh)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tương ứng điều khoản")
        verbose_name_plural = _("tương ứng điều khoản")
        ordering = ["source__sort_key", "target__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="correspondence_unique_pair")
        ]

    def __str__(self):
        return f"{self.source.number} → {self.target.number}"


# Background jobs (qms/jobs/): their model lives beside the code that runs them.
from .jobs.models import Job  # noqa: E402, F401
