"""Controlled documents and their revisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from qms import limits
from qms.codes import CODE_HELP, CODE_PATTERN, validate_code
from qms.history_chain import ChainedHistoricalRecords
from qms.models import Clause, Edition, NeverDeleted, OrgUnit, Sector, StoredFile

from .exceptions import ControlledRecordError


class State(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang xem xét")
    APPROVED = "approved", _("Đã phê duyệt")
    EFFECTIVE = "effective", _("Đang hiệu lực")
    SUPERSEDED = "superseded", _("Đã được thay thế")
    OBSOLETE = "obsolete", _("Đã hủy bỏ")


# Which state may follow which: the services check every transition against this map.
TRANSITIONS = {
    State.DRAFT: {State.IN_REVIEW},
    State.IN_REVIEW: {State.DRAFT, State.APPROVED},
    State.APPROVED: {State.EFFECTIVE},
    State.EFFECTIVE: {State.SUPERSEDED, State.OBSOLETE},
    State.SUPERSEDED: set(),
    State.OBSOLETE: set(),
}

# Content of a version in these states is frozen: a change is a new revision.
FROZEN_STATES = {State.APPROVED, State.EFFECTIVE, State.SUPERSEDED, State.OBSOLETE}
# The fields that make up a version's content (and its hash).
CONTENT_FIELDS = ("procedure_id", "revision", "title", "edition_id", "body", "change_summary")


class Controlled(NeverDeleted):
    """Document-control records: never deleted, alone or in bulk."""

    class Meta:
        abstract = True

    @classmethod
    def refuse_delete(cls):
        raise ControlledRecordError(_("Hồ sơ được kiểm soát không bao giờ bị xóa."))


class Procedure(Controlled):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Sổ tay")
        POLICY = "policy", _("Chính sách")
        PROCEDURE = "procedure", _("Quy trình")
        WORK_INSTRUCTION = "work_instruction", _("Hướng dẫn công việc")
        FORM = "form", _("Biểu mẫu")
        EXTERNAL = "external", _("Tài liệu bên ngoài")

    code = models.CharField(
        _("mã số"), max_length=40, unique=True, validators=[validate_code], help_text=CODE_HELP
    )
    title = models.CharField(_("tên tài liệu"), max_length=300)
    kind = models.CharField(
        _("loại tài liệu"), max_length=20, choices=Kind.choices, default=Kind.PROCEDURE
    )
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="procedures"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chủ trì quá trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_procedures",
    )
    review_period_months = models.PositiveSmallIntegerField(
        _("chu kỳ xem xét (tháng)"), default=12
    )
    distribution = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị được phân phối"), blank=True, related_name="distributed_procedures"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("lĩnh vực"), blank=True, related_name="procedures"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = ChainedHistoricalRecords(m2m_fields=[distribution, sectors])

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["code"]
        constraints = [
            # No stored code may break a URL (/procedures/<code>/): see qms.codes.
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN) & ~Q(code__contains="\n"),
                name="procedure_code_pattern",
            ),
        ]
        permissions = [
            ("view_effective_procedure", _("Xem phiên bản đang hiệu lực")),
            ("author_procedure", _("Soạn thảo và trình phiên bản")),
            ("review_procedure", _("Xem xét phiên bản")),
            ("approve_procedure", _("Phê duyệt phiên bản")),
            ("publish_procedure", _("Ban hành và hủy bỏ phiên bản")),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("procedures:detail", kwargs={"code": self.code})


class ProcedureVersion(Controlled):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("tài liệu"), on_delete=models.PROTECT, related_name="versions"
    )
    revision = models.PositiveIntegerField(_("lần ban hành"))
    # The title as written and approved for this revision: what readers see with it.
    # A draft may rename the procedure; the procedure's title follows when it takes effect.
    title = models.CharField(_("tên tài liệu"), max_length=300, blank=True)
    # The effective version this revision was written from; it may take effect only
    # while that one is still the effective version (no lost update between revisions).
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("sửa đổi từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("phiên bản tiêu chuẩn"), on_delete=models.PROTECT, related_name="+"
    )
    clauses = models.ManyToManyField(
        Clause, verbose_name=_("điều khoản viện dẫn"), blank=True, related_name="versions"
    )
    body = models.TextField(_("nội dung"), blank=True, validators=[limits.max_chars(limits.BODY_CHARS)])
    change_summary = models.TextField(_("tóm tắt thay đổi"), blank=True, validators=[limits.max_chars(limits.NOTE_CHARS)])
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    content_sha256 = models.CharField(_("SHA-256 nội dung"), max_length=64, editable=False)
    # Folded (lower case, no diacritics, đ→d) code, title and body, kept by the services.
    search_text = models.TextField(editable=False, blank=True)
    # Optimistic lock: each save through the services increments it.
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người soạn"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày sửa"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("ngày xem xét"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do trả lại"), blank=True)
    effective_from = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    next_review_due = models.DateField(_("hạn xem xét định kỳ"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("ngày bị thay thế"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ngày hủy bỏ"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hủy bỏ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    # The departments this revision is distributed to, proposed by the draft and
    # reviewed with it; the procedure's distribution follows it when it takes effect.
    # Empty on versions written before issue 10 (the procedure's distribution applies).
    distribution = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị được phân phối"), blank=True,
        related_name="distributed_versions",
    )
    # Each submission opens a new round of review; assignments and signatures of an
    # earlier round do not count for the current one.
    submission_round = models.PositiveSmallIntegerField(_("lần trình"), default=0, editable=False)
    # The administrative decision that issues the revision ("Quyết định ban hành số
    # 125/QĐ-UBND ngày 15/03/2024"), recorded when it is made effective.
    decision_number = models.CharField(_("số quyết định ban hành"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định ban hành"), null=True, blank=True)

    history = ChainedHistoricalRecords(
        m2m_fields=[clauses, distribution], excluded_fields=["search_text"]
    )

    class Meta:
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = _("phiên bản tài liệu")
        ordering = ["procedure__code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "revision"], name="version_unique_revision"
            ),
            # The invariant of document control: one current text per procedure.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(state="effective"),
                name="version_one_effective_per_procedure",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="version_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_review_due"])]

    def __str__(self):
        return f"{self.procedure.code} rev. {self.revision}"

    def save(self, *args, **kwargs):
        # The one guard that must hold on every path, the shell included:
        # a frozen version's content never changes.
        if self.pk:
            self._refuse_change_to_frozen_content()
        super().save(*args, **kwargs)

    def _refuse_change_to_frozen_content(self):
        stored = (
            type(self)
            .objects.filter(pk=self.pk)
            .values("state", "content_sha256", *CONTENT_FIELDS)
            .first()
        )
        if stored is None or stored["state"] not in FROZEN_STATES:
            return
        changed = [f for f in (*CONTENT_FIELDS, "content_sha256") if stored[f] != getattr(self, f)]
        if changed:
            raise ControlledRecordError(
                _("Phiên bản đã phê duyệt không được sửa; hãy tạo lần ban hành mới.")
            )

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def current_attachments(self) -> list:
        """The attachments that belong to the text (not removed from the draft);
        filtered in Python so that a prefetch of `attachments` serves it."""
        return [a for a in self.attachments.all() if a.removed_at is None]

    @property
    def removed_attachments(self) -> list:
        return [a for a in self.attachments.all() if a.removed_at is not None]


class Signature(Controlled):
    """An electronic signature: who signed which content, when, meaning what."""

    class Meaning(models.TextChoices):
        REVIEWED = "reviewed", _("Đã xem xét")
        APPROVED = "approved", _("Đã phê duyệt")
        RETURNED = "returned", _("Trả lại")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    # The name as it was when signed: a later rename does not rewrite a signature.
    signer_name = models.CharField(_("họ tên người ký"), max_length=300)
    meaning = models.CharField(_("ý nghĩa"), max_length=12, choices=Meaning.choices)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    # HMAC-SHA-256 (qms.integrity) of the content hash, the version, the signer and the
    # meaning. Scheme 1: content hashed without the title (signed before issue 11);
    # scheme 2: with it.
    content_sha256 = models.CharField(_("SHA-256 nội dung đã ký"), max_length=64)
    scheme = models.PositiveSmallIntegerField(_("cách băm"), default=2, editable=False)
    # Why a signer returned the draft (meaning "returned" only).
    reason = models.TextField(_("lý do"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("chữ ký điện tử")
        verbose_name_plural = _("chữ ký điện tử")
        ordering = ["signed_at"]

    def __str__(self):
        return f"{self.signer_name} — {self.get_meaning_display()}"


class Attachment(Controlled, StoredFile):
    """A file attached to a version (a form, a flow chart), stored under its content hash."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="attachments"
    )
    # The row of the earlier revision this one was carried over from (same stored file).
    copied_from = models.ForeignKey(
        "self", verbose_name=_("mang theo từ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The attachment of this draft that this file replaced.
    replaces = models.ForeignKey(
        "self", verbose_name=_("thay cho"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # An attachment leaves a draft by being marked removed, never by deletion: the row,
    # its file and its history stay; removed ones are not part of the content.
    removed_at = models.DateTimeField(_("ngày gỡ"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gỡ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    removal_reason = models.TextField(_("lý do gỡ"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


# Direct foreign-key object permissions: indexed joins instead of guardian's
# generic text object_pk, and no orphans (see shared/PITFALLS.md).


class ProcedureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Procedure, on_delete=models.CASCADE)


class ProcedureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Procedure, on_delete=models.CASCADE)


class Acknowledgement(Controlled):
    """A person's statement that they have read an effective version."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận"), auto_now_add=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("xác nhận đã đọc")
        verbose_name_plural = _("xác nhận đã đọc")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="acknowledgement_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} — {self.version}"


class AccessLog(Controlled):
    """Who viewed, printed, downloaded or acknowledged which revision, and when.
    Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Xem")
        PRINT = "print", _("In bản PDF")
        DOWNLOAD = "download", _("Tải tệp đính kèm")
        ACKNOWLEDGE = "acknowledge", _("Xác nhận đã đọc")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người truy cập"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("thao tác"), max_length=12, choices=Action.choices)
    attachment = models.ForeignKey(
        Attachment, verbose_name=_("tệp"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    # A print of an effective version is a controlled copy: numbered 1, 2, 3… per
    # version in print order (access_record); empty for every other row.
    copy_number = models.PositiveIntegerField(_("bản số"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["version", "-at"]),
            # "Has this person opened this version?" before an acknowledgement.
            models.Index(fields=["user", "version"], name="accesslog_user_version"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "copy_number"],
                condition=models.Q(copy_number__isnull=False),
                name="accesslog_one_copy_number_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.version}"



class ReviewAssignment(Controlled):
    """A person named to review or approve one submission (round) of a version.

    Written by `version_submit`; signed, returned or closed by the signature and
    recall services. Reviewers of a round sign in parallel; the approver signs once
    every reviewer of the round has.
    """

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Xem xét")
        APPROVER = "approver", _("Phê duyệt")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ ký")
        SIGNED = "signed", _("Đã ký")
        RETURNED = "returned", _("Đã trả lại")
        # The round ended without this person's signature (recalled, or returned by another).
        CLOSED = "closed", _("Đã đóng")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="assignments"
    )
    round = models.PositiveSmallIntegerField(_("lần trình"))
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người được chỉ định"),
        on_delete=models.PROTECT, related_name="review_assignments",
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chỉ định"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("thời điểm chỉ định"))
    decided_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    signature = models.OneToOneField(
        Signature, verbose_name=_("chữ ký"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assignment",
    )

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("phân công xem xét, phê duyệt")
        verbose_name_plural = _("phân công xem xét, phê duyệt")
        ordering = ["version", "round", "-role", "pk"]
        constraints = [
            # Separation of duties within a round: one role per person.
            models.UniqueConstraint(
                fields=["version", "round", "person"], name="assignment_one_role_per_person"
            ),
            models.UniqueConstraint(
                fields=["version", "round"],
                condition=Q(role="approver"),
                name="assignment_one_approver_per_round",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["reviewer", "approver"]), name="assignment_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "signed", "returned", "closed"]),
                name="assignment_status_valid",
            ),
        ]
        # The queues: "what waits for me" looks assignments up by person and status.
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.version} — {self.get_role_display()}: {self.person}"


class Comment(Controlled):
    """A remark on a version under review, on the whole text or on a quoted passage;
    or, with `parent`, the author's answer to one. Never edited nor deleted: every
    change (a new comment, an answer, a resolution) is a history row."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa giải quyết")
        RESOLVED = "resolved", _("Đã giải quyết")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("trả lời cho"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="answers",
    )
    # The submission round the comment was written in (0: before the first submission).
    round = models.PositiveSmallIntegerField(_("lần trình"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người góp ý"), on_delete=models.PROTECT, related_name="+"
    )
    quote = models.TextField(_("đoạn trích dẫn"), blank=True)
    body = models.TextField(_("nội dung góp ý"), validators=[limits.max_chars(limits.NOTE_CHARS)])
    created_at = models.DateTimeField(_("thời điểm góp ý"), auto_now_add=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người giải quyết"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    resolved_at = models.DateTimeField(_("thời điểm giải quyết"), null=True, blank=True)
    resolution = models.TextField(_("cách giải quyết"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("góp ý")
        verbose_name_plural = _("góp ý")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "resolved"]), name="comment_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.version} — {self.author}"


class ImportOrigin(Controlled):
    """Where a version brought in from the paper (or earlier electronic) system came
    from: who imported which file, its SHA-256, and what the file itself states
    about its approval. An imported version was approved outside this system: no
    approver of this system is recorded for it, only this statement as text."""

    version = models.OneToOneField(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT,
        related_name="import_origin",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64)
    # As written in the file ("Lần ban hành: 03", "Rev. 2"); blank when it states none.
    stated_revision = models.CharField(_("lần ban hành ghi trong tệp"), max_length=40, blank=True)
    stated_effective_from = models.DateField(_("ngày hiệu lực ghi trong tệp"), null=True, blank=True)
    stated_approval = models.TextField(_("phê duyệt ghi trong tệp"), blank=True)

    history = ChainedHistoricalRecords()

    class Meta:
        verbose_name = _("nguồn nhập từ hệ thống cũ")
        verbose_name_plural = _("nguồn nhập từ hệ thống cũ")

    def __str__(self):
        return f"{self.version} ← {self.file_name}"


class SearchDocument(models.Model):
    """The searchable text of one effective version, folded once so that both databases
    index the same tokens; kept, and indexed outside the model state, by procedures.search.index."""

    version = models.OneToOneField(ProcedureVersion, primary_key=True, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=200, editable=False, db_index=True)  # exact code first
    title = models.TextField(editable=False)
    body = models.TextField(editable=False)

    class Meta:
        verbose_name = _("chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")

    def __str__(self):
        return self.code
