"""A corpus for judging and timing the search: the demo procedures (latest effective
revision), planted GEN-* procedures, and generated distractors that use the same
vocabulary (every demo title appears in their bodies, some of their titles share
words with demo titles). Deterministic for a given seed. Rows are bulk-inserted
(no services, no history): for ranking tests and benchmarks only.
"""

import datetime
import json
import random
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "procedures" / "demo_data" / "procedures.json"
DEPARTMENTS = {
    "VP": "Văn phòng HĐND và UBND", "TNMT": "Phòng Tài nguyên và Môi trường",
    "QLDT": "Phòng Quản lý đô thị", "LDTBXH": "Phòng Lao động - Thương binh và Xã hội",
    "KT": "Phòng Kinh tế", "TP": "Phòng Tư pháp", "MC": "Bộ phận Tiếp nhận và Trả kết quả",
}
PLANTED = [
    ("GEN-TNMT-001", "Quy trình cấp giấy phép khai thác nước dưới đất"),
    ("GEN-QLDT-002", "Quy trình thẩm duyệt thiết kế phòng cháy chữa cháy"),
    ("GEN-TNMT-003", "Quy trình thu hồi đất, bồi thường, hỗ trợ tái định cư"),
    ("GEN-TP-004", "Quy trình cấp bản sao trích lục hộ tịch"),
    ("GEN-LDTBXH-005", "Quy trình hỗ trợ học nghề cho người lao động"),
    ("GEN-KT-006", "Quy trình cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm"),
    ("GEN-QLDT-007", "Quy trình lập biên bản kiểm tra thực địa công trình"),
]
TOPICS = [
    "quản lý tài sản công", "tiếp công dân", "thi đua khen thưởng", "quản lý ngân sách",
    "văn thư lưu trữ", "cải cách hành chính", "ứng dụng công nghệ thông tin",
    "đào tạo bồi dưỡng cán bộ", "kiểm soát chi phí hành chính", "quản lý chất lượng công trình",
    "đăng ký biện pháp bảo đảm", "quản lý chợ", "cấp phép quảng cáo", "bảo vệ môi trường",
    "quản lý cây xanh đô thị", "hòa giải ở cơ sở", "phổ biến giáo dục pháp luật",
    "quản lý nhà chung cư", "cấp số nhà", "giải quyết khiếu nại hành chính",
]
SUFFIXES = ["", " (sửa đổi)", " tại UBND phường", " cấp xã", " liên thông", " trực tuyến"]
SENTENCES = [
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
    "Sai sót phát hiện trong quá trình giải quyết được xử lý như sản phẩm không phù hợp.",
    "Nguyên nhân được phân tích để đề ra hành động khắc phục và hành động phòng ngừa.",
    "Định kỳ sáu tháng, đơn vị báo cáo kết quả thực hiện để phục vụ xem xét của lãnh đạo.",
]


def demo_procedures() -> list[dict]:
    rows = []
    for item in json.loads(DEMO.read_text(encoding="utf-8")):
        revision = item["revisions"][-1]
        rows.append({"code": item["code"], "title": item["title"], "department": item["department"],
                     "kind": item["kind"], "body": revision["body"]})
    return rows


def generated(count: int, *, seed: int = 12, words: int = 600) -> list[dict]:
    """`count` procedures: the planted ones first, then distractors of about `words`
    words. Each row also carries its body already folded ("folded": sentences are
    folded once, so 100,000 bodies take seconds, not minutes)."""
    from procedures.search.query import folded_text

    folded = {}

    def fold_once(sentence):
        if sentence not in folded:
            folded[sentence] = folded_text(sentence)
        return folded[sentence]

    rng = random.Random(seed)
    demo_titles = [row["title"] for row in demo_procedures()]
    departments = list(DEPARTMENTS)
    rows = []
    for code, title in PLANTED[:count]:
        body = " ".join(rng.choices(SENTENCES, k=8)) + " " + title + "."
        rows.append({"code": code, "title": title, "department": code.split("-")[1],
                     "kind": "procedure", "body": body})
    for i in range(len(rows), count):
        department = departments[i % len(departments)]
        title = "Quy trình " + rng.choice(TOPICS) + rng.choice(SUFFIXES)
        parts, length = [], 0
        while length < words:
            sentence = rng.choice(SENTENCES) if rng.random() < 0.8 else (
                "Phối hợp thực hiện theo " + rng.choice(demo_titles) + ".")
            parts.append(sentence)
            length += sentence.count(" ") + 1
        rows.append({"code": f"QT-{department}-{i:06d}", "title": title, "department": department,
                     "kind": "procedure", "body": " ".join(parts),
                     "folded": " ".join(fold_once(part) for part in parts)})
    return rows


def insert(rows: list[dict], *, batch: int = 1000) -> None:
    """Bulk-insert effective procedures (one version each) and their search documents;
    the SQLite FTS table is built once at the end."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from procedures.models import Procedure, ProcedureVersion, SearchDocument, State
    from procedures.search import drop_search_index, ensure_search_index
    from procedures.search.query import folded_text
    from qms.models import Edition, OrgUnit

    if connection.vendor == "sqlite":
        drop_search_index()
    else:
        ensure_search_index()

    root, _ = OrgUnit.objects.get_or_create(code="corpus-root", defaults={"name": "UBND"})
    units = {
        code: OrgUnit.objects.get_or_create(code=f"corpus-{code.lower()}",
                                            defaults={"name": name, "parent": root})[0]
        for code, name in DEPARTMENTS.items()
    }
    author, _ = get_user_model().objects.get_or_create(username="corpus_author")
    edition = Edition.objects.get(year=2008)
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        procedures = Procedure.objects.bulk_create([
            Procedure(code=row["code"], title=row["title"], department=units[row["department"]],
                      kind=row["kind"], created_by=author)
            for row in chunk
        ])
        versions = ProcedureVersion.objects.bulk_create([
            ProcedureVersion(
                procedure=procedure, revision=1, edition=edition, body=row["body"],
                state=State.EFFECTIVE, author=author, approved_by=author,
                effective_from=datetime.date(2024, 1, 1), content_sha256="0" * 64,
            )
            for procedure, row in zip(procedures, chunk, strict=True)
        ])
        SearchDocument.objects.bulk_create([
            SearchDocument(version_id=version.pk, code=folded_text(row["code"]),
                           title=folded_text(row["title"]),
                           body=row.get("folded") or folded_text(row["body"]))
            for version, row in zip(versions, chunk, strict=True)
        ])
    ensure_search_index()


def judged() -> list[dict]:
    path = Path(__file__).with_name("search_judged.json")
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def ndcg_at_10(ranked: list[str], relevant: list[str]) -> float:
    import math

    gain = sum(1 / math.log2(i + 2) for i, code in enumerate(ranked[:10]) if code in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return gain / ideal if ideal else 0.0
