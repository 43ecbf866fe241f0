"""Benchmark of the search (issue 12, point 6): the project's search function and the
full page against a bare index, with the same texts, at growing sizes.

    .venv/bin/python bench/search_bench.py [--sizes 10000,100000] [--repeat 15]
        [--rps-seconds 8] [--no-postgres] [--no-sqlite]

One run times SQLite, then PostgreSQL when DATABASE_URL is set (a scratch database
named after it with "_search_bench", created and dropped). For each backend a scratch
database is migrated and filled by bulk inserts (tests/procedures/search_corpus.py:
the demo procedures, planted ones, and generated procedures of about 600 words;
the first 10,000 of the 100,000 are the 10,000), then for each size it prints, per
query, p50 and p95 in ms of (the three timed in turn in each round):

- bare: the bare index alone, same match expression, top 25 by rank (SQLite: a plain
  FTS5 table of the same folded texts ranked with bm25; PostgreSQL: the tsvector
  column with its GIN index ranked with ts_rank_cd);
- func: effective_search's first page of 25 (count, ids, rows, snippets);
- page: GET /procedures/?q=… through Django's test client (middleware, template);

the ratios func/bare and page/(bare + 50 ms) (goal: at most 1.5 both), the
suggestions endpoint, nDCG@10 over the judged set, and requests per second of the
page from two gunicorn workers (a Python load generator, 8 connections) for a title
phrase and a rare word, beside the most the bare index alone would allow.

Func and page are timed with the search cache off (QMS_SEARCH_CACHE_SECONDS=0): they
measure the search. Requests per second are measured both ways: the cache off, and
on (each worker ranks the query once, then reads its first ids from its own cache
until the index changes).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
PAGE = 25
QUERIES = [
    ("phrase", '"kiem soat tai lieu"'),
    ("broad", "kiem soat tai lieu"),
    ("rare word", "nuoc duoi dat"),
    ("one letter", "d"),
    ("twelve words", "quy trinh tiep nhan va tra ket qua ho so thu tuc hanh chinh"),
]
RPS_QUERIES = [("title phrase", '"giay phep xay dung"'), ("rare word", "nuoc duoi dat")]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rps-seconds", type=float, default=8.0)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    return parser.parse_args()


# ---------------------------------------------------------------- orchestration


def main():
    args = parse_args()
    if args.worker:
        return worker(args)
    backends = [] if args.no_sqlite else ["sqlite"]
    if os.environ.get("DATABASE_URL") and not args.no_postgres:
        backends.append("postgresql")
    for backend in backends:
        cmd = [sys.executable, __file__, "--worker", backend, "--sizes", args.sizes,
               "--repeat", str(args.repeat), "--rps-seconds", str(args.rps_seconds)]
        subprocess.run(cmd, check=False)


def scratch_env(backend: str) -> dict:
    env = {"DJANGO_SETTINGS_MODULE": "qms.settings.base", "DJANGO_DEBUG": "0",
           "QMS_SEARCH_CACHE_SECONDS": "0",
           "DJANGO_SECRET_KEY": "search-bench", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver"}
    if backend == "sqlite":
        handle, path = tempfile.mkstemp(prefix="search_bench_", suffix=".sqlite3")
        os.close(handle)
        env["SQLITE_PATH"] = path
        env["DATABASE_URL"] = ""
    else:
        import psycopg

        parsed = urlparse(os.environ["DATABASE_URL"])
        name = (parsed.path.lstrip("/") or "qms") + "_search_bench"
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parsed._replace(path="/" + name).geturl()
        env["_ADMIN_URL"], env["_NAME"] = admin, name
    return env


def drop_scratch(env: dict) -> None:
    if env.get("SQLITE_PATH"):
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    else:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(env["_ADMIN_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{env["_NAME"]}"')


# ---------------------------------------------------------------- measuring


def timings(fn, repeat: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def paired_timings(fns, repeat: int) -> list[list[float]]:
    """Each function timed `repeat` times, in turn within each round: a slower moment of
    the machine weighs on all of them alike, and each runs after the others, as a
    request does (the ratios compare pairs, not two moments)."""
    for fn in fns:
        fn()  # warm
    out = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, out, strict=True):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bare_sqlite_build():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_fts")
        cursor.execute("CREATE VIRTUAL TABLE bench_bare_fts USING fts5(code, title, body, "
                       "tokenize='unicode61 remove_diacritics 2')")
        cursor.execute("INSERT INTO bench_bare_fts(rowid, code, title, body) "
                       "SELECT version_id, code, title, body FROM procedures_searchdocument")


def bare_query(query_text: str):
    from django.db import connection

    from procedures.search import parse

    query = parse(query_text)
    # A one- or two-letter query: code and title words only, as the naive way to say so
    # in each engine (an FTS5 column filter; tsquery weight A).
    if connection.vendor == "sqlite":
        match = "{code title} : (" + query.fts5() + ")" if query.short else query.fts5()
        sql = ("SELECT rowid FROM bench_bare_fts WHERE bench_bare_fts MATCH %s "
               "ORDER BY bm25(bench_bare_fts, 10.0, 5.0, 1.0) LIMIT %s")
        params = [match, PAGE]
    else:
        text = query.tsquery().replace(":*", ":*A") if query.short else query.tsquery()
        sql = ("SELECT version_id FROM procedures_searchdocument, to_tsquery('simple', %s) q "
               "WHERE vector @@ q ORDER BY ts_rank_cd(vector, q) DESC LIMIT %s")
        params = [text, PAGE]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def function_query(user, query_text: str):
    from django.core.paginator import Paginator

    from procedures.search import effective_search

    def run():
        page = Paginator(effective_search(user=user, query=query_text), PAGE).get_page(1)
        rows = list(page.object_list)
        for row in rows:  # what the template touches
            _ = (row.procedure.code, row.procedure.department.name, row.snippet,
                 [c.number for c in row.clauses.all()])
        return page.paginator.count

    return run


def page_query(client, query_text: str):
    def run():
        response = client.get("/procedures/", {"q": query_text})
        assert response.status_code == 200, response.status_code

    return run


def ndcg(user) -> float:
    from procedures.search import effective_search
    from tests.procedures import search_corpus

    scores = []
    for item in search_corpus.judged():
        ranked = [v.procedure.code for v in effective_search(user=user, query=item["q"])[0:10]]
        scores.append(search_corpus.ndcg_at_10(ranked, item["top3"]))
    return statistics.mean(scores)


def load(port: int, cookie: str, query_text: str, seconds: float, connections: int = 8):
    path = "/procedures/?" + urlencode({"q": query_text})
    done, failed, stop = [], [], time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ok = bad = 0
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok, bad = (ok + 1, bad) if response.status == 200 else (ok, bad + 1)
            except Exception:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done.append(ok)
        failed.append(bad)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - t0), sum(failed)


def rps(env: dict, cookie: str, seconds: float, cache_seconds: int) -> list[tuple[str, float, int]]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server_env = {**os.environ, **{k: v for k, v in env.items() if not k.startswith("_")},
                  "QMS_SEARCH_CACHE_SECONDS": str(cache_seconds)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "qms.wsgi"], cwd=ROOT, env=server_env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        out = []
        for label, query_text in RPS_QUERIES:
            load(port, cookie, query_text, 1.0)  # warm both workers
            rate, failed = load(port, cookie, query_text, seconds)
            out.append((label, rate, failed))
        return out
    finally:
        server.terminate()
        server.wait()


def worker(args):
    env = scratch_env(args.worker)
    os.environ.update({k: v for k, v in env.items() if not k.startswith("_")})
    if not env["DATABASE_URL"]:
        os.environ.pop("DATABASE_URL")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from qms import roles
    from qms.models import User
    from tests.procedures import search_corpus

    try:
        call_command("migrate", verbosity=0)
        reader = User.objects.create(username="bench_staff")
        reader.groups.add(Group.objects.get(name=roles.STAFF))
        session = SessionStore()
        session.update({SESSION_KEY: str(reader.pk),
                        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: reader.get_session_auth_hash()})
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        client = Client()
        client.force_login(reader)
        sizes = [int(s) for s in args.sizes.split(",")]
        demo = search_corpus.demo_procedures()
        inserted = 0
        for size in sizes:
            t0 = time.perf_counter()
            rows = (demo if not inserted else []) + search_corpus.generated(size - len(demo))[
                max(0, inserted - len(demo)):]
            search_corpus.insert(rows)
            inserted = size
            if connection.vendor == "sqlite":
                bare_sqlite_build()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
            print(f"\n== {vendor}, {size} procedures (built in {time.perf_counter() - t0:.0f} s)")
            print(f"{'query':<14}{'hits':>6} {'bare p50/p95':>14} {'func p50/p95':>14} "
                  f"{'page p50/p95':>14} {'func/bare':>10} {'page/(bare+50)':>15}")
            for label, query_text in QUERIES:
                func_run = function_query(reader, query_text)
                hits = func_run()
                bare, func, page = paired_timings(
                    [bare_query(query_text), func_run, page_query(client, query_text)], args.repeat)
                b, f, p = (statistics.median(x) for x in (bare, func, page))
                print(f"{label:<14}{hits:>6} {b:>7.1f}/{pct(bare, .95):<6.1f} "
                      f"{f:>7.1f}/{pct(func, .95):<6.1f} {p:>7.1f}/{pct(page, .95):<6.1f} "
                      f"{f / b:>10.2f} {p / (b + 50):>15.2f}")
            suggest = timings(lambda: client.get("/procedures/suggest/", {"q": "giay phep x"}),
                              args.repeat)
            print(f"suggestions 'giay phep x': p50 {statistics.median(suggest):.1f} ms, "
                  f"p95 {pct(suggest, .95):.1f} ms")
            print(f"nDCG@10 over the judged set: {ndcg(reader):.3f}")
            if size == sizes[-1] and args.rps_seconds > 0:
                # What the engine alone allows: each request runs the bare ranked query
                # at least once, so two cores serve at most 2 × 1000 / its p50 per second.
                bare = {label: statistics.median(timings(bare_query(q), args.repeat))
                        for label, q in RPS_QUERIES}
                connection.close()
                for cache_seconds, cached in ((0, "cache off"), (600, "cache on")):
                    for label, rate, failed in rps(env, cookie, args.rps_seconds, cache_seconds):
                        print(f"gunicorn 2 workers, 8 connections, {label}, {cached}: "
                              f"{rate:.1f} req/s, {failed} failed (bare index p50 "
                              f"{bare[label]:.1f} ms: at most {2000 / bare[label]:.0f} req/s on "
                              "two cores without a cache)")
    finally:
        drop_scratch(env)


if __name__ == "__main__":
    main()
