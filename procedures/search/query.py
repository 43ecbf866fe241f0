"""A search box query, parsed once and written for either full-text engine.

The syntax is PostgreSQL's `websearch_to_tsquery`: words are ANDed, "a quoted
phrase" must appear as written, -word excludes. Every word is folded like the
indexed text (qms.text.fold, then split on anything that is not a letter or a
digit), so "ĐẤT-ĐAI", "dat dai" and NFD input give the same tokens. A word that
folds to several tokens ("QT-TNMT-01") is a phrase of them.

Prefixes: the last word of the query is a prefix ("giay phep xay d" finds "xây
dựng") unless it closes a quoted phrase. A query of one or two characters in all is a code or title prefix only: it never
scans the bodies.

Nothing is dropped: a query longer than MAX_QUERY_CHARS characters or with more
than MAX_TERMS tokens is refused with QueryError, in the user's language.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.text import fold, nfc

MAX_QUERY_CHARS = 200
MAX_TERMS = 32
SHORT_QUERY = 2  # characters: a query this short matches codes and title words only

_TOKEN = re.compile(r"[^\W_]+")
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(ValidationError):
    pass


def tokens(text: str) -> list[str]:
    """The folded tokens of a text: what is indexed, and what is searched."""
    return _TOKEN.findall(fold(nfc(text)))


def folded_text(text: str) -> str:
    """Tokens joined by single spaces: the stored form of a code, a title or a body."""
    return " ".join(tokens(text))


@dataclass
class Term:
    words: list[str]  # one word, or a phrase
    prefix: bool = False  # the last word is a prefix
    quoted: bool = False


@dataclass
class Query:
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    short: bool = False  # one or two characters: codes and title words only, unranked
    head: bool = False  # codes and titles only (short queries, suggestions)

    def __bool__(self) -> bool:
        return bool(self.include)

    @property
    def words(self) -> list[str]:
        """Every searched word (for highlighting), the prefix flagged by the Term."""
        return [w for t in self.include for w in t.words]

    # ------------------------------------------------------------ SQLite FTS5

    def fts5(self) -> str:
        """An FTS5 MATCH expression; every token is a quoted string, so nothing the
        user types is read as FTS5 syntax."""
        positive = " AND ".join(_fts_term(t) for t in self.include)
        return positive + "".join(" NOT " + _fts_term(t) for t in self.exclude)

    # ------------------------------------------------------------ PostgreSQL

    def initial(self) -> str:
        """A short query's one word as the exact lexeme of the initials column."""
        return "'" + self.include[0].words[0] + "'"

    def tsquery(self) -> str:
        """A to_tsquery('simple', …) text."""
        parts = [_ts_term(t, "") for t in self.include]
        parts += ["!(" + _ts_term(t, "") + ")" for t in self.exclude]
        return " & ".join(parts)


def _fts_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def _ts_term(term: Term, weight: str) -> str:
    lexemes = []
    for i, word in enumerate(term.words):
        last = i == len(term.words) - 1
        suffix = ":" + ("*" if term.prefix and last else "") + weight
        lexemes.append("'" + word + "'" + (suffix if suffix != ":" else ""))
    return "(" + " <-> ".join(lexemes) + ")"


def parse(text: str) -> Query:
    """The Query of a search box text (see the module's docstring)."""
    text = "".join(
        " " if unicodedata.category(ch)[0] == "C" else ch for ch in nfc(text or "")
    )
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            _("Từ khóa tìm kiếm quá dài (tối đa %(limit)d ký tự).") % {"limit": MAX_QUERY_CHARS},
            code="too_long",
        )
    query = Query()
    count = 0
    for match in _PART.finditer(text):
        minus, phrase, word = match.groups()
        negative = bool(minus) or (word is not None and word.startswith("-") and len(word) > 1)
        words = tokens(phrase if phrase is not None else word.lstrip("-") if negative else word)
        if not words:
            continue
        count += len(words)
        (query.exclude if negative else query.include).append(Term(words, quoted=phrase is not None))
    if count > MAX_TERMS:
        raise QueryError(
            _("Câu tìm kiếm có quá nhiều từ (tối đa %(limit)d từ).") % {"limit": MAX_TERMS},
            code="too_many_words",
        )
    if query.include:
        last = query.include[-1]
        last.prefix = not last.quoted
        query.short = (
            len(query.include) == 1 and len(last.words) == 1 and len(last.words[0]) <= SHORT_QUERY
            and not query.exclude
        )
        query.head = query.short
    return query
