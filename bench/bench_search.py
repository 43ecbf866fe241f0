"""Benchmark of the search page: effective_search + first page of 20 + count.

    .venv/bin/python bench/bench_search.py [--rows 10000] [--repeat 15] [--keep]

Builds a throw-away SQLite database (a temporary file, migrated from scratch),
fills it with `--rows` effective procedures whose bodies (3-6 KB of Vietnamese)
are variations of procedures/demo_data/procedures.json, then times the search page for
a set of realistic queries and prints the median and p95 in ms, per query and
overall.

This measures READS only. To build 10,000 rows in seconds the rows are
bulk-inserted directly (no services, no history rows, no object permissions);
`search_text` is computed exactly as procedures.services.version_refresh_derived does.
The reader is a staff member (model-wide "view effective" permission), which is
the search page's main audience.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    # (label, query, filters)
    ("accented phrase", "quy trình đất đai", {}),
    ("unaccented phrase", "quy trinh dat dai", {}),
    ("upper case", "ĐẤT ĐAI", {}),
    ("one word", "khiếu nại", {}),
    ("one short word", "hồ sơ", {}),
    ("three words", "giấy phép xây dựng", {}),
    ("three words, unaccented", "chung thuc ban sao", {}),
    ("rare word", "trợ cấp xã hội hàng tháng", {}),
    ("no hit", "phần mềm blockchain", {}),
    ("a code", "{code}", {}),
    ("code prefix", "qt-tp", {}),
    ("one letter", "d", {}),
    ("odd input", "%_'\"\\ ; DROP TABLE x; --", {}),
    ("empty + kind", "", {"kind": "procedure"}),
    ("word + department", "hồ sơ", {"department": "TNMT"}),
]

DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("QLDT", "Phòng Quản lý đô thị"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("KT", "Phòng Kinh tế"),
    ("TP", "Phòng Tư pháp"),
    ("MC", "Bộ phận Tiếp nhận và Trả kết quả"),
]

TITLE_SUFFIXES = [
    "", " (sửa đổi)", " tại UBND phường", " cho hộ gia đình, cá nhân", " trên môi trường mạng",
    " đối với tổ chức", " liên thông", " cấp xã", " theo cơ chế một cửa", " trực tuyến",
]

EXTRA_SENTENCES = [
    "Cán bộ tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ và ghi phiếu hẹn trả kết quả.",
    "Trường hợp hồ sơ chưa đầy đủ, hướng dẫn tổ chức, công dân bổ sung một lần bằng văn bản.",
    "Thời hạn giải quyết được tính kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định.",
    "Lãnh đạo phòng xem xét, ký nháy và trình lãnh đạo UBND thành phố phê duyệt.",
    "Kết quả giải quyết được cập nhật trên phần mềm một cửa điện tử và trả cho công dân.",
    "Phiếu khảo sát mức độ hài lòng được phát cho người dân sau khi nhận kết quả.",
    "Trường hợp quá hạn, cơ quan giải quyết gửi văn bản xin lỗi và hẹn lại ngày trả kết quả.",
    "Hồ sơ lưu trữ theo quy định của pháp luật về lưu trữ, thời gian lưu tối thiểu 05 năm.",
    "Khiếu nại, tố cáo liên quan được giải quyết theo Luật Khiếu nại và Luật Tố cáo.",
    "Biểu mẫu kèm theo được áp dụng thống nhất trong toàn hệ thống quản lý chất lượng.",
    "Chuyên viên thẩm định hồ sơ, kiểm tra thực địa khi cần và lập biên bản kiểm tra.",
    "Phí, lệ phí được thu theo Nghị quyết của Hội đồng nhân dân tỉnh.",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query")
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    parser.add_argument("--reuse", metavar="PATH", help="time a database kept by an earlier --keep")
    return parser.parse_args()


def setup_django(db_path: str) -> None:
    os.environ["SQLITE_PATH"] = db_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "qms.settings.base"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vary_body(rng: random.Random, body: str, code: str, title: str) -> str:
    """A demo body with its own code and title, sections shuffled, sentences added,
    cut or padded to 3-6 KB."""
    lines = body.splitlines()
    head, rest = lines[:2], lines[2:]
    head = [f"# {title.upper()}", f"Mã số: {code}"]
    sections, current = [], []
    for line in rest:
        if line.startswith("## ") and current:
            sections.append(current)
            current = []
        current.append(line)
    if current:
        sections.append(current)
    if len(sections) > 3:
        middle = sections[1:-1]
        rng.shuffle(middle)
        sections = [sections[0], *middle, sections[-1]]
    for section in sections:
        for _ in range(rng.randint(0, 2)):
            section.insert(rng.randint(1, len(section)), rng.choice(EXTRA_SENTENCES))
    text = "\n".join(head + [line for s in sections for line in s])
    target = rng.randint(3_000, 6_000)
    while len(text.encode()) < target:
        text += "\n" + rng.choice(EXTRA_SENTENCES)
    while len(text.encode()) > target:
        text = text[: int(len(text) * 0.95)]
    return text


def build(rows: int) -> dict:
    """Insert `rows` effective procedures; return the reader and the departments."""
    import datetime

    from django.contrib.auth.models import Group
    from django.db import transaction

    from procedures.models import Procedure, ProcedureVersion, State
    from qms import roles
    from qms.models import Clause, Edition, OrgUnit, User
    from qms.text import fold, nfc

    rng = random.Random(9001)
    demo = json.loads((ROOT / "procedures/demo_data/procedures.json").read_text(encoding="utf-8"))
    sources = [(p, r) for p in demo for r in p["revisions"]]
    with transaction.atomic():
        root = OrgUnit.objects.create(code="ubnd", name="Ủy ban nhân dân thành phố")
        units = {
            code: OrgUnit.objects.create(code=code.lower(), name=name, parent=root)
            for code, name in DEPARTMENTS
        }
        author = User.objects.create(username="bench_author", department=units["VP"])
        reader = User.objects.create(username="bench_staff", department=units["TNMT"])
        reader.groups.add(Group.objects.get(name=roles.STAFF))
        editions = {e.year: e for e in Edition.objects.all()}
        clauses = {(c.edition.year, c.number): c for c in Clause.objects.select_related("edition")}
        procedures, versions, links = [], [], []
        kinds = [k for k, _ in Procedure.Kind.choices]
        for i in range(rows):
            source, revision = sources[i % len(sources)]
            dept = source["department"] if rng.random() < 0.7 else rng.choice(DEPARTMENTS)[0]
            code = f"QT-{dept}-{i:04d}"
            title = nfc(source["title"] + rng.choice(TITLE_SUFFIXES))
            body = nfc(vary_body(rng, revision["body"], code, title))
            procedures.append(
                Procedure(
                    code=code, title=title, department=units[dept], created_by=author,
                    kind=source["kind"] if rng.random() < 0.8 else rng.choice(kinds),
                )
            )
            year = 2008 if rng.random() < 0.6 else 2015
            versions.append((year, body, revision["clauses"], code, title))
        Procedure.objects.bulk_create(procedures, batch_size=500)
        by_code = {p.code: p for p in Procedure.objects.all()}
        objs = []
        for year, body, _clauses, code, title in versions:
            objs.append(
                ProcedureVersion(
                    procedure=by_code[code], revision=1, edition=editions[year], body=body,
                    state=State.EFFECTIVE, author=author, approved_by=author,
                    effective_from=datetime.date(2024, 1, 1),
                    next_review_due=datetime.date(2026, 1, 1),
                    search_text=fold(f"{code} {title} {body}"), content_sha256="0" * 64,
                )
            )
        ProcedureVersion.objects.bulk_create(objs, batch_size=500)
        Through = ProcedureVersion.clauses.through
        for obj, (year, _body, numbers, _code, _title) in zip(
            ProcedureVersion.objects.order_by("pk"), versions, strict=True
        ):
            for number in numbers[:8]:
                clause = clauses.get((year, number))
                if clause is not None:
                    links.append(Through(procedureversion_id=obj.pk, clause_id=clause.pk))
        Through.objects.bulk_create(links, batch_size=2000)
    return reader_and_units()


def reader_and_units() -> dict:
    from qms.models import OrgUnit, User

    units = {u.code.upper(): u for u in OrgUnit.objects.all()}
    return {"reader": User.objects.get(username="bench_staff"), "units": units}


def search_page(user, query, filters, units):
    from django.core.paginator import Paginator

    from procedures.search import effective_search

    kwargs = dict(filters)
    if "department" in kwargs:
        kwargs["department"] = units[kwargs["department"]]
    paginator = Paginator(effective_search(user=user, query=query, **kwargs), 20)
    page = paginator.get_page(1)
    rows = list(page.object_list)
    for row in rows:  # what the list template touches
        _ = (row.procedure.code, row.procedure.department.name, row.edition.name,
             [c.number for c in row.clauses.all()])
    return paginator.count, rows


def like_count(user, query, filters, units) -> int:
    """The same search without the index (plain LIKE): the index must not change results."""
    from procedures.search import effective_search

    kwargs = dict(filters)
    if "department" in kwargs:
        kwargs["department"] = units[kwargs["department"]]
    return len(effective_search(user=user, query=query, **kwargs)._matches(use_index=False))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    args = parse_args()
    if args.reuse:
        db_path, args.keep = args.reuse, True
    else:
        handle, db_path = tempfile.mkstemp(prefix="bench_search_", suffix=".sqlite3")
        os.close(handle)
    try:
        started = time.perf_counter()
        setup_django(db_path)
        data = reader_and_units() if args.reuse else build(args.rows)
        from django.db import connection

        from procedures.models import ProcedureVersion

        args.rows = ProcedureVersion.objects.count()
        code = ProcedureVersion.objects.order_by("pk")[42].procedure.code

        size_mb = os.path.getsize(db_path) / 1e6
        print(f"{args.rows} effective procedures in {db_path} ({size_mb:.0f} MB), "
              f"built in {time.perf_counter() - started:.1f} s")
        reader, units = data["reader"], data["units"]
        search_page(reader, "khởi động", {}, units)  # warm the page cache
        everything = []
        print(f"{'query':<28} {'hits':>6} {'median ms':>10} {'p95 ms':>8}  first hit")
        for label, query, filters in QUERIES:
            timings = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                count, rows = search_page(reader, query.format(code=code), filters, units)
                timings.append((time.perf_counter() - t0) * 1000)
            everything.extend(timings)
            first = rows[0].procedure.code if rows else "-"
            check = "" if count == like_count(reader, query.format(code=code), filters, units) \
                else "  INDEX AND LIKE DISAGREE"
            print(f"{label:<28} {count:>6} {statistics.median(timings):>10.1f} "
                  f"{p95(timings):>8.1f}  {first}{check}")
        print(f"{'overall':<28} {'':>6} {statistics.median(everything):>10.1f} "
              f"{p95(everything):>8.1f}")
        connection.close()
    finally:
        if args.keep:
            print(f"kept {db_path}")
        else:
            os.unlink(db_path)


if __name__ == "__main__":
    main()
