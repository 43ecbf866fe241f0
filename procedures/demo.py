"""The demo procedures, built through the services (a step of seed_demo).

The register of `demo_data/procedures.json`: procedures on the 2008 edition with
their revisions approved and made effective on their historical dates, and some
open drafts. Idempotent: a procedure whose code exists is left alone.
"""

import datetime
import json
from pathlib import Path

from qms import roles
from qms.models import Edition, Sector

from . import services
from .models import Procedure

DEMO_DATA = Path(__file__).resolve().parent / "demo_data" / "procedures.json"


def seed(*, units: dict, users: dict, password: str) -> str:
    rows = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    edition = Edition.objects.get(year=2008)
    officer_of = {
        u.department.code.upper(): u
        for u in users.values()
        if roles.has_role(u, roles.QUALITY_OFFICER)
    }
    approver = users["approver"]
    created = 0
    for row in rows:
        if Procedure.objects.filter(code=row["code"]).exists():
            continue
        author = officer_of[row["department"]]
        version = None
        for rev in row["revisions"]:
            version = _revision(
                row, rev, version, author=author, edition=edition, department=units[row["department"]]
            )
            services.version_submit(version=version, actor=author)
            services.version_approve(version=version, actor=approver, password=password)
            services.version_make_effective(
                version=version,
                actor=author,
                effective_from=datetime.date.fromisoformat(rev["effective_from"]),
                backdate=True,
            )
        services.procedure_set_sectors(
            procedure=version.procedure,
            actor=author,
            sectors=Sector.objects.filter(code__in=row.get("sectors", [])),
        )
        if row.get("draft"):
            draft = _revision(row, row["draft"], version, author=author, edition=edition, department=None)
            if row["draft"].get("state") == "in_review":
                services.version_submit(version=draft, actor=author)
        created += 1
    return f"{created} new procedure(s); {Procedure.objects.count()} procedures in all."


def _revision(row, rev, previous, *, author, edition, department):
    if previous is None:
        return services.procedure_create(
            actor=author,
            code=row["code"],
            title=row["title"],
            kind=row.get("kind", Procedure.Kind.PROCEDURE),
            department=department,
            edition=edition,
            body=rev["body"],
            clause_numbers=rev["clauses"],
            change_summary=rev.get("change_summary", ""),
        )
    draft = services.version_start_revision(procedure=previous.procedure, actor=author)
    return services.version_update(
        version=draft,
        actor=author,
        body=rev["body"],
        clause_numbers=rev["clauses"],
        change_summary=rev.get("change_summary", ""),
    )
