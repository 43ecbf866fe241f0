"""Clause references in Vietnamese and English text, and rewriting them.

A reference is a dotted clause number cited inside a sentence: "mục 4.2.3",
"điều khoản 8.2.2", "theo 7.5.1 của TCVN ISO 9001:2008", "(5.6)", "clause 7.6",
"see 4.2.4", "4.2.3 và 4.2.4". These are not: the document's own section and
step numbers (a number that opens a line, "4.1 Cán bộ …"), dates and legal
document numbers ("15.03.2019", "19/2014/QĐ-TTg"), anything inside a legal
citation ("Điều 100 Luật Đất đai 2013", "Quyết định số 19/2014/QĐ-TTg … TCVN
ISO 9001:2008 …", quoted as issued up to the end of its sentence), revision
numbers ("phiên bản 5.1"), decimals with a unit ("4.5 ngày", "0,5 ngày"), and
numbers that the edition's catalogue does not hold.

A reference is rewritten to the 2015 clause(s) *equivalent* to it ("(xem 7.5.1)"
→ "(xem 8.5.1)"); one whose correspondence is only partial keeps its number and
is returned with the partial clauses, for a person to decide. The standard's
editions move with their family (TCVN ISO 9001:2008 → 2015, TCVN ISO 9000:2007
→ TCVN ISO 9000:2015), except inside a legal citation.
"""

import re
from dataclasses import dataclass, field

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
# A legal citation, from its kind and number (or a law's name and year) to the end
# of its sentence: what it says is quoted as issued.
_LEGAL = re.compile(
    r"(?:\b(?:Nghị\s+định|Nghị\s+quyết|Quyết\s+định|Thông\s+tư(?:\s+liên\s+tịch)?|Chỉ\s+thị|"
    r"Công\s+văn|Pháp\s+lệnh|Decree|Decision|Circular|Resolution|Directive)"
    r"(?:\s+(?:số|No\.?))?\s+\d+(?:/\d{2,4})?/[\w-]+"
    r"|\b(?:Bộ\s+luật|Luật|Law\s+on)\s+(?:\w+\s+){0,8}?(?:năm\s+)?(?:19|20)\d{2}\b"
    r"|\bĐiều\s+\d+\s+(?:khoản\s+\d+\s+)?(?:Bộ\s+luật|Luật|Nghị\s+định|Quyết\s+định|Thông\s+tư))"
)
# What follows a citation to the end of its sentence: the title as issued.
_SENTENCE_REST = re.compile(r"[^.;\n]*")
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
_EDITIONS = re.compile(r"((?:TCVN\s+)?ISO\s+)(9001\s*:\s*)2008|((?:TCVN\s+)?ISO\s+)(9000\s*:\s*)(?:2005|2007)")


_JOINER = re.compile(r"\s*(?:,|và|hoặc|and|or)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    number: str
    start: int
    end: int


@dataclass
class Kept:
    """A reference left as it was (its correspondence is partial, or there is none),
    at its place in the rewritten text, with the 2015 clauses proposed beside it."""

    number: str
    start: int
    end: int
    partials: list[str] = field(default_factory=list)


def legal_spans(line: str) -> list[tuple[int, int]]:
    """Each legal citation with the rest of its sentence (its title, quoted as issued)."""
    return [(m.start(), _SENTENCE_REST.match(line, m.end()).end()) for m in _LEGAL.finditer(line)]


def _masked_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_OR_LAW.finditer(line)] + [m.span() for m in _LEGAL.finditer(line)]


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
            if number in catalogue_numbers and not any(
                s < match.end(1) and match.start(1) < e for s, e in masks
            ):
                found.append(Reference(number, offset + match.start(1), offset + match.end(1)))
        offset += len(line)
    return sorted(found, key=lambda ref: ref.start)


def clause_numbers(text: str, catalogue_numbers: set[str]) -> set[str]:
    return {ref.number for ref in find_references(text, catalogue_numbers)}


def rewrite(text: str, references: list[Reference], catalogue) -> tuple[str, list[Kept]]:
    """The text with each reference replaced by its equivalent 2015 clause(s) and the
    standard's editions moved to 2015 (outside legal citations); and the references
    kept as they were, at their place in the new text, with their partial clauses."""
    parts, kept, last, length = [], [], 0, 0
    previous = None
    for ref in references:
        before = text[last:ref.start]
        targets = catalogue.equivalents(ref.number)
        written = ", ".join(targets) if targets else ref.number
        if targets and previous == written and _JOINER.fullmatch(before):
            # "4.2.3 và 4.2.4" both go to "7.5.2, 7.5.3": written once.
            last = ref.end
            continue
        previous = written if targets else None
        parts.append(before)
        length += len(before)
        if not targets:
            kept.append(Kept(ref.number, length, length + len(written), catalogue.partials(ref.number)))
        parts.append(written)
        length += len(written)
        last = ref.end
    parts.append(text[last:])
    new_text = "".join(parts)
    return _move_editions(new_text, kept)


def _move_editions(text: str, kept: list[Kept]) -> tuple[str, list[Kept]]:
    """2008 → 2015 in the names of the standards, outside legal citations; the kept
    references' positions follow the (equal-length) change."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        spans = legal_spans(line)

        def move(match, spans=spans):
            if any(s <= match.start() < e for s, e in spans):
                return match.group(0)
            if match.group(1) is not None:
                return match.group(1) + match.group(2) + "2015"
            return match.group(3) + match.group(4) + "2015"

        lines[index] = _EDITIONS.sub(move, line)
    return "\n".join(lines), kept
