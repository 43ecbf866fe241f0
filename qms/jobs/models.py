"""A job: one run of a long operation, with its progress and outcome.

Not history-tracked: a job is an operational record, not a controlled one; the
changes it makes are recorded by the services it runs. Progress is written with
QuerySet.update() for that reason (one small UPDATE, no read-modify-write).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Thất bại")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    # RUNNING → QUEUED is a retry after a passing fault; RUNNING → RUNNING a retry-safe
    # job handed out again after its worker was lost. A finished job stays finished.
    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.RUNNING, Status.QUEUED, Status.SUCCEEDED, Status.FAILED},
        Status.SUCCEEDED: set(),
        Status.FAILED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The Celery task that runs it.
    kind = models.CharField(_("loại"), max_length=200)
    # Vietnamese source text of the title, translated when shown (gettext_noop'd in the task).
    label = models.CharField(_("tên công việc"), max_length=200)
    # Plain words that tell this run from others of its kind (a command, a code…).
    detail = models.CharField(_("chi tiết"), max_length=200, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # Two active jobs with the same key cannot exist (see the constraint below).
    dedupe_key = models.CharField(max_length=200, blank=True)
    # Whether running it again after a passing fault or a lost worker does no harm.
    retry_safe = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người khởi chạy"),
        on_delete=models.PROTECT, related_name="+",
    )
    # The language of the person who started it: its messages are written in it.
    language = models.CharField(max_length=10)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    # None while the size of the work is not known.
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result_summary = models.TextField(_("kết quả"), blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_lines = models.JSONField(default=list, blank=True)
    error_message = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # The heartbeat: every progress report moves it (see runner.fail_lost_jobs).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(dedupe_key=""),
                name="qms_job_one_active_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="qms_job_owner_idx"),
            models.Index(fields=["status", "updated_at"], name="qms_job_status_idx"),
        ]

    def __str__(self):
        return f"{self.label} ({self.pk})"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, self.progress_done * 100 // self.progress_total)
