"""Benchmark of the yearly dossier report over 5 years x 12 months x 15 departments x 20 fields.

    .venv/bin/python bench/bench_dossier_report.py [--years 5] [--departments 15] [--fields 20] [--repeat 7]

Builds a throw-away SQLite database (a temporary file, migrated from scratch) with
18,000 monthly rows (every row balanced, each month carrying the last one's pending
dossiers), inserted with simple-history's bulk_create_with_history (history rows
too, as the application keeps them), half of the months published. Then times
what `dossier_report --year Y` and the report page compute
(service_quality.selectors.report.report_data) for every year: for the central
office (all rows), for a department, for a field, and for a member of staff (the
published months only), printing the median and worst wall time and the number of
SQL queries of each call, which must not depend on the year or the number of rows.

Budget (issue 13): under 200 ms on SQLite, a constant number of queries.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 200.0
FIRST_YEAR = 2020


def setup_django(tmp: Path) -> None:
    os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(years: int, departments: int, fields: int) -> dict:
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from qms import roles
    from qms.models import OrgUnit, User
    from service_quality import services
    from service_quality.models import DossierStat, PublishedPeriod

    root = OrgUnit.objects.create(code="ubnd", name="Ủy ban nhân dân thành phố")
    vp = OrgUnit.objects.create(code="vp", name="Văn phòng HĐND và UBND", parent=root)
    central = User.objects.create(username="officer", first_name="Lan", last_name="Nguyễn Thị", department=vp)
    central.groups.add(Group.objects.get(name=roles.QUALITY_OFFICER))
    staff = User.objects.create(username="staff", first_name="Hoa", last_name="Phạm Thị", department=vp)
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    units = [OrgUnit.objects.create(code=f"p{d:02d}", name=f"Phòng chuyên môn số {d}", parent=root)
             for d in range(departments)]
    field_objects = [
        services.field_create(actor=central, code=f"linh-vuc-{f:02d}", name=f"Lĩnh vực thủ tục số {f}",
                              department=units[f % departments])
        for f in range(fields)
    ]
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for unit in units:
            services.online_target_set(actor=central, year=year, department=unit, target=500)
    rows = []
    for d, unit in enumerate(units):
        for f, field in enumerate(field_objects):
            pending = 5 + (d + f) % 7
            for index in range(years * 12):
                year, month = FIRST_YEAR + index // 12, index % 12 + 1
                received = 40 + (d * 7 + f * 3 + index) % 60
                late = (d + f + index) % 5
                on_time = received // 8
                to_resolve = pending + received
                left = 3 + (index + d) % 9
                early = to_resolve - left - late - on_time
                rows.append(DossierStat(
                    year=year, month=month, department=unit, field=field, carried_over=pending,
                    received=received, received_online_l3=received // 10, received_online_l4=received // 40,
                    resolved_early=early, resolved_on_time=on_time, resolved_late=late,
                    pending_in_time=left - 1, pending_overdue=1, apologies=late, entered_by=central,
                    source=DossierStat.Source.IMPORT,
                ))
                pending = left
    bulk_create_with_history(rows, DossierStat, batch_size=2000, default_user=central,
                             default_change_reason="Nhập số liệu (benchmark)")
    now = timezone.now()
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for month in range(1, 7):
            PublishedPeriod.objects.create(year=year, month=month, published_by=central, published_at=now)
    return {"rows": len(rows), "central": central, "staff": staff, "unit": units[3],
            "field": field_objects[5]}


def measure(call, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries.add(len(ctx))
    return statistics.median(times), max(times), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--departments", type=int, default=15)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        from service_quality.selectors.report import (
            Visibility,
            report_data,
            report_json,
            visibility_for,
        )

        start = time.perf_counter()
        built = build(args.years, args.departments, args.fields)
        print(f"built {built['rows']:,} monthly rows ({args.years} years x 12 months x "
              f"{args.departments} departments x {args.fields} fields) in {time.perf_counter() - start:.1f} s")
        everything = Visibility.everything()
        staff = visibility_for(built["staff"])
        cases = [
            ("whole committee", lambda y: report_json(report_data(year=y, visibility=everything))),
            ("one department", lambda y: report_data(year=y, visibility=everything, department=built["unit"])),
            ("one field", lambda y: report_data(year=y, visibility=everything, field=built["field"])),
            ("staff (published)", lambda y: report_data(year=y, visibility=staff)),
        ]
        worst, all_queries = 0.0, set()
        print(f"{'report':20} {'year':>5} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for label, call in cases:
            for year in range(FIRST_YEAR, FIRST_YEAR + args.years):
                median, peak, queries = measure(lambda call=call, year=year: call(year), args.repeat)
                worst = max(worst, median)
                all_queries |= queries
                print(f"{label:20} {year:>5} {median:>10.1f} {peak:>8.1f} {','.join(map(str, sorted(queries))):>8}")
        last = report_json(report_data(year=FIRST_YEAR + args.years - 1, visibility=everything))
        print(f"last year: received {last['received']:,}, resolved {last['resolved_pct']} %, "
              f"late {last['late_pct']} %, {len(last['by_field'])} fields")
        ok = worst < BUDGET_MS
        print(f"worst median {worst:.1f} ms (budget {BUDGET_MS:.0f} ms): {'OK' if ok else 'OVER BUDGET'}; "
              f"queries per report: {sorted(all_queries)}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
