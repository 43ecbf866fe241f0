"""What a legacy document says about itself: title, code, revision, effective date,
approval — and rewriting its own header for the next revision.

Vietnamese administrative documents open with the issuing body (letterhead:
"UỶ BAN NHÂN DÂN THÀNH PHỐ …", "PHÒNG TƯ PHÁP", the national motto) before the
title; their header carries "Mã số", "Lần ban hành", "Ngày hiệu lực" (English:
"Code", "Issue" / "Rev.", "Effective date"), often in a table.
"""

import datetime
import re
from dataclasses import dataclass

from qms.text import fold, nfc

# The header zone: the fields are looked for in the first lines only, so that a
# revision-history table or a date further down is never taken for the header.
HEADER_LINES = 30

_FIELD_END = r"(?=\s*(?:\||$|;|,\s*(?:lần|ngày|rev|issue|effective)))"
CODE = re.compile(
    r"(?:^|[|\s])(?:mã\s+số|mã\s+hiệu|mã\s+tài\s+liệu|ký\s+hiệu|kí\s+hiệu|code|document\s+no\.?)"
    r"\s*:\s*([A-Za-zĐđ0-9][^\s|,;]*)",
    re.IGNORECASE,
)
# Label, then the number as written. Order = priority when several are stated.
REVISION_LABELS = [
    ("issue_vi", r"lần\s+ban\s+hành"),
    ("issue_en", r"issue(?:\s+no\.?)?"),
    ("edit_vi", r"lần\s+sửa\s+đổi"),
    ("rev_en", r"rev(?:ision)?\.?(?:\s+no\.?)?"),
]
REVISION = re.compile(
    r"(?P<label>\b(?:" + "|".join(p for _, p in REVISION_LABELS) + r"))\s*[:.]?\s*(?P<value>\d{1,3})\b",
    re.IGNORECASE,
)
_DATE_VALUE = (
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}-\d{2}-\d{2}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)
DATE_LABELS = [
    ("effective_vi", r"ngày\s+(?:có\s+)?hiệu\s+lực"),
    ("effective_en", r"effective\s+date|effective\s+from|date\s+effective"),
    ("issued_vi", r"ngày\s+ban\s+hành"),
    ("issued_en", r"date\s+of\s+issue|issue\s+date|issued\s+on"),
]
DATE = re.compile(
    r"(?P<label>\b(?:" + "|".join(p for _, p in DATE_LABELS) + r"))\s*:?\s*(?P<value>" + _DATE_VALUE
    + r"|[.…_/\s]*(?=\||$))",
    re.IGNORECASE,
)
APPROVAL_LINE = re.compile(
    r"^\s*(?:người\s+phê\s+duyệt|phê\s+duyệt|duyệt|approved\s+by|approval)\s*:\s*(.+?)\s*$",
    re.IGNORECASE,
)
_APPROVAL_HEAD = re.compile(r"phê\s+duyệt|approved", re.IGNORECASE)

# Lines of the letterhead and the national motto, compared folded (no accents).
_LETTERHEAD = re.compile(
    r"^(?:uy\s+ban\s+nhan\s+dan|hoi\s+dong\s+nhan\s+dan|phong\s|van\s+phong|so\s|bo\s|cuc\s|"
    r"chi\s+cuc|trung\s+tam\s|ban\s|thanh\s+pho\s|quan\s|huyen\s|thi\s+xa\s|phuong\s|xa\s|"
    r"cong\s+hoa\s+xa\s+hoi|doc\s+lap\s*-|so\s*:|city\s|people'?s\s+committee|department\s+of|"
    r"socialist\s+republic|independence\s*-)",
)
_DATE_LINE = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng|^\s*[-_=*~.]{3,}\s*$", re.IGNORECASE)
_DOC_KIND = re.compile(
    r"^(?:quy\s+trinh|huong\s+dan|so\s+tay|thu\s+tuc|quy\s+che|quy\s+dinh|ke\s+hoach|chinh\s+sach|"
    r"muc\s+tieu|bieu\s+mau|procedure|work\s+instruction|quality\s+manual|policy|instruction|"
    r"standard\s+operating)",
)
_HEADING = re.compile(r"^\s*#{1,6}\s*(.+?)\s*#*\s*$")
_SECTION = re.compile(r"^\s*(?:#+\s*)?(?:\d+|[IVX]+)[.)]\s+\S")


@dataclass
class Header:
    title: str
    code: str
    revision: int | None
    revision_text: str
    effective_from: datetime.date | None
    approval: str


def _lines(text: str) -> list[str]:
    return nfc(text).splitlines()[:HEADER_LINES]


def _is_letterhead(line: str) -> bool:
    plain = fold(line.strip().lstrip("#").strip().strip("*").strip())
    return bool(_LETTERHEAD.match(plain) or _DATE_LINE.search(line))


def _is_field(line: str) -> bool:
    return bool(CODE.search(line) or REVISION.search(line) or DATE.search(line)
                or APPROVAL_LINE.match(line))


def title_of(text: str) -> str:
    """The document's title, in its own case: a heading or a line naming a kind of
    document ("QUY TRÌNH …", "PROCEDURE …"), never the letterhead above it nor a
    header field; a title cut after "QUY TRÌNH" is joined with its next line."""
    lines = [line for line in _lines(text)]
    candidates = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line or line.startswith("|") or _is_letterhead(line) or _is_field(line):
            continue
        match = _HEADING.match(line)
        plain = (match.group(1) if match else line).strip().strip("*").strip()
        if _SECTION.match(line):
            break  # the body has begun
        rank = 0 if _DOC_KIND.match(fold(plain)) else (1 if match else 2)
        candidates.append((rank, index, plain))
    if not candidates:
        return ""
    rank, index, title = min(candidates)
    if len(title.split()) <= 2 and _DOC_KIND.match(fold(title)):
        for following in lines[index + 1:]:
            following = following.strip()
            if following and not _is_field(following) and not following.startswith("|"):
                rest = _HEADING.sub(r"\1", following).strip().strip("*").strip()
                title = title + " " + rest
                break
    return " ".join(title.split())


def code_of(text: str) -> str:
    match = CODE.search("\n".join(_lines(text)))
    return match.group(1).strip(".:") if match else ""


def _label_key(label: str, labels) -> str:
    for key, pattern in labels:
        if re.fullmatch(pattern, label.strip(), re.IGNORECASE):
            return key
    return ""


def revision_of(text: str) -> tuple[int | None, str]:
    """(number, as written) of the legacy revision, or (None, "")."""
    found = {}
    for line in _lines(text):
        for match in REVISION.finditer(line):
            key = _label_key(match.group("label"), REVISION_LABELS)
            found.setdefault(key, match.group("value"))
    for key, _pattern in REVISION_LABELS:
        if key in found and int(found[key]) > 0:
            return int(found[key]), found[key]
    return None, ""


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    match = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", value)
    words = re.fullmatch(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", value, re.IGNORECASE)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    try:
        if match or words:
            d, m, y = (match or words).groups()
            return datetime.date(int(y), int(m), int(d))
        if iso:
            y, m, d = iso.groups()
            return datetime.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return None


def effective_of(text: str) -> datetime.date | None:
    """The effective date the header states ("Ngày hiệu lực" before "Ngày ban hành")."""
    found = {}
    for line in _lines(text):
        for match in DATE.finditer(line):
            day = parse_date(match.group("value"))
            if day is not None:
                found.setdefault(_label_key(match.group("label"), DATE_LABELS), day)
    for key, _pattern in DATE_LABELS:
        if key in found:
            return found[key]
    return None


def approval_of(text: str) -> str:
    """The approval the file states, as text: a "Người phê duyệt: …" line, or the
    cells under a "Phê duyệt" column of a signature table."""
    lines = nfc(text).splitlines()
    for line in lines[:HEADER_LINES] + lines[-HEADER_LINES:]:
        match = APPROVAL_LINE.match(line.strip().strip("|").strip())
        if match and match.group(1).strip(" .…_"):
            return match.group(1).strip()
    for index, line in enumerate(lines):
        if not line.strip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        column = next((i for i, c in enumerate(cells) if _APPROVAL_HEAD.search(c)
                       and len(c) < 40), None)
        if column is None:
            continue
        below = []
        for following in lines[index + 1:index + 5]:
            if not following.strip().startswith("|"):
                break
            row = [c.strip() for c in following.strip().strip("|").split("|")]
            if set("".join(row)) <= set("-: "):
                continue
            if column < len(row) and row[column]:
                below.append(row[column])
        if below:
            return " — ".join(below)
    return ""


def parse(text: str) -> Header:
    revision, revision_text = revision_of(text)
    return Header(
        title=title_of(text), code=code_of(text), revision=revision, revision_text=revision_text,
        effective_from=effective_of(text), approval=approval_of(text),
    )


def rewrite_header(text: str, new_revision: int) -> str:
    """The document's own header for the proposed revision: each stated revision
    number becomes the new one (zero-padded as it was), each effective or issue
    date is left empty until the revision is approved and made effective. Only the
    header zone is touched; line count and every other line stay as they are."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:HEADER_LINES]):

        def revision(match):
            value = match.group("value")
            number = str(new_revision).zfill(len(value)) if value.startswith("0") else str(new_revision)
            return match.group(0)[: match.start("value") - match.start(0)] + number

        def date(match):
            value = match.group("value")
            if parse_date(value) is None:
                return match.group(0)
            return match.group(0)[: match.start("value") - match.start(0)].rstrip()

        lines[index] = DATE.sub(date, REVISION.sub(revision, line))
    return "\n".join(lines)
