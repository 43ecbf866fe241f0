"""2008 terms in a text, each with the 2015 wording proposed (qms/data/terms_2008_2015.json).

A term is flagged only in its 2008 sense: "hồ sơ" as a record of results (hồ sơ
chất lượng, lưu hồ sơ, kiểm soát hồ sơ, a records section heading), never as a
citizen's dossier (thành phần hồ sơ, tiếp nhận hồ sơ, hồ sơ hợp lệ, hồ sơ đề
nghị…); "tài liệu" only in document control (kiểm soát tài liệu, tài liệu và hồ
sơ), never "tài liệu viện dẫn" or the papers in an applicant's dossier.

Each phrase has its own replacement, short and grammatical where it stands, in
the document's language; the explanation, with its clause numbers, is a note
beside it. Terms that the 2015 edition drops (management representative,
exclusions, quality manual, preventive action) are decisions with choices.
"""

import json
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from qms.text import nfc

from .references import legal_spans

TERMS_FILE = "terms_2008_2015.json"


@dataclass(frozen=True)
class Choice:
    label_vi: str
    label_en: str
    text_vi: str  # "{found}" keeps the text, "{replacement}" is the phrase's own
    text_en: str


@dataclass(frozen=True)
class Term:
    key: str
    kind: str  # "replace" or "decision"
    clauses: str
    note_vi: str
    note_en: str
    choices: tuple[Choice, ...]
    default_vi: str  # the first phrase's replacement in each language
    default_en: str

    @property
    def needs_decision(self) -> bool:
        return self.kind == "decision"


@dataclass(frozen=True)
class Occurrence:
    key: str
    found: str  # the text as written in the document
    language: str  # "vi" or "en"
    start: int
    end: int
    replacement: str  # in the document's language and case

    def choices(self) -> list[dict]:
        """The choices offered for this occurrence, texts resolved and in case."""
        term = load()[0][self.key]
        result = []
        for choice in term.choices:
            raw = choice.text_vi if self.language == "vi" else choice.text_en
            text = raw.replace("{found}", self.found).replace("{replacement}", self.replacement)
            if raw not in ("{found}", "{replacement}"):
                text = match_case(self.found, text)
            result.append({"label_vi": choice.label_vi, "label_en": choice.label_en, "text": text})
        return result


def _data_dir():
    return settings.BASE_DIR / "qms" / "data"


@cache
def load():
    """(terms by key, phrase pattern, phrase → (key, language, replacement), keep phrases,
    dossier qualifiers, heading phrases)."""
    data = json.loads((_data_dir() / TERMS_FILE).read_text(encoding="utf-8"))
    terms, owner, headings = {}, {}, {}
    for row in data["terms"]:
        choices = tuple(
            Choice(c["label_vi"], c["label_en"], nfc(c.get("text_vi", c.get("text", ""))),
                   c.get("text_en", c.get("text", "")))
            for c in row.get("choices", ())
        )
        terms[row["key"]] = Term(row["key"], row["kind"], row["clauses"], nfc(row["note_vi"]),
                                 row["note_en"], choices, nfc(row["vi"][0][1]), row["en"][0][1])
        for language in ("vi", "en"):
            for phrase, replacement in row[language]:
                phrase = nfc(phrase).casefold()
                if row["key"] == "records_heading":
                    headings[phrase] = (row["key"], language)
                    continue
                owner.setdefault(phrase, (row["key"], language, nfc(replacement)))
    keep = [nfc(p).casefold() for p in data["keep"]]
    # Longest phrase first, so that "hồ sơ chất lượng" wins over a shorter one.
    phrases = sorted({*owner, *keep}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    dossier = tuple(nfc(p).casefold() for p in data["dossier_after"])
    return terms, pattern, owner, set(keep), dossier, headings


# A section heading that is only the word for records: "5. HỒ SƠ", "## Hồ sơ", "RECORDS".
_HEADING_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*(?:(?:\d{1,2}|[IVX]{1,4})[.)]?[ \t]+)?)"
    r"(?P<word>[^\W\d_][^\n]*?)[ \t]*(?:\*\*)?[ \t]*:?[ \t]*$",
    re.MULTILINE,
)


def find_terms(text: str) -> list[Occurrence]:
    """Every occurrence of a 2008 term in its 2008 sense, left to right, never overlapping."""
    terms, pattern, owner, keep, dossier, headings = load()
    text = text or ""
    quoted = _legal_spans(text)
    found = []
    for match in pattern.finditer(text):
        phrase = re.sub(r"\s+", " ", match.group(0)).casefold()
        if phrase in keep:
            continue
        if any(s <= match.start() < e for s, e in quoted):
            continue  # the title of a law or decision is quoted as issued
        key, language, replacement = owner[phrase]
        if phrase == "kiểm soát hồ sơ" and _followed_by(text, match.end(), dossier):
            continue  # checking a citizen's dossier ("kiểm soát hồ sơ đề nghị …"), not a record
        found.append(Occurrence(key, match.group(0), language, match.start(), match.end(),
                                match_case(match.group(0), replacement)))
    for match in _HEADING_LINE.finditer(text):
        word = match.group("word")
        hit = headings.get(word.casefold())
        if hit is None:
            continue
        key, language = hit
        start = match.start("word")
        if any(o.start <= start < o.end for o in found):
            continue
        found.append(Occurrence(key, word, language, start, start + len(word), word))
    return sorted(found, key=lambda o: o.start)


def _legal_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        spans += [(offset + s, offset + e) for s, e in legal_spans(line)]
        offset += len(line) + 1
    return spans


def _followed_by(text: str, end: int, qualifiers) -> bool:
    after = " ".join(text[end:end + 40].split()).casefold()
    return any(after.startswith(q) for q in qualifiers)


def term(key: str) -> Term:
    return load()[0][key]


def match_case(original: str, replacement: str) -> str:
    """Keep the case of what is replaced: "SẢN PHẨM" → upper, "Sản phẩm" → capitalised."""
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
