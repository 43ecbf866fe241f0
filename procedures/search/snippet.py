"""Highlighting: the words of the query marked in the user's folding ("dat dai"
marks "đất đai"), and a short passage of the body around them."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qms.text import fold

from .query import Query

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"[\s#*|>`_~\[\]]+")
WINDOW = 28  # words in a snippet
MAX_HITS = 200


def _table() -> dict[int, str]:
    """Latin letters with marks, đ included, to their folded letter: str.translate
    folds an NFC text in C, character for character (lengths kept)."""
    table = {}
    for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            folded = fold(chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


_FOLD = _table()


def _words(text: str):
    spans = [m.span() for m in _WORD.finditer(text)]
    quick = text.translate(_FOLD).lower()
    if len(quick) == len(text):
        folded = [quick[a:b] for a, b in spans]
        if all(word.isascii() for word in folded):
            return spans, folded
    return spans, [fold(text[a:b]) for a, b in spans]  # NFD or other scripts: the slow way


def _matcher(query: Query):
    exact, prefixes = set(), []
    for term in query.include:
        for i, word in enumerate(term.words):
            if term.prefix and i == len(term.words) - 1:
                prefixes.append(word)
            else:
                exact.add(word)
    prefixes = tuple(prefixes)
    return lambda word: word in exact or (prefixes and word.startswith(prefixes))


def _render(text: str, spans, hits: set[int], first: int, last: int) -> str:
    out, position = [], spans[first][0]
    for i in range(first, last):
        a, b = spans[i]
        out.append(escape(_SPACE.sub(" ", text[position:a])))
        word = escape(text[a:b])
        out.append(f"<mark>{word}</mark>" if i in hits else word)
        position = b
    return "".join(out)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text (a title), matched words in <mark>."""
    spans, folded = _words(text)
    if not spans or not query:
        return escape(text)
    matches = _matcher(query)
    hits = {i for i, word in enumerate(folded) if matches(word)}
    html = escape(text[: spans[0][0]]) + _render(text, spans, hits, 0, len(spans))
    return mark_safe(html + escape(text[spans[-1][1]:]))


def snippet(body: str, query: Query, *, window: int = WINDOW) -> SafeString:
    """About `window` words of the body around the most distinct matched words."""
    spans, folded = _words(body)
    if not spans:
        return mark_safe("")
    hits: list[int] = []
    if query:
        matches = _matcher(query)
        hits = [i for i, word in enumerate(folded) if matches(word)][:MAX_HITS]
    start, best = 0, 0
    for hit in hits:
        begin = max(0, hit - 4)
        distinct = len({folded[i] for i in hits if begin <= i < begin + window})
        if distinct > best:
            start, best = begin, distinct
    end = min(len(spans), start + window)
    html = _render(body, spans, set(hits), start, end)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(spans) else ""))
