"""2008 terms in a text, each with the 2015 wording proposed (qms/data/terms_2008_2015.json)."""

import json
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from qms.text import nfc

TERMS_FILE = "terms_2008_2015.json"


@dataclass(frozen=True)
class Term:
    key: str
    proposed_vi: str
    proposed_en: str
    needs_decision: bool
    note_vi: str
    note_en: str


@dataclass(frozen=True)
class Occurrence:
    key: str
    found: str  # the text as written in the document
    language: str  # "vi" or "en": which wording applies on acceptance
    start: int
    end: int

    def replacement(self, term: Term) -> str:
        return match_case(self.found, term.proposed_vi if self.language == "vi" else term.proposed_en)


def _data_dir():
    return settings.BASE_DIR / "qms" / "data"


@cache
def load_terms() -> tuple[dict[str, Term], re.Pattern, dict[str, tuple[str, str]]]:
    """The terms by key, one pattern for every phrase (longest first), and phrase → (key, language)."""
    rows = json.loads((_data_dir() / TERMS_FILE).read_text(encoding="utf-8"))
    terms, owner = {}, {}
    for row in rows:
        terms[row["key"]] = Term(
            key=row["key"],
            proposed_vi=nfc(row["proposed_vi"]),
            proposed_en=row["proposed_en"],
            needs_decision=row["needs_decision"],
            note_vi=nfc(row["note_vi"]),
            note_en=row["note_en"],
        )
        for language in ("vi", "en"):
            for phrase in row[f"found_{language}"]:
                owner.setdefault(nfc(phrase).casefold(), (row["key"], language))
    # Longest phrase first, so that "hồ sơ chất lượng" wins over "hồ sơ".
    phrases = sorted(owner, key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return terms, pattern, owner


def find_terms(text: str) -> list[Occurrence]:
    """Every occurrence of a 2008 term, left to right, never overlapping."""
    _terms, pattern, owner = load_terms()
    found = []
    for match in pattern.finditer(text or ""):
        phrase = re.sub(r"\s+", " ", match.group(0)).casefold()
        key, language = owner[phrase]
        found.append(Occurrence(key, match.group(0), language, match.start(), match.end()))
    return found


def term(key: str) -> Term:
    return load_terms()[0][key]


def match_case(original: str, replacement: str) -> str:
    """Keep the case of what is replaced: "SẢN PHẨM" → upper, "Sản phẩm" → capitalised."""
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
