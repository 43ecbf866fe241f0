"""The background jobs of the migration (see qms/jobs/runner.py): migrating a batch
of procedures and importing a batch of files, followed on /jobs/<id>/."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qms.jobs.files import job_files_discard, job_files_read
from qms.jobs.runner import TRANSIENT_ERRORS, job_task
from qms.jobs.services import JobOutcome
from qms.models import OrgUnit

from . import services


def _counter(progress, total: int):
    """The services call progress() once per item; the page wants done/total."""
    done = 0
    progress(0, total)

    def step():
        nonlocal done
        done += 1
        progress(done, total)

    return step


@job_task(
    name="edition_migration.migrate",
    label=gettext_noop("Chuyển đổi tài liệu sang TCVN ISO 9001:2015"),
    # A procedure already migrated reports "existing" and is left alone; each one is
    # its own savepoint: running the batch again does no harm.
    retry_safe=True,
)
def migrate(*, job, progress, codes: list[str]):
    results = services.edition_migrate(actor=job.started_by, codes=codes,
                                       progress=_counter(progress, len(codes)))
    counts = {"created": 0, "existing": 0, "failed": 0}
    lines = []
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status == "failed":
            lines.append(_("%(code)s: không chuyển đổi được: %(error)s") % {
                "code": r.code, "error": r.error})
        elif r.status == "existing":
            lines.append(_("%(code)s: dự thảo đã có") % {"code": r.code})
        else:
            lines.append(_("%(code)s: đã tạo dự thảo lần ban hành %(rev)s") % {
                "code": r.code, "rev": r.to_revision})
    return JobOutcome(
        summary=_("Đã tạo %(created)s dự thảo theo bản 2015; %(existing)s tài liệu đã có dự "
                  "thảo từ trước; %(failed)s tài liệu không chuyển đổi được.") % counts,
        url=reverse("edition_migration:report"),
        lines=lines,
    )


@job_task(
    name="edition_migration.import_files",
    label=gettext_noop("Nhập tài liệu từ tệp"),
    # A file imported already (same content) is reported "unchanged": running the
    # batch again adds nothing.
    retry_safe=True,
)
def import_files(*, job, progress, files: list[dict], edition: int, department_id: int | None,
                 as_draft: bool):
    department = OrgUnit.objects.filter(pk=department_id).first() if department_id else None
    try:
        results = services.procedures_import(
            actor=job.started_by, files_in=job_files_read(files), edition=edition,
            department=department, as_draft=as_draft, progress=_counter(progress, len(files)),
        )
    except TRANSIENT_ERRORS:
        raise  # retried: the files must still be there
    except Exception:
        job_files_discard(files)
        raise
    job_files_discard(files)
    counts = {"created": 0, "draft": 0, "unchanged": 0, "failed": 0}
    lines = []
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        lines.append(_import_line(r))
    return JobOutcome(
        summary=_("%(files)s tệp: %(created)s tài liệu mới, %(draft)s dự thảo lần ban hành "
                  "mới, %(unchanged)s tệp đã nhập trước đó, %(failed)s tệp bị từ chối.") % {
            "files": len(results), **counts},
        url=reverse("procedures:register"),
        lines=lines,
    )


def _import_line(r) -> str:
    if r.status == "failed":
        return _("%(file)s: bị từ chối: %(error)s") % {"file": r.name, "error": r.error}
    if r.status == "unchanged":
        return _("%(file)s: đã nhập trước đó (%(code)s)") % {"file": r.name, "code": r.code}
    words = {"file": r.name, "code": r.code, "rev": r.revision, "notes": " ".join(r.notes)}
    if r.status == "draft":
        return _("%(file)s: %(code)s, dự thảo lần ban hành %(rev)s. %(notes)s") % words
    return (_("%(file)s: %(code)s, lần ban hành %(rev)s. %(notes)s") % words).strip()
