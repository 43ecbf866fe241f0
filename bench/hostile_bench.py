"""Peak memory of importing the hostile-file corpus (tests/hostile/corpus.py).

    .venv/bin/python bench/hostile_bench.py

Writes the 66 generated files (zip bombs, nested archives, mismatched content,
encodings, huge lines, control characters, odd names) to a temporary folder, then
runs `manage.py import_procedures` on all of them in a child process with a fresh,
migrated SQLite database, and prints the child's peak resident memory (ru_maxrss),
its wall time, and how many files were imported or refused. Budget: under 300 MB.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_MB = 300

from tests.hostile.corpus import write  # noqa: E402


def run(args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write(tmp / "corpus")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qms.settings.base",
               "SQLITE_PATH": str(tmp / "bench.sqlite3"), "MEDIA_ROOT": str(tmp / "media"),
               "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret")}
        env.pop("DATABASE_URL", None)
        for step in (["migrate", "-v", "0"],
                     ["shell", "-c", "from qms.models import OrgUnit, User; "
                      "OrgUnit.objects.create(code='tnmt', name='Phòng TNMT'); "
                      "User.objects.create_superuser('bench', password='x')"]):
            done = run(step, env)
            if done.returncode:
                sys.exit(done.stderr)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = run(["import_procedures", *map(str, paths), "--department", "tnmt",
                    "--actor", "bench", "--format", "text"], env)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = done.stdout.splitlines()
        refused = sum(1 for line in lines if ": LỖI — " in line)
        print(f"files: {len(paths)} ({sum(p.stat().st_size for p in paths) / 2**20:.1f} MB on disk)")
        print(f"imported: {len(paths) - refused}, refused: {refused}, exit status: {done.returncode}")
        print(f"wall time: {seconds:.1f} s")
        print(f"peak memory of the import process (ru_maxrss): {peak_mb:.0f} MB "
              f"(budget {BUDGET_MB} MB; migrate step peak {before / 1024:.0f} MB)")
        if "Traceback" in done.stderr:
            print(done.stderr[-3000:])
            sys.exit(1)
        sys.exit(0 if peak_mb < BUDGET_MB else 1)


if __name__ == "__main__":
    main()
