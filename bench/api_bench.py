"""Throughput of the REST API (issue 14 point 8): the procedure list and one
procedure's detail, served by gunicorn with two workers, called with a token.

    .venv/bin/python bench/api_bench.py [--seconds 10] [--clients 8] [--keep]

Builds a scratch database (a temporary SQLite file, or with DATABASE_URL set a
PostgreSQL database "<name>_api_bench", created and dropped), migrates it, loads
the demo committee (seed_demo), makes the staff member's token with
`drf_create_token staff`, starts `gunicorn -w 2` on a free local port, then for
each endpoint runs `--clients` threads calling it in a loop for `--seconds`
(keep-alive HTTP/1.1 connections, nothing leaves the machine). Every detail call
writes an access-log row, as on the page.

Prints, per endpoint: requests, failures (must be 0), requests/s, p50 and p95
latency. Exits 1 when a request failed.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_env() -> tuple[dict, callable]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="qms.settings.base", DJANGO_DEBUG="0",
               DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parsed = urlparse(url)
        name = (parsed.path.lstrip("/") or "qms") + "_api_bench"
        admin = parsed._replace(path="/postgres").geturl()

        def psql(sql):
            subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)

        psql(f'DROP DATABASE IF EXISTS "{name}"')
        psql(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parsed._replace(path="/" + name).geturl()
        return env, lambda: psql(f'DROP DATABASE IF EXISTS "{name}"')
    folder = tempfile.mkdtemp(prefix="api_bench_")
    env.pop("DATABASE_URL", None)
    env["SQLITE_PATH"] = os.path.join(folder, "bench.sqlite3")
    env["MEDIA_ROOT"] = os.path.join(folder, "media")
    return env, lambda: subprocess.run(["rm", "-rf", folder], check=False)


def manage(env, *args) -> str:
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def wait_for(port: int, token: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _body = call(http.client.HTTPConnection("127.0.0.1", port, timeout=5),
                                 "/api/v1/editions/", token)
            if status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def call(conn, path, token) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Authorization": "Token " + token,
                                       "Accept": "application/json"})
    response = conn.getresponse()
    return response.status, response.read()


def load(port, path, token, clients, seconds) -> dict:
    latencies, failures = [], []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _body = call(conn, path, token)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - started)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": sum(failures),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    env, drop = scratch_env()
    server = None
    try:
        print("migrating and seeding a scratch database…", file=sys.stderr, flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--password", "bench-demo-9001")
        token = manage(env, "drf_create_token", "staff").split()[2]
        port = free_port()
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "qms.wsgi:application"], cwd=ROOT, env=env)
        wait_for(port, token)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _status, body = call(conn, "/api/v1/procedures/", token)
        listing = json.loads(body)
        code = listing["results"][0]["code"]
        print(f"database: {'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}; "
              f"{listing['count']} effective procedures; gunicorn -w 2; {args.clients} clients, "
              f"{args.seconds:g} s per endpoint")
        failed = 0
        for label, path in [("procedure list", "/api/v1/procedures/"),
                            ("procedure list ?q=", "/api/v1/procedures/?q=ho%20so"),
                            ("procedure detail", f"/api/v1/procedures/{code}/")]:
            r = load(port, path, token, args.clients, args.seconds)
            failed += r["failures"]
            print(f"{label:20} {r['requests']:6d} requests  {r['failures']} failed  "
                  f"{r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            drop()


if __name__ == "__main__":
    sys.exit(main())
