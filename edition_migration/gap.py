"""The gap report: where each 2015 requirement stands, told truthfully.

Each requirement is in exactly one of four places:

- covered: an effective procedure on 2015 addresses it, by an equivalent
  correspondence (the migration's rewrite) or by the officer's confirmation (a
  clause accepted on a migration draft, or cited by a procedure written on 2015);
- partial: reached only through a partial correspondence, or only by a draft;
- uncovered;
- not applicable: with the justification the officer wrote, as 4.3 requires.

Requirements that the correlation matrix lists as substantially new
(qms/data/new_requirements_2015.json) are never reached through a 2008
correspondence: only a 2015 document that cites them counts.

Documented information is present only where the officer confirmed the link to a
procedure; the tool's proposals (procedures citing the clause, or whose title
names it) are shown for confirmation, never counted.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from procedures.models import ProcedureVersion, State
from qms.text import fold

from . import permissions
from .catalogue import Catalogue, sort_numbers, substantially_new
from .models import DocumentedInformationLink, EditionMigration, RequirementDecision, TermFlag

OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED)
COVERED, PARTIAL, UNCOVERED, NOT_APPLICABLE = "covered", "partial", "uncovered", "not_applicable"


@dataclass
class GapReport:
    edition: int
    clauses: list[dict] = field(default_factory=list)
    covered: dict[str, list[str]] = field(default_factory=dict)
    partial: dict[str, list[str]] = field(default_factory=dict)
    uncovered: list[str] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)
    documented: list[dict] = field(default_factory=list)
    procedures: int = 0
    new_source: str = ""

    def as_json(self) -> dict:
        return {
            "edition": self.edition,
            "covered": self.covered,
            "partial": self.partial,
            "uncovered": self.uncovered,
            "not_applicable": self.not_applicable,
            "substantially_new": {"numbers": [c["number"] for c in self.clauses if c["new"]],
                                  "source": self.new_source},
            "documented_information": [
                {"key": d["key"], "clause": d["clause"], "kind": d["kind"],
                 "title_vi": d["title_vi"], "title_en": d["title_en"],
                 "present": d["present"], "codes": d["codes"], "proposed": d["proposed"]}
                for d in self.documented
            ],
        }


def documented_information() -> list[dict]:
    path = settings.BASE_DIR / "qms" / "data" / "documented_information_2015.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _parent(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def _direct(edition: int, catalogue: Catalogue, new: set[str]):
    """{number: {code}} for the effective versions (covered) and the open drafts or
    partial correspondences (partial), before sub-clauses and parents are settled."""
    versions = list(
        ProcedureVersion.objects.filter(edition__year=edition, state__in=[State.EFFECTIVE, *OPEN_STATES])
        .select_related("procedure")
        .prefetch_related("clauses")
        .order_by("procedure__code", "-revision")
    )
    migrations = {
        m.draft_id: m for m in EditionMigration.objects.filter(draft__in=[v.pk for v in versions])
        .prefetch_related("terms")
    } if edition == 2015 else {}
    covered: dict[str, set[str]] = {}
    partial: dict[str, set[str]] = {}
    cited_any: dict[str, set[str]] = {}
    codes = set()
    for version in versions:
        code = version.procedure.code
        codes.add(code)
        cited = {c.number for c in version.clauses.all()}
        for number in cited:
            cited_any.setdefault(number, set()).add(code)
        target = covered if version.state == State.EFFECTIVE else partial
        migration = migrations.get(version.pk)
        confirmed = set()
        if migration is not None:
            confirmed = {n for f in migration.terms.all()
                         if f.decision == TermFlag.Decision.ACCEPTED for n in f.clauses}
            for numbers in migration.partial_clauses.values():
                for number in numbers:
                    if number not in cited and number not in new:
                        partial.setdefault(number, set()).add(code)
        for number in cited:
            if number in new and migration is not None and number not in confirmed:
                # Reached only through a 2008 correspondence: never enough for a new requirement.
                partial.setdefault(number, set()).add(code)
                continue
            target.setdefault(number, set()).add(code)
    return covered, partial, cited_any, len(codes)


def gap_report(*, user=None, edition: int = 2015) -> GapReport:
    """Each clause of the edition in exactly one of covered / partial / uncovered /
    not applicable, with the codes; the documented information the edition requires,
    present where the officer confirmed a link. `user=None` is for commands run at
    the shell; a person needs report access."""
    if user is not None and not permissions.can_view_reports(user):
        raise Http404("gap")
    catalogue = Catalogue.load()
    listed = substantially_new() if edition == 2015 else {"numbers": [], "source": ""}
    new = set(listed["numbers"])
    direct_covered, direct_partial, cited, count = _direct(edition, catalogue, new)
    decisions = {
        d.number: d for d in RequirementDecision.objects.filter(withdrawn_at__isnull=True)
        .select_related("decided_by")
    } if edition == 2015 else {}
    not_applicable = {number: d.justification for number, d in decisions.items()}
    numbers = sort_numbers(catalogue.numbers.get(edition, set()))
    children: dict[str, list[str]] = {}
    for number in numbers:
        parent = _parent(number)
        if parent is not None:
            children.setdefault(parent, []).append(number)
    status: dict[str, tuple[str, set[str]]] = {}

    def inherited(number, table):
        # A clause cited covers its sub-clauses ("7.5.3" covers "7.5.3.1"), but a
        # whole top-level clause ("8") addresses nothing in particular.
        found = set(table.get(number, ()))
        ancestor = _parent(number)
        while ancestor is not None and "." in ancestor:
            found |= table.get(ancestor, set())
            ancestor = _parent(ancestor)
        return found

    # Deepest first, so that a parent can be settled from its children.
    for number in sorted(numbers, key=lambda n: -n.count(".")):
        if number in not_applicable:
            status[number] = (NOT_APPLICABLE, set())
            continue
        own_covered, own_partial = inherited(number, direct_covered), inherited(number, direct_partial)
        kids = [status[k] for k in children.get(number, ())]
        if own_covered:
            status[number] = (COVERED, own_covered)
        elif kids and all(s in (COVERED, NOT_APPLICABLE) for s, _ in kids) and any(
            s == COVERED for s, _ in kids
        ):
            status[number] = (COVERED, set().union(*(c for s, c in kids if s == COVERED)))
        elif own_partial or any(s in (COVERED, PARTIAL) for s, _ in kids):
            status[number] = (PARTIAL, own_partial.union(*(c for _, c in kids)))
        else:
            status[number] = (UNCOVERED, set())
    report = GapReport(edition=edition, procedures=count, new_source=listed["source"])
    for number in numbers:
        state, codes = status[number]
        codes = sorted(codes)
        title_vi, title_en = catalogue.titles[(edition, number)]
        report.clauses.append({
            "number": number, "title_vi": title_vi, "title_en": title_en, "status": state,
            "codes": codes, "new": number in new, "justification": not_applicable.get(number, ""),
            "template": TEMPLATE_FOR.get(number) if state == UNCOVERED else None,
            "decision": decisions.get(number) if state == NOT_APPLICABLE else None,
        })
        if state == COVERED:
            report.covered[number] = codes
        elif state == PARTIAL:
            report.partial[number] = codes
        elif state == NOT_APPLICABLE:
            report.not_applicable[number] = not_applicable[number]
        else:
            report.uncovered.append(number)
    if edition == 2015:
        report.documented = _documented(cited)
    return report


# Which template of a new draft answers an uncovered requirement (see services.gap).
TEMPLATE_FOR = {"4.1": "context", "4.2": "context", "6.1": "risks", "6.1.1": "risks",
                "6.1.2": "risks", "6.2": "objectives", "6.2.1": "objectives",
                "6.2.2": "objectives", "7.1.6": "knowledge", "6.3": "changes"}


def _documented(cited) -> list[dict]:
    """Each piece of documented information with the procedures confirmed for it and
    those the tool proposes (citing its clause in their clause list, or naming it in
    their title); a partial correspondence proposes nothing."""
    links = list(DocumentedInformationLink.objects.select_related("procedure"))
    confirmed, refused = {}, set()
    for link in links:
        if link.status == DocumentedInformationLink.Status.CONFIRMED:
            confirmed.setdefault(link.key, []).append(link.procedure.code)
        elif link.status == DocumentedInformationLink.Status.REFUSED:
            refused.add((link.key, link.procedure.code))
    titles = dict(
        ProcedureVersion.objects.filter(state__in=[State.EFFECTIVE, *OPEN_STATES])
        .values_list("procedure__code", "procedure__title")
    )
    folded = {code: fold(title) for code, title in titles.items()}
    result = []
    for item in documented_information():
        clause = item["clause"]
        cite = set()
        for number, codes in cited.items():
            if number == clause or clause.startswith(number + ".") and "." in number:
                cite |= codes
        # Only specific names ("sổ tay chất lượng", "đánh giá nội bộ"): "phạm vi" or
        # "hồ sơ" in a title says nothing about the QMS scope or its records.
        words = [fold(w) for w in item["keywords_vi"] + item["keywords_en"] if len(w.split()) >= 3]
        named = {code for code, title in folded.items() if any(w in title for w in words)}
        codes = sorted(confirmed.get(item["key"], []))
        proposed = sorted(c for c in (cite | named)
                          if c not in codes and (item["key"], c) not in refused)
        result.append({**item, "present": bool(codes), "codes": codes, "proposed": proposed})
    return result
