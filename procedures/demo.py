"""The demo procedures, built through the services (a step of seed_demo).

The register of `demo_data/procedures.json`: procedures on the 2008 edition with
their revisions routed to named reviewers and the approver, approved, issued by a
decision of the committee and made effective on their historical dates, and some
open drafts: one waiting for its reviewers, one whose reviewers have signed and
which waits for approval. Idempotent: a procedure whose code exists is left alone.

The routing follows issue 10: the officers of the central quality office review
every department's procedures; a department head (approver role in the
department) reviews those of the department; the committee's leader approves.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from qms import roles
from qms.demo import clock
from qms.models import Edition, Sector

from . import services
from .models import Procedure, ReviewAssignment

DEMO_DATA = Path(__file__).resolve().parent / "demo_data" / "procedures.json"
# username, first name, last name, role, department: a second officer of the central
# quality office (VP), and the head of the land and environment department.
EXTRA_PEOPLE = [
    ("officer2", "Trang", "Võ Thu", roles.QUALITY_OFFICER, "VP"),
    ("head_tnmt", "Sơn", "Phạm Ngọc", roles.APPROVER, "TNMT"),
]
# Open drafts whose reviewers have already signed: they wait for the approver.
REVIEWED_DRAFTS = {"QT-LDTBXH-01"}
# The committee's decisions that issued the demo revisions are numbered from here.
FIRST_DECISION = 101
# A decision issues a revision this long before the day it takes effect.
DECISION_BEFORE = datetime.timedelta(days=5)


def _people(units, users, password):
    User = get_user_model()
    for username, first, last, role, unit in EXTRA_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "department": units[unit],
                      "email": f"{username}@ubnd.example.vn"},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    # People added after the procedures exist (a second run) get their grants too.
    for user in users.values():
        services.user_sync_permissions(user=user)
    return users


def _reviewers(version, users):
    """Central quality officers other than the author, and the department's head."""
    central = [u for u in users.values() if roles.is_central_officer(u) and u.pk != version.author_id]
    heads = [
        u for u in users.values()
        if roles.has_role(u, roles.APPROVER) and u.department_id == version.procedure.department_id
    ]
    return [*central[:1], *heads]


def _sign_reviews(version, password):
    for assignment in version.assignments.filter(
        round=version.submission_round, role=ReviewAssignment.Role.REVIEWER
    ).select_related("person"):
        services.version_review(version=version, actor=assignment.person, password=password)


def seed(*, units: dict, users: dict, password: str) -> str:
    rows = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    users = _people(units, users, password)
    edition = Edition.objects.get(year=2008)
    officer_of = {
        u.department.code.upper(): u
        for u in users.values()
        if roles.has_role(u, roles.QUALITY_OFFICER) and u.username not in {"officer2"}
    }
    approver = users["approver"]
    created = 0
    decision = FIRST_DECISION + Procedure.objects.count() * 3
    for row in rows:
        if Procedure.objects.filter(code=row["code"]).exists():
            continue
        author = officer_of[row["department"]]
        version = None
        for rev in row["revisions"]:
            # Each revision's life on its own dates: drafted a month before it takes
            # effect, reviewed, approved, then issued by a decision before that day.
            effective_from = datetime.date.fromisoformat(rev["effective_from"])
            with clock(effective_from - datetime.timedelta(days=30)):
                version = _revision(
                    row, rev, version, author=author, edition=edition,
                    department=units[row["department"]],
                )
            with clock(effective_from - datetime.timedelta(days=21)):
                version = services.version_submit(
                    version=version, actor=author, reviewers=_reviewers(version, users),
                    approver=approver,
                )
            with clock(effective_from - datetime.timedelta(days=14)):
                _sign_reviews(version, password)
            with clock(effective_from - datetime.timedelta(days=7)):
                services.version_approve(version=version, actor=approver, password=password)
            with clock(effective_from, hour=7):
                services.version_make_effective(
                    version=version,
                    actor=author,
                    effective_from=effective_from,
                    decision_number=f"{decision}/QĐ-UBND",
                    decision_date=effective_from - DECISION_BEFORE,
                )
            decision += 1
        services.procedure_set_sectors(
            procedure=version.procedure,
            actor=author,
            sectors=Sector.objects.filter(code__in=row.get("sectors", [])),
        )
        if row.get("draft"):
            draft = _revision(row, row["draft"], version, author=author, edition=edition, department=None)
            if row["draft"].get("state") == "in_review":
                draft = services.version_submit(
                    version=draft, actor=author, reviewers=_reviewers(draft, users),
                    approver=approver,
                )
                if row["code"] in REVIEWED_DRAFTS:
                    _sign_reviews(draft, password)
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
