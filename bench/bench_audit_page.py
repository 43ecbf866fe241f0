"""Benchmark of the audit page: one audit with 1,000 findings.

    .venv/bin/python bench/bench_audit_page.py [--findings 1000] [--repeat 30] [--services]

Builds a throw-away SQLite database (a temporary file, migrated from scratch) with
one audit of 1,000 findings written in Vietnamese, of every grade, over two
departments and 17 clauses (the set-up of bench_audit_report.py); every
nonconformity has its corrective action, and a share of them their attempts (one
answered and waiting for its check, one found not effective and answered again,
one closed), a share of the findings a second revision after the report was
issued. Then requests the audit page as the lead auditor would, through Django's
whole stack (middleware, session, permissions, template), with DEBUG off:

- the first page of findings (what the page shows when opened),
- a page filtered by department and grade (`?department=…&grade=nc`),
- the last page (the OFFSET is largest there),
- one finding alone (`?n=…`, the link of the dashboards and the inbox),

and prints, for each, the median, p95 and worst wall time over `--repeat` requests,
the median CPU time of the process (the database is in the process too; less
sensitive to a busy machine), and its number of SQL queries (the same for each,
whatever the size). The load average is printed: on a shared machine the wall
time grows with it.

Budget (issue 12, point 7): under 300 ms at 1,000 findings.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
BUDGET_MS = 300


def add_attempts_and_revisions(audit, lead, member):
    """Attempts on the actions and revisions of findings, written as the services
    write them (history rows included) but in bulk, for a quick set-up."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from audits.models import ActionAttempt, AuditState, CorrectiveAction, Finding, FindingRevision

    now = timezone.now()
    actions = list(CorrectiveAction.objects.filter(finding__audit=audit).select_related("finding").order_by("pk"))
    attempts, changed = [], []
    for n, action in enumerate(actions):
        kind = n % 4  # 0: no answer yet, 1: waiting, 2: second attempt waiting, 3: closed
        if kind == 0:
            continue
        first = ActionAttempt(
            action=action, number=1, correction="Đã khắc phục tại chỗ.",
            root_cause="Công chức chưa được hướng dẫn thực hiện đúng quy trình.",
            action_plan="Tập huấn lại công chức; kiểm tra hằng tuần.",
            evidence="Danh sách dự tập huấn.", answered_by=action.owner, answered_at=now,
        )
        attempts.append(first)
        if kind >= 2:
            first.result, first.verified_by, first.verified_at = (
                ActionAttempt.Result.NOT_EFFECTIVE, member, now)
            first.verification_note = "Kiểm tra 10 hồ sơ: còn 2 hồ sơ chưa đạt."
            second = ActionAttempt(
                action=action, number=2, correction="",
                root_cause="Phần mềm một cửa không cảnh báo hồ sơ sắp đến hạn.",
                action_plan="Bật cảnh báo trước hạn 2 ngày.", evidence="Ảnh chụp cấu hình.",
                answered_by=action.owner, answered_at=now,
            )
            attempts.append(second)
            if kind == 3:
                second.result, second.verified_by, second.verified_at = (
                    ActionAttempt.Result.EFFECTIVE, member, now)
                second.verification_note = "Kiểm tra 20 hồ sơ: đạt."
        action.state = (CorrectiveAction.State.CLOSED if kind == 3 else CorrectiveAction.State.ANSWERED)
        action.closed_at = now if kind == 3 else None
        changed.append(action)
    bulk_create_with_history(attempts, ActionAttempt, default_user=member)
    bulk_update_with_history(changed, CorrectiveAction, ["state", "closed_at"], default_user=member)

    audit.state, audit.reported_at = AuditState.REPORTED, now
    audit.save()
    revisions, revised = [], []
    for finding in Finding.objects.filter(audit=audit).order_by("number")[::10]:
        revisions.append(FindingRevision(
            finding=finding, revision=1, grade=finding.grade, statement=finding.statement,
            evidence=finding.evidence, clause_id=finding.clause_id, department_id=finding.department_id,
            made_by=lead, made_at=finding.recorded_at,
        ))
        finding.statement += " (bổ sung sau cuộc họp kết thúc)"
        finding.revision, finding.revised_by, finding.revised_at = 2, lead, now
        finding.revision_reason = "Đơn vị cung cấp thêm bằng chứng."
        revised.append(finding)
    bulk_create_with_history(revisions, FindingRevision, default_user=lead)
    bulk_update_with_history(revised, Finding, ["statement", "revision", "revised_by", "revised_at",
                                                "revision_reason"], default_user=lead)
    return len(attempts), len(revisions)


def time_url(client, url, repeat):
    from django.db import connection

    client.get(url)  # warm the caches (templates, content types) once
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return (statistics.median(times), p95, times[-1], statistics.median(cpu), len(executed),
            len(response.content))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--services", action="store_true",
                        help="record the findings through the services (slower set-up)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-audit-page-") as tmp:
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("DATABASE_URL", None)
        from bench_audit_report import build_audit, setup_django

        started = time.perf_counter()
        setup_django(Path(tmp))
        audit, count = build_audit(args.findings, bulk=not args.services)
        from django.contrib.auth import get_user_model

        User = get_user_model()
        lead, member = User.objects.get(username="auditor"), User.objects.get(username="auditor2")
        attempts, revisions = add_attempts_and_revisions(audit, lead, member)
        print(f"set-up: {count} findings, {attempts} attempts, {revisions} earlier revisions "
              f"in {time.perf_counter() - started:.1f} s")

        from django.conf import settings
        from django.test import Client

        from audits.models import Finding
        from audits.selectors import PAGE_SIZE

        assert not settings.DEBUG
        client = Client()
        client.force_login(lead)
        base = audit.get_absolute_url()
        unit = Finding.objects.filter(audit=audit).values_list("department_id", flat=True).first()
        pages = -(-count // PAGE_SIZE)
        urls = [
            ("first page", base),
            ("filtered (department, nonconformities)", f"{base}?department={unit}&grade=nc"),
            (f"last page ({pages})", f"{base}?page={pages}"),
            ("one finding (?n=)", f"{base}?n={count // 2}"),
        ]
        worst_median = 0.0
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
        print(f"audit page, {count} findings, {PAGE_SIZE} a page, {args.repeat} requests each "
              f"(DEBUG off, SQLite):")
        for label, url in urls:
            median, p95, worst, cpu, queries, size = time_url(client, url, args.repeat)
            worst_median = max(worst_median, median)
            print(f"  {label:40} median {median:6.1f} ms  p95 {p95:6.1f} ms  worst {worst:6.1f} ms  "
                  f"CPU {cpu:5.1f} ms  {queries} queries  {size / 1024:.0f} KiB")
        ok = worst_median < BUDGET_MS
        print(f"page time at {count} findings: {worst_median:.0f} ms (slowest median; budget {BUDGET_MS} ms)")
        print("within budget" if ok else "OVER BUDGET")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
