"""Highlighting: the words of the query marked in the user's folding ("dat dai"
marks "đất đai"), and a short passage of the body around them."""

import bisect
import functools
import html
import itertools
import re

from django.utils.safestring import SafeString, mark_safe

from qms.text import fold

from .query import Query

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"[\s#*|>`_~\[\]]+")
MAX_HITS = 60  # enough to choose the passage; a common word may occur thousands of times


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


def _render(text: str, spans, hits: set[int]) -> str:
    """`text` from its first word to its last, escaped, the hits (word indexes) in
    <mark>, runs of spaces and Markdown marks between words as one space. Only the hits
    are cut out: the text between them is escaped whole (the gaps hold no word letter)."""
    out, position = [], spans[0][0]
    for i in sorted(hits):
        a, b = spans[i]
        out.append(_plain(text[position:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        position = b
    out.append(_plain(text[position:spans[-1][1]]))
    return "".join(out)


def _plain(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text))


def highlight(text: str, query: Query) -> SafeString:
    """The whole text (a title), matched words in <mark>."""
    spans, folded = _words(text)
    if not spans or not query:
        return mark_safe(html.escape(text))
    matches = _matcher(query)
    hits = {i for i, word in enumerate(folded) if matches(word)}
    out = html.escape(text[: spans[0][0]]) + _render(text, spans, hits)
    return mark_safe(out + html.escape(text[spans[-1][1]:]))


def _variants() -> dict[str, str]:
    """Each folded letter and every letter that folds to it, either case ("d" -> "dDđĐ")."""
    out: dict[str, set[str]] = {}
    for code, folded in _FOLD.items():
        out.setdefault(folded, {folded, folded.upper()}).add(chr(code))
    return {letter: "".join(sorted(chars)) for letter, chars in out.items()}


_VARIANTS = _variants()


def _letters(word: str) -> str:
    return "".join(
        f"[{re.escape(_VARIANTS[ch])}]" if ch in _VARIANTS
        else f"[{re.escape(ch + ch.upper())}]" if ch != ch.upper() else re.escape(ch)
        for ch in word
    )


def _pattern(query: Query) -> re.Pattern:
    """The query's folded words as one regex over the text as written, a group each:
    each letter stands for its accented and capital forms, so the body is searched
    in C without being folded first (whole words; the prefix open)."""
    words = tuple(
        (word, term.prefix and i == len(term.words) - 1)
        for term in query.include for i, word in enumerate(term.words)
    )
    return _compiled(words)


@functools.lru_cache(maxsize=256)
def _compiled(words: tuple[tuple[str, bool], ...]) -> re.Pattern:
    parts = sorted(((_letters(w) + (r"[^\W_]*" if open_end else "")) for w, open_end in words),
                   key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(f"({p})" for p in parts) + r")(?![^\W_])")


def snippet(body: str, query: Query, *, chars: int = 220) -> SafeString:
    """About `chars` characters of the body around the most distinct matched words,
    matched words in <mark>. The search runs in C over the body (a regex, a group per
    word of the query); only the passage shown is cut into words."""
    hits = []
    if query:
        found = itertools.islice(_pattern(query).finditer(body), MAX_HITS)
        hits = [(m.start(), m.lastindex) for m in found]
    start, best = 0, 0
    positions = [p for p, _w in hits]
    for position in positions[:50]:
        begin = max(0, position - 40)
        window = hits[bisect.bisect_left(positions, begin):bisect.bisect_left(positions, begin + chars)]
        distinct = len({w for _p, w in window})
        if distinct > best:
            start, best = begin, distinct
    if start:  # begin at a word
        match = _WORD.search(body, start)
        start = match.start() if match else start
    end = min(len(body), start + chars)
    if end < len(body):  # end at a word
        cut = body.rfind(" ", start, end)
        end = cut if cut > start else end
    segment = body[start:end]
    spans, words = _words(segment)
    if not spans:
        return mark_safe("")
    matches = _matcher(query) if query else (lambda word: False)
    marked = {i for i, word in enumerate(words) if matches(word)}
    passage = _render(segment, spans, marked)
    return mark_safe(("… " if start else "") + passage + (" …" if end < len(body) else ""))
