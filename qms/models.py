"""The shared core: departments, people, and the clause catalogues of both editions."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .history_chain import ChainedHistoricalRecords


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
    # Who receives the escalations of the unit's overdue work (see
    # qms.notifications.department_heads for the fallback when nobody is named).
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_units",
    )

    history = ChainedHistoricalRecords()

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

    history = ChainedHistoricalRecords()

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

    history = ChainedHistoricalRecords(excluded_fields=["password", "last_login"])

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

    history = ChainedHistoricalRecords()

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

    history = ChainedHistoricalRecords()

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
        return getattr(self, self.title_column())

    @staticmethod
    def title_column() -> str:
        """The title column in the active language (for reads of plain rows too)."""
        from django.utils.translation import get_language

        return "title_en" if (get_language() or "vi").startswith("en") else "title_vi"


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

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("tương ứng điều khoản")
        verbose_name_plural = _("tương ứng điều khoản")
        ordering = ["source__sort_key", "target__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="correspondence_unique_pair")
        ]

    def __str__(self):
        return f"{self.source.number} → {self.target.number}"


# ---------------------------------------------------------------- notifications
# (qms/notifications.py writes and sends them; every app's services call it.)


class NotificationPreference(models.Model):
    """How a person wants their e-mail: one digest a day (the default) or each event
    at once, and in which language."""

    class Delivery(models.TextChoices):
        DIGEST = "digest", _("Một thư tổng hợp mỗi ngày")
        IMMEDIATE = "immediate", _("Gửi ngay từng thư")

    class Language(models.TextChoices):
        # The site's languages (settings.LANGUAGES), named in their own language.
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.PROTECT,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("cách nhận thư"), max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    language = models.CharField(
        _("ngôn ngữ của thư"), max_length=8, choices=Language.choices, default=Language.VI
    )

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self):
        return f"{self.user} — {self.get_delivery_display()}"


class MailDelivery(NeverDeleted):
    """One e-mail handed to the mail backend: a single event, or a person's digest of
    one day (at most one digest a person a day: a partial unique constraint)."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Thư gửi ngay")
        DIGEST = "digest", _("Thư tổng hợp")

    class Status(models.TextChoices):
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại thư"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("ngày"))
    address = models.EmailField(_("địa chỉ"))
    subject = models.CharField(_("tiêu đề"), max_length=300)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices)
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("thư đã gửi")
        verbose_name_plural = _("thư đã gửi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # "Running send_reminders twice the same day sends nothing twice."
            models.UniqueConstraint(
                fields=["recipient", "day"],
                condition=Q(kind="digest", status__in=["sending", "sent"]),
                name="maildelivery_one_digest_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} {self.day:%d/%m/%Y} {self.subject}"


class Notification(NeverDeleted):
    """One event for one person: the stored outbox. Written after the commit of the
    change it reports (qms.notifications.notify), rendered in the recipient's
    language, sent at once or in the day's digest; the rows stay as the record of
    what was sent (the officers' "reminders sent")."""

    class Category(models.TextChoices):
        EVENT = "event", _("Việc mới")
        REMINDER = "reminder", _("Nhắc việc quá hạn")
        ESCALATION = "escalation", _("Báo cáo lãnh đạo đơn vị")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        SKIPPED = "skipped", _("Không gửi (không có địa chỉ e-mail)")
        DONE = "done", _("Không gửi (việc đã xong trước khi gửi)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("loại sự kiện"), max_length=60)
    category = models.CharField(
        _("nhóm"), max_length=10, choices=Category.choices, default=Category.EVENT
    )
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # What the event is about, "app.model:pk" ("procedures.procedureversion:12").
    ref = models.CharField(_("đối tượng"), max_length=80, blank=True)
    # Idempotency: a second event with the same non-empty key for the same person is
    # not written (reminders of one period, the notice of one effective version).
    key = models.CharField(_("khóa"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    delivery = models.ForeignKey(
        MailDelivery,
        verbose_name=_("thư"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once_per_key"
            ),
        ]
        indexes = [
            # The sender's query: a person's pending rows.
            models.Index(fields=["status", "recipient"], name="notification_pending"),
            # The officers' "reminders sent" of one version.
            models.Index(fields=["ref", "kind"], name="notification_ref"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
# Background jobs (qms/jobs/): their model lives beside the code that runs them.
class FormSubmission(models.Model):
    """A form's one-time token, claimed by the post that did the work (qms.once).

    The unique token is what makes a double post safe: a second post of the same form
    waits for the first one's transaction and then finds its row, and is sent where the
    first one went instead of doing the work again."""

    token = models.CharField(_("mã biểu mẫu"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    location = models.CharField(_("trang kết quả"), max_length=500)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu đã gửi")
        verbose_name_plural = _("biểu mẫu đã gửi")

    def __str__(self):
        return self.token


from .jobs.models import Job  # noqa: E402, F401


class LockoutEvent(models.Model):
    """A lockout of a username or address after repeated failed sign-ins or signing
    passwords, and its end (cool-off over, or reset by an administrator). Written by
    qms.lockout from django-axes' signals; read in the admin."""

    class Kind(models.TextChoices):
        LOCKED = "locked", _("Bị khoá")
        ENDED = "ended", _("Hết khoá")

    kind = models.CharField(_("sự kiện"), max_length=10, choices=Kind.choices)
    username = models.CharField(_("tên đăng nhập"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ"), null=True, blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    until = models.DateTimeField(_("khoá đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện khoá tài khoản")
        verbose_name_plural = _("sự kiện khoá tài khoản")
        ordering = ["-at"]
        indexes = [models.Index(fields=["-at"], name="qms_lockout_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.ip_address or ''}"
