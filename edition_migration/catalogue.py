"""The two clause catalogues and their correspondence, read once per run.

Plain data (sets and dicts of clause numbers) so that a run over a thousand
procedures maps clauses without a query per procedure.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings

from qms.models import Clause, ClauseCorrespondence, Edition, clause_sort_key


def sort_numbers(numbers) -> list[str]:
    return sorted(set(numbers), key=clause_sort_key)


def _parent(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def collapse(numbers) -> list[str]:
    """Drop a number whose ancestor is in the same set: "7.5.3" covers "7.5.3.1"."""
    wanted = set(numbers)
    kept = []
    for number in wanted:
        parent = _parent(number)
        while parent is not None and parent not in wanted:
            parent = _parent(parent)
        if parent is None:
            kept.append(number)
    return sort_numbers(kept)


@dataclass
class Catalogue:
    """Clause numbers per edition year, and the correspondence in both directions."""

    numbers: dict[int, set[str]] = field(default_factory=dict)
    titles: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    forward: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    backward: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    editions: dict[int, Edition] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Catalogue":
        result = cls()
        result.editions = {e.year: e for e in Edition.objects.all()}
        for year, number, title_vi, title_en in Clause.objects.values_list(
            "edition__year", "number", "title_vi", "title_en"
        ):
            result.numbers.setdefault(year, set()).add(number)
            result.titles[(year, number)] = (title_vi, title_en)
        rows = ClauseCorrespondence.objects.values_list(
            "source__number", "target__number", "kind", "note_vi", "note_en"
        )
        for source, target, kind, note_vi, note_en in rows:
            result.forward.setdefault(source, []).append((target, kind, note_vi, note_en))
            result.backward.setdefault(target, []).append((source, kind, note_vi, note_en))
        return result

    def edition(self, year: int) -> Edition:
        return self.editions[year]

    def title(self, year: int, number: str, language: str = "vi") -> str:
        vi, en = self.titles.get((year, number), ("", ""))
        return en if language.startswith("en") else vi

    def targets(self, number: str) -> list[str]:
        """The 2015 clauses a 2008 clause's requirement went to, top-most only."""
        return collapse(t for t, *_ in self.forward.get(number, ()))

    def sources(self, number: str) -> list[str]:
        """The 2008 clauses a 2015 clause takes its requirement from, top-most only."""
        return collapse(s for s, *_ in self.backward.get(number, ()))

    def rows(self, number: str, *, reverse: bool = False) -> list[tuple[str, str, str, str]]:
        """(other number, kind, note_vi, note_en) for the kept (top-most) pairs."""
        kept = set(self.sources(number) if reverse else self.targets(number))
        table = self.backward if reverse else self.forward
        rows = [row for row in table.get(number, ()) if row[0] in kept]
        return sorted(rows, key=lambda row: clause_sort_key(row[0]))

    def map(self, numbers, *, reverse: bool = False) -> dict[str, list[str]]:
        return {n: (self.sources(n) if reverse else self.targets(n)) for n in numbers}

    def equivalents(self, number: str) -> list[str]:
        """The 2015 clauses that carry a 2008 clause's requirement whole, top-most only:
        what a reference to the 2008 clause is rewritten to."""
        key = ("eq", number)
        if key not in self._memo:
            self._memo[key] = collapse(
                t for t, kind, *_ in self.forward.get(number, ()) if kind == EQUIVALENT)
        return self._memo[key]

    def partials(self, number: str) -> list[str]:
        """The 2015 clauses that a 2008 clause reaches only in part, top-most only, less
        those under or above an equivalent one: proposed beside a reference, for a person
        to decide."""
        equivalent = self.equivalents(number)
        found = [t for t, kind, *_ in self.forward.get(number, ()) if kind != EQUIVALENT]
        return [t for t in collapse(found)
                if not any(_under(t, e) or _under(e, t) for e in equivalent)]

    def note(self, source: str, target: str, language: str = "vi") -> str:
        for other, _kind, note_vi, note_en in self.forward.get(source, ()):
            if other == target:
                return note_en if language.startswith("en") else note_vi
        return ""

    def new_requirements(self) -> list[str]:
        """2015 clauses that no 2008 clause leads to."""
        return sort_numbers(self.numbers.get(2015, set()) - set(self.backward))


EQUIVALENT = "equivalent"


def _under(number: str, ancestor: str) -> bool:
    return number == ancestor or number.startswith(ancestor + ".")


@cache
def substantially_new() -> dict:
    """The 2015 requirements that the correlation matrix lists as substantially new,
    with the source of the list (qms/data/new_requirements_2015.json)."""
    path = settings.BASE_DIR / "qms" / "data" / "new_requirements_2015.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"source": data["source"], "numbers": [r["number"] for r in data["requirements"]],
            "requirements": data["requirements"], "note_vi": data["note_vi"],
            "note_en": data["note_en"]}
