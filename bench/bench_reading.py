"""Benchmark of reading under load (issue 12 point 8): concurrent staff read procedures
against a local server, and every view writes its access-log row.

    .venv/bin/python bench/bench_reading.py [--readers 50] [--requests 20] [--keep]

Builds a throw-away database (a temporary SQLite file; with DATABASE_URL set, a
PostgreSQL database named after it with "_bench_reading", created and dropped),
migrates it, loads the demo committee and its procedures through the services,
adds `--readers` staff members with a signed-in session each, starts `--workers`
server processes (Django's threaded WSGI server, as runserver, sharing one port on
127.0.0.1 like an application server's workers), then runs one thread per reader, each opening `--requests` procedure pages at random (a
bounded loop, nothing leaves the machine). Each page view writes one AccessLog row.

Prints the requests made, the failures (must be 0), the views logged against the
requests (must be equal), throughput and latency (p50, p95, max). Exits 1 when a
request failed or an access was lost.
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "bench_reader_"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50, help="concurrent staff members")
    parser.add_argument("--requests", type=int, default=20, help="pages each reader opens")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--workers", type=int, default=2, help="server processes (threaded)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the database


class Database:
    """A throw-away database and the environment that points Django at it."""

    def __init__(self):
        self.url = os.environ.get("DATABASE_URL", "")
        self.env = dict(os.environ)
        if self.url:
            parsed = urlparse(self.url)
            self.name = (parsed.path.lstrip("/") or "qms") + "_bench_reading"
            self.admin_url = parsed._replace(path="/postgres").geturl()
            self.env["DATABASE_URL"] = parsed._replace(path="/" + self.name).geturl()
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._psql(f'CREATE DATABASE "{self.name}"')
            self.vendor = "PostgreSQL"
        else:
            handle, self.path = tempfile.mkstemp(prefix="bench_reading_", suffix=".sqlite3")
            os.close(handle)
            self.env["SQLITE_PATH"] = self.path
            self.env.pop("DATABASE_URL", None)
            self.vendor = "SQLite"
        self.env["DJANGO_SETTINGS_MODULE"] = "qms.settings.base"
        self.env["DJANGO_DEBUG"] = "0"

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.url:
            from django.db import connections

            connections.close_all()
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}"')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(self.path + suffix).unlink(missing_ok=True)


def setup_django(db: Database) -> None:
    os.environ.update({k: v for k, v in db.env.items() if k in (
        "DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG")})
    if not db.url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(readers: int) -> tuple[list[str], dict[str, str]]:
    """The demo register, and `readers` staff members each with a session.
    Returns the procedure codes and the session cookie of each reader."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from procedures.models import ProcedureVersion, State
    from qms import roles
    from qms.models import OrgUnit, User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--password", "bench-demo-9001", stdout=open(os.devnull, "w"))
    staff = Group.objects.get(name=roles.STAFF)
    units = list(OrgUnit.objects.exclude(parent=None).order_by("code"))
    cookies = {}
    for n in range(readers):
        user = User.objects.create(
            username=f"{PREFIX}{n:03d}", first_name="Đọc", last_name=f"Cán bộ {n:03d}",
            department=units[n % len(units)],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(staff)
        # A signed-in session, as django.contrib.auth.login writes it (no password
        # hashing in the timed part nor in the set-up).
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    codes = sorted(
        ProcedureVersion.objects.filter(state=State.EFFECTIVE).values_list("procedure__code", flat=True)
    )
    return codes, cookies


# ---------------------------------------------------------------- the server


def serve(port: int) -> None:
    """One server process: Django's threaded WSGI server (what runserver uses, one
    thread per request, each with its own database connection, closed at the end of
    the request), with a deeper listen queue, bound with SO_REUSEPORT so that
    several processes share the port like the workers of an application server."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 256

        def server_bind(self):
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            super().server_bind()

    httpd = Server(("127.0.0.1", port), Quiet)
    httpd.set_app(WSGIHandler())
    httpd.serve_forever()


def start_servers(db: Database, port: int, workers: int) -> list[subprocess.Popen]:
    log = open(tempfile.mktemp(prefix="bench_reading_server_", suffix=".log"), "w")
    servers = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            cwd=ROOT, env=db.env, stdout=log, stderr=subprocess.STDOUT,
        )
        for _ in range(workers)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1)  # let every worker bind
                return servers
        except OSError:
            if any(server.poll() is not None for server in servers):
                break
            time.sleep(0.3)
    for server in servers:
        server.terminate()
    raise SystemExit(f"the server did not start: see {log.name}")


# ---------------------------------------------------------------- the readers


def read(base: str, cookie: str, codes: list[str], count: int, seed: int, timeout: float,
         results: list, start: threading.Barrier) -> None:
    rng = random.Random(seed)
    start.wait()
    for _ in range(count):
        code = rng.choice(codes)
        request = urllib.request.Request(f"{base}/procedures/{code}/", headers={"Cookie": cookie})
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
                ok = response.status == 200 and code.encode() in body and b"/accounts/login" not in response.url.encode()
                status = response.status
        except urllib.error.HTTPError as error:
            ok, status = False, error.code
        except OSError as error:
            ok, status = False, type(error).__name__
        results.append((ok, time.perf_counter() - began, status))


def main():
    args = parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    db = Database()
    print(f"Database: {db.vendor} (throw-away)")
    setup_django(db)
    servers = []
    try:
        began = time.perf_counter()
        codes, cookies = build(args.readers)
        print(f"Set-up: {len(codes)} effective procedures, {len(cookies)} readers "
              f"({time.perf_counter() - began:.1f} s)")
        from django.db import connection, connections

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                print(f"SQLite journal mode: {cursor.fetchone()[0]}")
        connections.close_all()
        port = free_port()
        servers = start_servers(db, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        # One warm-up request (imports, templates) outside the measure and the count.
        warm = urllib.request.Request(f"{base}/accounts/login/")
        urllib.request.urlopen(warm, timeout=args.timeout).read()

        results: list = []
        barrier = threading.Barrier(len(cookies))
        threads = [
            threading.Thread(target=read, args=(base, cookie, codes, args.requests, n, args.timeout,
                                                results, barrier))
            for n, cookie in enumerate(cookies.values())
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began

        from procedures.models import AccessLog

        logged = AccessLog.objects.filter(
            user__username__startswith=PREFIX, action=AccessLog.Action.VIEW
        ).count()
        made = len(results)
        failures = [r for r in results if not r[0]]
        succeeded = made - len(failures)
        times = sorted(r[1] * 1000 for r in results)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"Readers: {len(cookies)} concurrent, {args.requests} pages each; server: "
              f"{args.workers} process(es) of Django's threaded WSGI server")
        print(f"Requests made: {made}")
        print(f"Failures: {len(failures)}" + (
            f"  (statuses: {sorted({str(r[2]) for r in failures})})" if failures else ""))
        print(f"Views logged: {logged}  (successful requests: {succeeded}; lost: {succeeded - logged})")
        print(f"Throughput: {made / elapsed:.1f} requests/s over {elapsed:.1f} s")
        print(f"Latency: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"max {times[-1]:.0f} ms")
        ok = not failures and logged == made
        print("OK: no request failed, no access lost." if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        if args.keep:
            print(f"Kept: {db.env.get('DATABASE_URL') or db.path}")
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
