"""Benchmark of the 2008 → 2015 migration over 1,000 imported procedures.

    .venv/bin/python bench/bench_migration.py [--procedures 1000]

Builds a throw-away SQLite database (a temporary file, migrated from scratch) and
a temporary MEDIA_ROOT, imports `--procedures` 2008-edition procedures through
the import service (edition_migration.services.procedure_import:
effective versions, attached originals, history rows, object permissions) with
bodies taken from procedures/demo_data/procedures.json (each with its own code), then
times a dry run and a real run of edition_migrate and prints seconds,
procedures per second and the history rows written.

Budget (issue 4, point 8): each run under 60 s on SQLite, history rows included.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0


def setup_django(tmp: Path) -> None:
    os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def history_rows() -> int:
    from django.apps import apps

    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-migration-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth import get_user_model

        from edition_migration import services
        from qms.models import OrgUnit

        admin = get_user_model().objects.create_superuser("bench", "bench@example.vn", "x")
        unit = OrgUnit.objects.create(code="tnmt", name="Phòng Tài nguyên và Môi trường")
        rows = json.loads((ROOT / "procedures/demo_data/procedures.json").read_text(encoding="utf-8"))
        bodies = [(row["code"], rev["body"]) for row in rows for rev in row["revisions"]]

        started = time.perf_counter()
        for i in range(args.procedures):
            code, body = bodies[i % len(bodies)]
            new_code = f"{code}-{i:04d}"
            text = body.replace(f"Mã số: {code}", f"Mã số: {new_code}")
            services.procedure_import(actor=admin, name=f"{new_code}.md", content=text.encode(),
                                      edition=2008, department=unit)
        setup_s = time.perf_counter() - started
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"import: {args.procedures} procedures in {setup_s:.1f} s "
              f"({args.procedures / setup_s:.0f}/s), {history_rows()} history rows")

        failed = False
        for dry_run in (True, False):
            before = history_rows()
            started, cpu = time.perf_counter(), time.process_time()
            results = services.edition_migrate(actor=admin, dry_run=dry_run)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            written = history_rows() - before
            statuses = {}
            for r in results:
                statuses[r.status] = statuses.get(r.status, 0) + 1
            terms = sum(len(r.terms) for r in results)
            label = "dry run" if dry_run else "real run"
            ok = elapsed < BUDGET_S and len(results) == args.procedures
            failed |= not ok
            print(f"{label}: {len(results)} procedures in {elapsed:.1f} s "
                  f"({len(results) / elapsed:.0f} procedures/s; CPU {cpu:.1f} s), {terms} terms flagged, "
                  f"{written} history rows written, {statuses} "
                  f"[{'OK' if ok else 'OVER BUDGET'} < {BUDGET_S:.0f} s]")
        again = time.perf_counter()
        results = services.edition_migrate(actor=admin)
        print(f"second real run: {len(results)} reported "
              f"({sum(r.status == 'existing' for r in results)} existing) in "
              f"{time.perf_counter() - again:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
