"""Clause references in Vietnamese and English text.

A reference is a dotted clause number cited inside a sentence: "mục 4.2.3",
"điều khoản 8.2.2", "theo 7.5.1 của TCVN ISO 9001:2008", "(5.6)", "clause 7.6",
"see 4.2.4", "4.2.3 và 4.2.4". These are not: the document's own section and
step numbers (a number that opens a line, "4.1 Cán bộ …"), dates and legal
document numbers ("15.03.2019", "19/2014/QĐ-TTg"), revision numbers
("phiên bản 5.1"), decimals with a unit ("4.5 ngày", "0,5 ngày"), and numbers
that the edition's catalogue does not hold.
"""

import re
from dataclasses import dataclass

# A dotted number not glued to another number, word, slash or dash.
_CANDIDATE = re.compile(r"(?<![\w.,/-])(\d{1,2}(?:\.\d{1,2}){1,3})(?![\w/-]|[.,]\d)")
# "điều khoản 4", "clause 8": a top-level clause needs its keyword.
_KEYWORD_SINGLE = re.compile(
    r"(?:điều\s+khoản|clauses?)\s+(\d{1,2})(?![\w.,/-]|\.\d)", re.IGNORECASE
)
_DATE_OR_LAW = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"  # dates
    r"|\d+(?:[./-]\d+)*/\d{4}/[^\s,;)]+"  # legal document numbers 19/2014/QĐ-TTg
)
_LINE_START = re.compile(r"^[ \t#>*+-]*$")
_REVISION_BEFORE = re.compile(
    r"\b(?:lần\s+ban\s+hành|lần\s+sửa\s+đổi|phiên\s+bản|sửa\s+đổi|version|revision|rev\.?)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s*(?:%|ngày|giờ|phút|tháng|năm|tuần|triệu|nghìn|đồng|km|m2|m²|m\b|kg|lần\b|days?\b|"
    r"hours?\b|minutes?\b|months?\b|years?\b|weeks?\b)",
    re.IGNORECASE,
)
_EDITION_2008 = re.compile(r"((?:TCVN\s+)?ISO\s+9001\s*:\s*)2008")


@dataclass(frozen=True)
class Reference:
    number: str
    start: int
    end: int


def _masked_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_OR_LAW.finditer(line)]


def find_references(text: str, catalogue_numbers: set[str]) -> list[Reference]:
    """Every clause reference in the text, in order, with its position."""
    found = []
    offset = 0
    for line in (text or "").splitlines(keepends=True):
        masks = _masked_spans(line)
        for match in _CANDIDATE.finditer(line):
            number, start, end = match.group(1), match.start(1), match.end(1)
            if number not in catalogue_numbers:
                continue
            if _LINE_START.match(line[:start]):
                continue  # the document's own section or step number
            if any(s < end and start < e for s, e in masks):
                continue
            if _REVISION_BEFORE.search(line[max(0, start - 20):start]):
                continue
            if _UNIT_AFTER.match(line[end:end + 12]):
                continue
            found.append(Reference(number, offset + start, offset + end))
        for match in _KEYWORD_SINGLE.finditer(line):
            number = match.group(1)
            if number in catalogue_numbers:
                found.append(Reference(number, offset + match.start(1), offset + match.end(1)))
        offset += len(line)
    return sorted(found, key=lambda ref: ref.start)


def clause_numbers(text: str, catalogue_numbers: set[str]) -> set[str]:
    return {ref.number for ref in find_references(text, catalogue_numbers)}


def rewrite(text: str, references: list[Reference], mapping: dict[str, list[str]]) -> str:
    """The text with each reference replaced by its targets ("4.2.3" → "7.5.2, 7.5.3")
    and the 2008 edition named as the 2015 one. Unmapped numbers stay as they are."""
    parts, last = [], 0
    for ref in references:
        targets = mapping.get(ref.number) or []
        if not targets:
            continue
        parts.append(text[last:ref.start])
        parts.append(", ".join(targets))
        last = ref.end
    parts.append(text[last:])
    return _EDITION_2008.sub(r"\g<1>2015", "".join(parts))
