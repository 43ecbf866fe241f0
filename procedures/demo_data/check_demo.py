#!/usr/bin/env python3
"""Kiểm tra dữ liệu demo procedures.json (chỉ dùng thư viện chuẩn).

Chạy:  python3 check_demo.py [đường_dẫn_procedures.json]
Mã thoát 0 nếu hợp lệ, 1 nếu có lỗi (in ra từng lỗi).
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

DEPARTMENTS = {"VP", "TNMT", "QLDT", "LDTBXH", "KT", "TP", "MC"}
KINDS = {"manual", "policy", "procedure", "work_instruction", "form", "external"}

MANDATORY = {
    "Quy trình kiểm soát tài liệu": "4.2.3",
    "Quy trình kiểm soát hồ sơ": "4.2.4",
    "Quy trình đánh giá nội bộ": "8.2.2",
    "Quy trình kiểm soát sản phẩm không phù hợp": "8.3",
    "Quy trình hành động khắc phục": "8.5.2",
    "Quy trình hành động phòng ngừa": "8.5.3",
}

# Mọi điều khoản có thật của TCVN ISO 9001:2008 (ISO 9001:2008), từ 4.1 đến 8.5.3.
VALID_2008 = set(
    """
    4.1 4.2 4.2.1 4.2.2 4.2.3 4.2.4
    5.1 5.2 5.3 5.4 5.4.1 5.4.2 5.5 5.5.1 5.5.2 5.5.3 5.6 5.6.1 5.6.2 5.6.3
    6.1 6.2 6.2.1 6.2.2 6.3 6.4
    7.1 7.2 7.2.1 7.2.2 7.2.3 7.3 7.3.1 7.3.2 7.3.3 7.3.4 7.3.5 7.3.6 7.3.7
    7.4 7.4.1 7.4.2 7.4.3 7.5 7.5.1 7.5.2 7.5.3 7.5.4 7.5.5 7.6
    8.1 8.2 8.2.1 8.2.2 8.2.3 8.2.4 8.3 8.4 8.5 8.5.1 8.5.2 8.5.3
    """.split()
)

CLAUSE_RE = re.compile(r"\b[4-8](?:\.\d{1,2}){1,2}\b")
LINE_START_RE = re.compile(r"^[ \t#]*$")
# Số văn bản pháp luật: 43/2014/NĐ-CP, 01/2018/TT-VPCP ... ; ngày tháng: 15/03/2019, 15-03-2019, 15.03.2019
DATE_OR_LAW_RE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"            # ngày tháng
    r"|\d+(?:[./-]\d+)*/\d{4}/[^\s,;)]+"          # số hiệu văn bản
)


def sort_key(clause):
    return tuple(int(p) for p in clause.split("."))


def extract_clauses(body):
    """Tập số hiệu điều khoản được viện dẫn trong nội dung, theo quy tắc:
    khớp \\b[4-8](\\.\\d{1,2}){1,2}\\b, không đứng đầu dòng (sau khoảng trắng / '#'),
    không thuộc ngày tháng hoặc số hiệu văn bản, không đứng sau chữ số/dấu chấm/gạch chéo,
    không có chữ số hoặc '.<chữ số>' theo sau."""
    found = set()
    for line in body.splitlines():
        masked = [False] * len(line)
        for m in DATE_OR_LAW_RE.finditer(line):
            for i in range(m.start(), m.end()):
                masked[i] = True
        for m in CLAUSE_RE.finditer(line):
            s, e = m.start(), m.end()
            if LINE_START_RE.match(line[:s]):
                continue  # số mục của chính tài liệu, ví dụ "5.1 Bước 1"
            if any(masked[s:e]):
                continue
            before = line[s - 1] if s > 0 else ""
            if before and (before.isdigit() or before in "./-,"):
                continue
            after = line[e:e + 2]
            if after[:1].isdigit() or re.match(r"[.,]\d", after):
                continue
            if after[:1] and after[:1] in "/-":
                continue  # một phần của số hiệu hoặc khoảng số
            found.add(m.group(0))
    return found


MOJIBAKE_RE = re.compile("[\u0080-\u009f\ufffd]|Ã[\u00a0-\u00bf]|á»|áº|Ä‘|Æ°")
ENGLISH_RE = re.compile(
    r"\b(the|and|procedure|document|record|shall|should|quality|with|for|from|step|"
    r"responsible|form|manual|draft|review|internal|audit)\b",
    re.IGNORECASE,
)
REQUIRED_HEADINGS = [
    "## 1. MỤC ĐÍCH",
    "## 2. PHẠM VI ÁP DỤNG",
    "## 3. TÀI LIỆU VIỆN DẪN",
    "## 4. ĐỊNH NGHĨA VÀ CHỮ VIẾT TẮT",
    "## 5. NỘI DUNG",
    "## 6. HỒ SƠ",
    "## 7. BIỂU MẪU",
]
DATE_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def walk_strings(obj, path="$"):
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_strings(k, f"{path}.<key>")
            yield from walk_strings(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk_strings(v, f"{path}[{i}]")


def check_body(where, code, title, rev, body, clauses, errors, effective_from=None):
    if not body.startswith("# " + title.upper() + "\n"):
        errors.append(f"{where}: dòng đầu phải là '# {title.upper()}'")
    if f"\nMã số: {code}\n" not in body:
        errors.append(f"{where}: thiếu dòng 'Mã số: {code}'")
    if f"\nLần ban hành: {rev:02d}\n" not in body:
        errors.append(f"{where}: thiếu dòng 'Lần ban hành: {rev:02d}'")
    if effective_from:
        y, m, d = effective_from.split("-")
        if f"\nNgày ban hành: {d}/{m}/{y}\n" not in body:
            errors.append(f"{where}: 'Ngày ban hành' không khớp effective_from {effective_from}")
    pos = -1
    for h in REQUIRED_HEADINGS:
        idx = body.find("\n" + h)
        if idx < 0:
            errors.append(f"{where}: thiếu mục '{h}'")
        elif idx < pos:
            errors.append(f"{where}: mục '{h}' sai thứ tự")
        pos = max(pos, idx)
    n = len(body.splitlines())
    if not 40 <= n <= 120:
        errors.append(f"{where}: nội dung có {n} dòng (yêu cầu 40-120)")
    if "TCVN ISO 9001:2008" not in body:
        errors.append(f"{where}: không viện dẫn TCVN ISO 9001:2008")
    if ENGLISH_RE.search(body):
        errors.append(f"{where}: có từ tiếng Anh: {ENGLISH_RE.search(body).group(0)!r}")
    found = extract_clauses(body)
    bad = sorted(found - VALID_2008, key=sort_key)
    if bad:
        errors.append(f"{where}: viện dẫn điều khoản không có trong bản 2008: {bad}")
    if not isinstance(clauses, list) or not clauses:
        errors.append(f"{where}: 'clauses' phải là danh sách khác rỗng")
        return
    if clauses != sorted(set(clauses), key=sort_key):
        errors.append(f"{where}: 'clauses' phải được sắp xếp, không trùng: {clauses}")
    if set(clauses) != found:
        errors.append(
            f"{where}: 'clauses' {sorted(set(clauses), key=sort_key)} khác với điều khoản trong nội dung "
            f"{sorted(found, key=sort_key)}"
        )


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("procedures.json")
    raw = path.read_bytes()
    errors = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"LỖI: tệp không phải UTF-8: {exc}")
        return 1
    if text.startswith("\ufeff"):
        errors.append("tệp có BOM")
    data = json.loads(text)
    if not isinstance(data, list):
        print("LỖI: gốc JSON phải là danh sách")
        return 1

    for p, s in walk_strings(data):
        if unicodedata.normalize("NFC", s) != s:
            errors.append(f"{p}: chuỗi chưa chuẩn hóa NFC")
        if MOJIBAKE_RE.search(s):
            errors.append(f"{p}: nghi lỗi mã hóa ký tự: {MOJIBAKE_RE.search(s).group(0)!r}")

    if len(data) < 16:
        errors.append(f"chỉ có {len(data)} tài liệu (yêu cầu >= 16)")
    codes = [d.get("code") for d in data]
    dups = sorted({c for c in codes if codes.count(c) > 1})
    if dups:
        errors.append(f"mã tài liệu bị trùng: {dups}")

    by_title = {}
    multi, drafts = [], []
    for i, d in enumerate(data):
        code = d.get("code", f"#{i}")
        where = code
        for key in ("code", "title", "department", "kind", "revisions"):
            if key not in d:
                errors.append(f"{where}: thiếu trường '{key}'")
        dept, kind = d.get("department"), d.get("kind")
        if dept not in DEPARTMENTS:
            errors.append(f"{where}: phòng ban không hợp lệ {dept!r}")
        if kind not in KINDS:
            errors.append(f"{where}: loại tài liệu không hợp lệ {kind!r}")
        expected = re.compile(rf"^(QT|ST)-{re.escape(str(dept))}-\d{{2}}$")
        if not expected.match(str(code)):
            errors.append(f"{where}: mã không đúng dạng QT-<PHÒNG>-NN / ST-VP-NN")
        if str(code).startswith("ST-") and kind != "manual":
            errors.append(f"{where}: mã ST- phải là sổ tay (manual)")
        title = d.get("title", "")
        by_title[title] = d
        revs = d.get("revisions") or []
        if not revs:
            errors.append(f"{where}: không có lần ban hành nào")
        prev_no, prev_date = 0, ""
        for r in revs:
            no = r.get("revision")
            w = f"{where} lần {no}"
            if not isinstance(no, int) or no != prev_no + 1:
                errors.append(f"{w}: số lần ban hành phải tăng liên tiếp từ 1")
            eff = r.get("effective_from", "")
            if not DATE_ISO_RE.match(eff):
                errors.append(f"{w}: effective_from không đúng dạng YYYY-MM-DD")
            elif eff <= prev_date:
                errors.append(f"{w}: effective_from phải sau lần trước")
            if not r.get("change_summary"):
                errors.append(f"{w}: thiếu change_summary")
            if r.get("body") is not None:
                check_body(w, code, title, no, r["body"], r.get("clauses"), errors, eff)
            else:
                errors.append(f"{w}: thiếu body")
            prev_no, prev_date = no if isinstance(no, int) else prev_no, eff
        if len(revs) >= 2:
            multi.append(code)
            bodies = [r.get("body") for r in revs]
            sums = [r.get("change_summary") for r in revs]
            if len(set(bodies)) != len(bodies) or len(set(sums)) != len(sums):
                errors.append(f"{where}: các lần ban hành phải khác nhau về nội dung và tóm tắt thay đổi")
        dr = d.get("draft")
        if dr is not None:
            drafts.append(code)
            w = f"{where} dự thảo"
            if dr.get("revision") != prev_no + 1:
                errors.append(f"{w}: revision phải bằng lần ban hành cuối + 1")
            if dr.get("state") != "in_review":
                errors.append(f"{w}: state phải là 'in_review'")
            if not dr.get("change_summary"):
                errors.append(f"{w}: thiếu change_summary")
            check_body(w, code, title, dr.get("revision", 0), dr.get("body", ""), dr.get("clauses"), errors)
            if revs and dr.get("body") == revs[-1].get("body"):
                errors.append(f"{w}: nội dung dự thảo trùng với bản hiện hành")

    for t, clause in MANDATORY.items():
        d = by_title.get(t)
        if d is None:
            errors.append(f"thiếu quy trình bắt buộc '{t}'")
            continue
        if d.get("department") != "VP" or d.get("kind") != "procedure":
            errors.append(f"'{t}' phải thuộc VP, loại procedure")
        if d.get("revisions") and clause not in d["revisions"][-1].get("clauses", []):
            errors.append(f"'{t}' phải viện dẫn điều khoản {clause}")
    manual = next((d for d in data if d.get("code") == "ST-VP-01"), None)
    if manual is None or manual.get("kind") != "manual":
        errors.append("thiếu Sổ tay chất lượng ST-VP-01 (kind manual)")
    elif not {"4.2.2", "5.3", "5.5.2"} <= set(manual["revisions"][-1]["clauses"]):
        errors.append("ST-VP-01 phải viện dẫn 4.2.2, 5.3, 5.5.2")
    if len(multi) < 3:
        errors.append(f"chỉ {len(multi)} tài liệu có >= 2 lần ban hành (yêu cầu >= 3)")
    if not drafts:
        errors.append("không có tài liệu nào có dự thảo đang xem xét")

    if errors:
        for e in errors:
            print("LỖI:", e)
        print(f"\n{len(errors)} lỗi.")
        return 1
    print(f"OK: {len(data)} tài liệu; nhiều lần ban hành: {', '.join(multi)}; có dự thảo: {', '.join(drafts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
