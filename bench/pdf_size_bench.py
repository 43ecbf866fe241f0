"""PDF build time against the length of the text: 10 KB, 100 KB and 1 MB.

    .venv/bin/python bench/pdf_size_bench.py [--sizes 10,100,1000] [--kinds body,statement,note]

Builds, without a database, the controlled copy of a procedure whose body has the
given size (procedures.pdf.version_pdf, the body through qms.markup) and the audit
report whose one finding statement has it (audits.pdf.build_audit_report), and
prints the wall time of each build, its pages, and the time per 100 KB. Linear
growth shows as a constant time per 100 KB. The checklist note goes in a table
cell, which reportlab cannot cut into paragraphs: its size is bounded by the form
(qms.limits.NOTE_CHARS), so it is measured up to that limit only.

Sizes past the form limits (qms.limits) are built all the same: the benchmark
measures the layout code, not the limits.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.test")

import django  # noqa: E402

django.setup()

from audits import pdf as audit_pdf  # noqa: E402
from procedures import pdf as procedure_pdf  # noqa: E402
from qms import limits  # noqa: E402

SENTENCE = ("Cán bộ một cửa tiếp nhận hồ sơ, kiểm tra thành phần và ghi phiếu hẹn trả kết quả "
            "theo quy định của Luật Đất đai 2013; ")
GRADES = ["major", "minor", "observation", "opportunity"]


def text_of(size_kb: int, *, lines: bool) -> str:
    """About size_kb KB of Vietnamese text (UTF-8), in paragraphs of ~20 sentences when
    `lines`, else as one single paragraph (the worst case)."""
    target = size_kb * 1024
    sentence = SENTENCE.encode()
    count = max(1, target // len(sentence))
    parts = []
    for n in range(count):
        parts.append(SENTENCE)
        if lines and n % 20 == 19:
            parts.append("\n\n")
    return "".join(parts)


def controlled_copy(body: str) -> bytes:
    return procedure_pdf.version_pdf({
        "code": "QT-TNMT-01", "title": "Quy trình thử độ dài", "revision": 1, "kind": "Quy trình",
        "state": "Đang hiệu lực", "department": "Phòng TNMT", "edition": "TCVN ISO 9001:2015",
        "effective_from": "01/03/2026", "next_review_due": "01/03/2027", "clauses": [],
        "signatures": [], "body": body, "attachments": [], "change_summary": "", "decision": "",
        "watermark": "", "printed_at": "28/11/2026", "printed_by": "Lê Quang Minh",
        "copy_number": 1, "distribution": ["Phòng TNMT"], "issued_on": None,
        "sign_off": [{"step": "Soạn thảo", "names": ["Lê Quang Minh"], "dates": ["01/02/2026"],
                      "meaning": "Đã trình duyệt"}],
    })


def audit_report(statement: str = "Phát hiện.", note: str = "") -> bytes:
    data = {
        "code": "ĐG-2026-01", "title": "Đánh giá thử", "programme": "Chương trình 2026", "year": 2026,
        "objectives": "", "state_label": "Đã báo cáo", "departments": ["Phòng A"], "clauses": [],
        "procedures": [], "lead_auditor": "Lê Quang Minh", "team": [], "planned_start": None,
        "planned_end": None, "started_at": None, "reported_at": None, "closed_at": None,
        "checklist": [{"position": 1, "question": "Hồ sơ có đủ?", "result": "Phù hợp",
                       "notes": note, "flag": ""}] if note else [],
        "grades": [(g, g) for g in GRADES], "by_grade": dict.fromkeys(GRADES, 0), "by_clause": [],
        "by_section": {str(s): dict.fromkeys(GRADES, 0) for s in range(4, 11)},
        "findings": [{"number": 1, "grade": "minor", "grade_label": "Nhẹ", "clause": "8.5.1",
                      "clause_title": "Kiểm soát", "department": "Phòng A", "procedure": "",
                      "action_state": "", "revision": 1, "attachments": [],
                      "statement": statement, "evidence": ""}],
        "actions": [],
    }
    return audit_pdf.build_audit_report(data, number="BC-1", issued_by="Lê Quang Minh",
                                        issued_at=datetime.datetime(2026, 11, 28, 8, 0, tzinfo=datetime.UTC))


def timed(build, text):
    start = time.perf_counter()
    content = build(text)
    return time.perf_counter() - start, content.count(b"/Type /Page\n") or content.count(b"/Type /Page")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000", help="text sizes in KB")
    parser.add_argument("--kinds", default="body,body-one-paragraph,statement,note")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = {
        "body": (controlled_copy, True), "body-one-paragraph": (controlled_copy, False),
        "statement": (audit_report, False),
        "note": (lambda text: audit_report(note=text), False),
    }
    print(f"{'document':<34}{'text':>9}{'pages':>7}{'seconds':>9}{'s/100 KB':>10}")
    for kind in args.kinds.split(","):
        build, lines = kinds[kind]
        for size in sizes:
            if kind == "note" and size * 1024 > limits.NOTE_CHARS * 3:
                continue  # past the note limit (a table cell cannot be split into paragraphs)
            text = text_of(size, lines=lines)
            seconds, pages = timed(build, text)
            label = {"body": "controlled copy, body", "body-one-paragraph":
                     "controlled copy, one-paragraph body", "statement": "audit report, statement",
                     "note": "audit report, checklist note"}[kind]
            print(f"{label:<34}{size:>6} KB{pages:>7}{seconds:>9.2f}{seconds / size * 100:>10.2f}")
    print("Limits (qms.limits): body", limits.BODY_CHARS, "characters, statement",
          limits.STATEMENT_CHARS, ", note", limits.NOTE_CHARS)


if __name__ == "__main__":
    main()
