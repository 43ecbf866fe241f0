"""Benchmark of the PDF audit record: one audit with 1,000 findings.

    .venv/bin/python bench/bench_audit_report.py [--findings 1000] [--repeat 3] [--bulk]

Builds a throw-away SQLite database (a temporary file, migrated from scratch) and
a temporary MEDIA_ROOT, creates one audit with `--findings` findings of every
grade written in Vietnamese (half of them nonconformities with their corrective
actions), then times what the download button and `audit_report` do: read the
data (audits.selectors.audit_report_data) and lay out the PDF
(audits.pdf.build_audit_report). Prints the median and worst wall time, the
median CPU time (less sensitive to a busy machine), the pages and size of the PDF, the process's peak resident memory (ru_maxrss) and the
peak Python allocation during one build (tracemalloc, measured in a separate
run because tracing slows it down).

Three actions in four then have their attempts (answered, some found not
effective and answered again, some closed) and one finding in ten a second
revision (`--no-attempts` leaves them out), as bench_audit_page.py builds them.

The findings are recorded through audits.services.finding_record (history rows,
permissions, corrective actions: what the application does); `--bulk` inserts
them with simple-history's bulk_create_with_history instead, which is faster to
set up and gives the same PDF.

Budget (issue 5): under 5 s and under 300 MB.
"""

import argparse
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
TIME_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 300

STATEMENTS = [
    "Hồ sơ đăng ký đất đai số {n} được trả kết quả trễ hạn 3 ngày làm việc nhưng không có "
    "văn bản xin lỗi công dân theo quy định; phiếu kiểm soát quá trình giải quyết hồ sơ "
    "thiếu chữ ký của người tiếp nhận.",
    "Danh mục tài liệu nội bộ của đơn vị chưa cập nhật lần ban hành mới của quy trình cấp "
    "giấy phép xây dựng; bộ phận một cửa vẫn dùng biểu mẫu cũ (mẫu số {n}).",
    "Chưa xác định rủi ro và cơ hội đối với quá trình tiếp nhận hồ sơ trực tuyến; kế hoạch "
    "hành động năm 2026 không đề cập đến việc gián đoạn hệ thống một cửa điện tử (mục {n}).",
    "Kết quả khảo sát sự hài lòng của tổ chức, công dân quý III chưa được phân tích, đánh giá "
    "để làm đầu vào cho xem xét của lãnh đạo (phiếu khảo sát số {n}).",
    "Có thể số hóa sổ theo dõi hồ sơ để giảm thời gian tra cứu; đề xuất kết nối với cơ sở dữ "
    "liệu đất đai của tỉnh (ý kiến số {n}).",
]
CLAUSES = ["4.1", "4.2", "5.1.2", "6.1", "6.2", "7.1.6", "7.2", "7.5.3", "8.2.1", "8.5.1",
           "8.5.5", "8.7", "9.1.2", "9.1.3", "9.2", "9.3", "10.2"]
GRADES = ["major", "minor", "minor", "observation", "opportunity"]


def setup_django(tmp: Path) -> None:
    os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_audit(findings: int, *, bulk: bool):
    from django.contrib.auth.models import Group

    from audits import services
    from audits.models import CorrectiveAction, Finding
    from qms import roles
    from qms.models import Clause, OrgUnit, User

    root = OrgUnit.objects.create(code="ubnd", name="Ủy ban nhân dân thành phố")
    tnmt = OrgUnit.objects.create(code="tnmt", name="Phòng Tài nguyên và Môi trường", parent=root)
    mc = OrgUnit.objects.create(code="mc", name="Bộ phận Tiếp nhận và Trả kết quả", parent=root)

    def person(username, role, unit, first, last):
        user = User.objects.create(username=username, first_name=first, last_name=last, department=unit)
        user.groups.add(Group.objects.get(name=role))
        return user

    lead = person("auditor", roles.INTERNAL_AUDITOR, root, "Minh", "Lê Quang")
    member = person("auditor2", roles.INTERNAL_AUDITOR, root, "Hà", "Nguyễn Thu")
    owners = {
        tnmt.pk: person("owner_tnmt", roles.QUALITY_OFFICER, tnmt, "Đức", "Vũ Minh"),
        mc.pk: person("owner_mc", roles.QUALITY_OFFICER, mc, "Quân", "Ngô Văn"),
    }
    programme = services.programme_create(actor=lead, year=2026)
    audit = services.audit_create(
        actor=lead, programme=programme, title="Đánh giá nội bộ toàn diện năm 2026",
        departments=[tnmt, mc], planned_start=datetime.date(2026, 3, 10),
        planned_end=datetime.date(2026, 3, 20), lead_auditor=lead, team=[member],
        clause_numbers=CLAUSES,
    )
    audit = services.audit_start(audit=audit, actor=lead)
    clauses = {c.number: c for c in Clause.objects.filter(edition__year=2015, number__in=CLAUSES)}
    due = datetime.date(2026, 5, 31)
    if bulk:
        from simple_history.utils import bulk_create_with_history

        rows = []
        for n in range(1, findings + 1):
            unit = (tnmt, mc)[n % 2]
            rows.append(Finding(
                audit=audit, number=n, grade=GRADES[n % len(GRADES)],
                statement=STATEMENTS[n % len(STATEMENTS)].format(n=n),
                evidence=f"Kiểm tra hồ sơ số {n}/2026 tại {unit.name}.",
                clause=clauses[CLAUSES[n % len(CLAUSES)]], department=unit, recorded_by=lead,
            ))
        created = bulk_create_with_history(rows, Finding, default_user=lead)
        actions = [
            CorrectiveAction(finding=f, owner=owners[f.department_id], due_date=due)
            for f in Finding.objects.filter(audit=audit, grade__in=["major", "minor"])
        ]
        bulk_create_with_history(actions, CorrectiveAction, default_user=lead)
        return audit, len(created)
    for n in range(1, findings + 1):
        unit = (tnmt, mc)[n % 2]
        services.finding_record(
            audit=audit, actor=lead, grade=GRADES[n % len(GRADES)],
            statement=STATEMENTS[n % len(STATEMENTS)].format(n=n),
            evidence=f"Kiểm tra hồ sơ số {n}/2026 tại {unit.name}.",
            clause=clauses[CLAUSES[n % len(CLAUSES)]], department=unit,
            action_owner=owners[unit.pk], action_due=due,
        )
    return audit, findings


def build_once(audit):
    from django.utils import timezone

    from audits import pdf, selectors, services

    data = selectors.audit_report_data(audit=audit)
    return pdf.build_audit_report(
        data, number=services.report_number(audit, 1), issued_at=timezone.now(),
        issued_by="Lê Quang Minh",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bulk", action="store_true", help="bulk insert instead of the services")
    parser.add_argument("--no-attempts", action="store_true",
                        help="leave the actions unanswered (no attempts, no revised findings)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        started = time.perf_counter()
        setup_django(Path(tmp))
        audit, count = build_audit(args.findings, bulk=args.bulk)
        extra = ""
        if not args.no_attempts:
            # Three actions in four answered, half of those at their second attempt,
            # one finding in ten revised (as bench_audit_page.py): the record shows them all.
            from bench_audit_page import add_attempts_and_revisions
            from django.contrib.auth import get_user_model

            User = get_user_model()
            attempts, revisions = add_attempts_and_revisions(
                audit, User.objects.get(username="auditor"), User.objects.get(username="auditor2"))
            extra = f", {attempts} attempts, {revisions} earlier revisions"
        setup_s = time.perf_counter() - started
        print(f"set-up: {count} findings ({'bulk' if args.bulk else 'through the services'}){extra} "
              f"in {setup_s:.1f} s")

        import io

        from pypdf import PdfReader

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        times, cpu_times = [], []
        content = b""
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            content = build_once(audit)
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        tracemalloc.start()
        build_once(audit)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        pages = len(PdfReader(io.BytesIO(content)).pages)
        median, worst = statistics.median(times), max(times)
        print(f"PDF: {pages} pages, {len(content) / 1024:.0f} KiB")
        print(f"data + layout: median {median:.2f} s, worst {worst:.2f} s over {len(times)} runs "
              f"(budget {TIME_BUDGET_S:.0f} s); CPU time median {statistics.median(cpu_times):.2f} s")
        print(f"peak resident memory of the process: {rss_peak:.0f} MB "
              f"(before the builds {rss_before:.0f} MB; budget {MEMORY_BUDGET_MB} MB)")
        print(f"peak Python allocation during one build (tracemalloc): {traced_peak / 2**20:.0f} MB")
        ok = worst < TIME_BUDGET_S and rss_peak < MEMORY_BUDGET_MB
        print("within budget" if ok else "OVER BUDGET")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
