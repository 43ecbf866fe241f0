"""Issue 11, point 15 (part): a role × page × object permission matrix generated from
the URLconf.

Every URL name of the site must appear in EXPECTED, so a new page cannot go
unnoticed: a name missing from the table fails. For every URL:
- its view needs a signed-in user unless it is listed in PUBLIC (Django's
  LoginRequiredMiddleware honours `login_not_required`), and an anonymous GET is sent
  to the sign-in page;
- for every role of tests/portal/matrix_world.py, a GET answers as the table says:
  200 for the roles allowed, a refusal (403 or 404) for the others, 405 for everyone on an address that only takes POST; every page delivered
  carries no inline script, style or event handler (the Content-Security-Policy
  forbids them);
- on every address that takes a POST, each role not allowed to act posts a valid
  form (one allowed role's post of the same form changes something: the form is
  valid, so the refusal is the permission's) and nothing changes: the answer is a
  403 or 404, or, where the caller may see the object, the page again or a redirect
  with the refusal's message.

The table is the design's permission model (DESIGN.md "Permissions", the role table,
and the permission modules' docstrings), not a record of what the code answers.
The objects are of department A or of the audit team of `lead`: `officer_b`,
`staff_b` and `auditor_x` are the same roles on objects that are not theirs.
"""

import re
import uuid

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny

from tests.factories import PASSWORD
from tests.portal import matrix_world
from tests.portal.matrix_world import ROLES

API = "api:"
# Its catch-all answers a JSON 404 to anyone, signed in or not: it holds nothing.
API_NOT_FOUND = "api:not_found"
# Names reachable without signing in.
PUBLIC = {
    "login", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "set_language", "favicon",
}

EVERYONE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
# Quality officers of any department (A, B, the central office).
OFFICERS = frozenset({"officer", "officer_b", "central"})
AUDITORS = frozenset({"lead", "team", "auditor_x"})
# Draft readers of QT-M-01 (department A): its officers, the central office (reviewer
# of every department), the approvers above A.
DRAFT_READERS = frozenset({"officer", "central", "approver", "admin"})
# Authors and publishers of QT-M-01: department A's officers.
AUTHORS = frozenset({"officer", "admin"})
# The audit in progress: its lead and team conduct it; department A's officer (auditee)
# and the action's owner (`staff`) see it.
CONDUCT = frozenset({"lead", "team", "admin"})
LEAD = frozenset({"lead", "admin"})
AUDIT_VIEWERS = CONDUCT | {"officer", "staff"}
# The reported audit: the owner of an action of the other audit does not see it.
REPORT_VIEWERS = CONDUCT | {"officer"}
# Service quality: entering figures (each department's officers, the central office).
ENTER = OFFICERS | ADMIN
CENTRAL = frozenset({"central", "admin"})

POST_ONLY = "POST only"


def page(get, post=None, *, payload=None):
    """`get`: the roles whose GET answers 200 (POST_ONLY: 405 for everyone);
    `post`: the roles allowed to post (the others' posts change nothing), None when
    the address takes no POST; `payload(world)`: a valid form for it."""
    return {"get": get, "post": post, "payload": payload}


def _submit(w):
    return {"reviewers": [w.people["officer2"].pk], "approver": w.people["approver"].pk}


def _create(w):
    from qms.models import Edition

    unit = w.objects["org"]["a"].pk
    return {"code": "QT-M-99", "title": "Quy trình mới", "kind": "procedure", "department": unit,
            "edition": Edition.objects.get(year=2015).pk, "owner": w.people["officer"].pk,
            "review_period_months": 12, "distribution": [unit], "change_summary": "Ban hành lần đầu."}


def _issue(w):
    from audits.selectors import report_content_sha256

    # The form carries the hash of the report content the lead auditor was shown.
    return {"password": PASSWORD,
            "content_sha256": report_content_sha256(audit=w.objects["running"])}


def _answer(_w):
    return {"correction": "Đã sửa.", "root_cause": "Chưa hướng dẫn.", "action_plan": "Tập huấn."}


EXPECTED = {
    # Everyone's own pages.
    "home": page(EVERYONE), "inbox": page(EVERYONE),
    "notification_preferences": page(EVERYONE, EVERYONE), "password_change": page(EVERYONE, EVERYONE), "password_change_done": page(EVERYONE),
    # Django's LogoutView signs out on POST only.
    "logout": page(POST_ONLY),
    # Effective procedures are published to the whole committee.
    "procedures:list": page(EVERYONE), "procedures:suggest": page(EVERYONE),
    "procedures:detail": page(EVERYONE), "procedures:pdf": page(EVERYONE),
    # The editor's live preview: for those who write texts (deny by default).
    "procedures:preview": page(POST_ONLY, OFFICERS | ADMIN),
    "procedures:history": page(DRAFT_READERS), "procedures:diff": page(DRAFT_READERS),
    "procedures:access_log": page(AUTHORS), "procedures:access_log_csv": page(AUTHORS),
    "procedures:access_log_xlsx": page(AUTHORS),
    "procedures:register": page(OFFICERS | {"approver", "admin"}),
    "procedures:register_xlsx": page(OFFICERS | {"approver", "admin"}),
    "procedures:create": page(ENTER, ENTER, payload=_create),
    # Revision 2 of QT-M-01 is a draft: it and its attachment are for the draft readers.
    "procedures:version": page(DRAFT_READERS), "procedures:version_pdf": page(DRAFT_READERS),
    "procedures:attachment": page(DRAFT_READERS),
    "procedures:version_edit": page(AUTHORS, AUTHORS),
    "procedures:revision_start": page(POST_ONLY, AUTHORS),
    "procedures:attachment_upload": page(POST_ONLY, AUTHORS),
    "procedures:attachment_remove": page(POST_ONLY, AUTHORS, payload=lambda w: {"reason": "Thừa."}),
    "procedures:attachment_replace": page(POST_ONLY, AUTHORS),
    "procedures:comment_answer": page(POST_ONLY, AUTHORS, payload=lambda w: {"body": "Đã sửa."}),
    "procedures:comment_resolve": page(POST_ONLY, AUTHORS, payload=lambda w: {"resolution": "Xong."}),
    "procedures:version_action": page(POST_ONLY, AUTHORS, payload=_submit),
    # Revision 1 is effective: every reader acknowledges; the list of who did is the
    # procedure's managers'.
    "procedures:acknowledge": page(EVERYONE),
    "procedures:acknowledgement_status": page(AUTHORS),
    "procedures:acknowledgement_status_csv": page(AUTHORS),
    "procedures:acknowledgement_status_xlsx": page(AUTHORS),
    "procedures:acknowledgements": page(EVERYONE),
    "procedures:apply_scheduled_start": page(POST_ONLY, ADMIN),
    # The 2008 → 2015 migration: officers migrate (a department's own procedures, the
    # central office every department's); approvers and auditors read the reports.
    "edition_migration:index": page(EVERYONE - {"staff", "staff_b"}),
    "edition_migration:report": page(EVERYONE - {"staff", "staff_b"}),
    "edition_migration:gap": page(EVERYONE - {"staff", "staff_b"}),
    "edition_migration:import": page(ENTER, ENTER),
    "edition_migration:run": page(POST_ONLY, ENTER),
    "edition_migration:gap_decide": page(POST_ONLY, CENTRAL, payload=lambda w: {
        "number": "4.3", "justification": "Không thiết kế sản phẩm."}),
    "edition_migration:gap_draft": page(POST_ONLY, ENTER),
    "edition_migration:gap_link": page(POST_ONLY, CENTRAL),
    "edition_migration:review": page(CENTRAL | {"officer"}),
    "edition_migration:decide": page(POST_ONLY, CENTRAL | {"officer"}),
    "edition_migration:submit": page(POST_ONLY, CENTRAL | {"officer"}),
    # Audits: auditors plan; an audit's team conducts it, its lead starts, closes and
    # issues its report; the audited department's officer and an action's owner see it.
    "audits:index": page(EVERYONE),
    "audits:programme_create": page(AUDITORS | ADMIN, AUDITORS | ADMIN,
                                    payload=lambda w: {"year": "2027"}),
    "audits:audit_create": page(AUDITORS | ADMIN, AUDITORS | ADMIN),
    "audits:detail": page(AUDIT_VIEWERS), "audits:history": page(AUDIT_VIEWERS),
    "audits:findings_xlsx": page(AUDIT_VIEWERS), "audits:year_findings_xlsx": page(AUDIT_VIEWERS),
    "audits:attachment": page(AUDIT_VIEWERS),
    "audits:start": page(POST_ONLY, LEAD), "audits:close": page(POST_ONLY, LEAD),
    "audits:report_issue": page(POST_ONLY, LEAD, payload=_issue),
    "audits:report": page(REPORT_VIEWERS), "audits:report_revision": page(REPORT_VIEWERS),
    "audits:report_preview": page(CONDUCT),
    "audits:finding_create": page(CONDUCT, CONDUCT),
    "audits:finding_edit": page(CONDUCT, CONDUCT),
    "audits:checklist_answer": page(POST_ONLY, CONDUCT,
                                    payload=lambda w: {"result": "conforming", "notes": "Đạt yêu cầu"}),
    "audits:attachment_add": page(POST_ONLY, CONDUCT),
    # The corrective action of department A: its owner and A's officer answer it.
    "audits:action_answer": page({"staff", "officer", "admin"}, {"staff", "officer", "admin"},
                                 payload=_answer),
    "audits:action_verify": page(CONDUCT, CONDUCT),
    # Service quality: everyone with a role reads the published summary, objectives and
    # satisfaction; a department's figures are entered by its officers and the central
    # office, which alone publishes, sets targets and fields and prepares reviews.
    "service_quality:report": page(EVERYONE), "service_quality:report_pdf": page(EVERYONE),
    "service_quality:figures": page(EVERYONE), "service_quality:figures_xlsx": page(EVERYONE),
    "service_quality:targets": page(EVERYONE, CENTRAL), "service_quality:fields": page(EVERYONE, CENTRAL),
    "service_quality:surveys": page(EVERYONE), "service_quality:objectives": page(EVERYONE),
    "service_quality:reviews": page(EVERYONE),
    # Its readings are recorded by those who may change it; auditors raise a nonconformity.
    "service_quality:objective": page(EVERYONE, CENTRAL | AUDITORS | {"officer"}),
    "service_quality:figure_new": page(ENTER, ENTER), "service_quality:figures_import": page(ENTER, ENTER),
    "service_quality:survey_new": page(ENTER, ENTER), "service_quality:survey_import": page(ENTER, ENTER),
    "service_quality:objective_new": page(ENTER, ENTER),
    # The figure of department A, the objective of A's field owned by `officer`.
    "service_quality:figure_edit": page(CENTRAL | {"officer"}, CENTRAL | {"officer"}),
    "service_quality:objective_edit": page(CENTRAL | {"officer"}, CENTRAL | {"officer"}),
    "service_quality:publish": page(POST_ONLY, CENTRAL, payload=lambda w: {"period": "2026-01"}),
    "service_quality:review_new": page(CENTRAL, CENTRAL),
    # A review: the central office, the leadership, auditors, its participants.
    "service_quality:review": page(CENTRAL | AUDITORS | {"approver", "officer"}, CENTRAL,
                                   payload=lambda w: {"action": "gather"}),
    "service_quality:review_pdf": page(CENTRAL | AUDITORS | {"approver", "officer"}),
    "service_quality:review_edit": page(CENTRAL, CENTRAL),
    "service_quality:output_done": page(POST_ONLY, CENTRAL | {"officer"},
                                        payload=lambda w: {"note": "Đã tập huấn."}),
    # Jobs: each person's own; running a command is for administrators.
    "jobs:list": page(EVERYONE), "jobs:detail": page({"officer", "admin"}),
    "jobs:status": page({"officer", "admin"}),
    "jobs:command_start": page(POST_ONLY, ADMIN),
}

# Addresses of the pages that have no argument; the others are in `world.urls`.
FIXED = {
    "home": "/", "inbox": "/inbox/", "notification_preferences": "/accounts/notifications/",
    "password_change": "/accounts/password_change/",
    "password_change_done": "/accounts/password_change/done/", "logout": "/accounts/logout/",
    "procedures:list": "/procedures/", "procedures:suggest": "/procedures/suggest/?q=QT",
    "procedures:preview": "/procedures/preview/",
    "procedures:register_xlsx": "/register.xlsx", "procedures:acknowledgements": "/acknowledgements/",
    "procedures:register": "/register/", "procedures:create": "/register/new/",
    "procedures:apply_scheduled_start": "/register/apply-scheduled/",
    "edition_migration:index": "/migration/", "edition_migration:run": "/migration/run/",
    "edition_migration:import": "/migration/import/", "edition_migration:report": "/migration/report/",
    "edition_migration:gap": "/migration/gap/", "edition_migration:gap_decide": "/migration/gap/decide/",
    "edition_migration:gap_draft": "/migration/gap/draft/", "edition_migration:gap_link": "/migration/gap/link/",
    "audits:index": "/audits/", "audits:programme_create": "/audits/programmes/new/",
    "service_quality:report": "/quality/", "service_quality:report_pdf": "/quality/report.pdf",
    "service_quality:figures": "/quality/figures/", "service_quality:figures_xlsx": "/quality/figures.xlsx",
    "service_quality:figure_new": "/quality/figures/new/",
    "service_quality:figures_import": "/quality/figures/import/",
    "service_quality:publish": "/quality/figures/publish/", "service_quality:targets": "/quality/targets/",
    "service_quality:fields": "/quality/fields/", "service_quality:surveys": "/quality/satisfaction/",
    "service_quality:survey_new": "/quality/satisfaction/new/",
    "service_quality:survey_import": "/quality/satisfaction/import/",
    "service_quality:objectives": "/quality/objectives/", "service_quality:objective_new": "/quality/objectives/new/",
    "service_quality:reviews": "/quality/reviews/", "service_quality:review_new": "/quality/reviews/new/",
    "jobs:list": "/jobs/", "jobs:command_start": "/jobs/run/send_reminders/",
}


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin checks is_staff itself (tested in tests/qms/test_admin.py)
            yield from _walk(pattern, namespace + (pattern.namespace + ":" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), pattern


def url_patterns():
    return list(_walk(get_resolver()))


def _page_names():
    return sorted({name for name, _p in url_patterns()} - PUBLIC - {""}
                  - {n for n, _p in url_patterns() if n.startswith(API)})


def test_every_url_has_a_name_and_an_entry_in_the_table():
    names = {name for name, _pattern in url_patterns()}
    assert "" not in names, "every page needs a name to be in the permission table"
    missing = sorted(set(_page_names()) - EXPECTED.keys())
    assert not missing, f"pages with no expected permissions: {missing}"
    assert not sorted(EXPECTED.keys() - names), "table lists pages that no longer exist"
    for name, entry in EXPECTED.items():
        assert entry["get"] == POST_ONLY or entry["get"] <= EVERYONE, name
        assert entry["post"] is None or entry["post"] <= EVERYONE, name


def test_only_the_public_pages_skip_the_sign_in():
    open_pages = {
        name for name, pattern in url_patterns()
        if not getattr(pattern.callback, "login_required", True) and not name.startswith(API)
    }
    assert open_pages == PUBLIC


def test_every_api_address_checks_its_caller_itself():
    """DRF's views skip the sign-in middleware and authenticate the caller themselves
    (token or session): none of them may let an anonymous caller through."""
    for name, pattern in url_patterns():
        if name.startswith(API) and name != API_NOT_FOUND:
            checks = pattern.callback.cls.permission_classes
            assert checks and AllowAny not in checks, name


def _fill(route: str) -> str:
    """A URL for a route, every argument filled with a value of its type."""
    def value(match):
        converter = match.group(1) or "str"
        return {"int": "1", "id": "1", "uuid": str(uuid.uuid4()), "slug": "x"}.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


def _all_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _all_routes(
                pattern, prefix + str(pattern.pattern),
                namespace + (pattern.namespace + ":" if pattern.namespace else ""),
            )
        else:
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_everywhere_but_the_public_pages(client):
    for name, route in _all_routes():
        if name in PUBLIC or name == API_NOT_FOUND:
            continue
        url = _fill(route)
        response = client.get(url)
        if name.startswith(API):  # the API answers 401 with a JSON body, never a page
            assert response.status_code == 401, (name, url, response.status_code)
            continue
        assert response.status_code == 302, (name, url, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), (name, url)


# ---------------------------------------------------------------- the world, built once


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects of matrix_world, built once for the module inside a transaction
    rolled back at its end; each test runs in a savepoint of it (the `db` fixture)."""
    media = str(tmp_path_factory.mktemp("matrix-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            built = matrix_world.build()
            built.media = media
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(request, settings):
    """The world's files stay where it stored them (replaces the per-test folder)."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media
    return settings.MEDIA_ROOT


def _url(world, name):
    return FIXED.get(name) or world.urls[name]


@pytest.mark.django_db
def test_every_page_of_the_table_has_an_address(world):
    assert not sorted(EXPECTED.keys() - FIXED.keys() - world.urls.keys()), "pages with no address"
    assert not sorted(k for k in world.urls.keys() - EXPECTED.keys() if not k.startswith("other:"))


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)
GET_CASES = [(name, role) for name in sorted(EXPECTED) for role in ROLES]
POST_CASES = [
    (name, role) for name in sorted(EXPECTED) if EXPECTED[name]["post"] is not None
    for role in ROLES if role not in EXPECTED[name]["post"]
]


def _refused(response) -> bool:
    """403 where the object is known to the caller, 404 where it is not (never a
    redirect: a refused page says so)."""
    return response.status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), GET_CASES, ids=[f"{n}-{r}" for n, r in GET_CASES])
def test_each_role_gets_what_the_table_says(client, world, name, role):
    expected = EXPECTED[name]["get"]
    client.force_login(world.people[role])
    response = client.get(_url(world, name))
    if expected == POST_ONLY:
        assert response.status_code == 405, response.status_code
    elif role in expected:
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert not INLINE.search(html), INLINE.search(html).group(0)
            assert "script-src 'self'" in response["Content-Security-Policy"]
    else:
        assert _refused(response), (response.status_code, response.get("Location"))


def _payload(world, name):
    build = EXPECTED[name]["payload"]
    return build(world) if build else {}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_a_refused_post_changes_nothing(client, world, name, role):
    client.force_login(world.people[role])
    before = matrix_world.fingerprint()
    response = client.post(_url(world, name), _payload(world, name))
    assert response.status_code in (200, 302, 403, 404), response.status_code
    assert response.status_code != 302 or not response["Location"].startswith("/accounts/login/")
    assert matrix_world.fingerprint() == before


# The payloads are valid: the first allowed role's post changes something, so the
# refusals above are the permission's, not a form's.
PROVED = sorted(name for name, entry in EXPECTED.items() if entry["payload"] is not None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PROVED)
def test_the_same_post_by_an_allowed_role_changes_something(client, world, name):
    role = next(r for r in ROLES if r in EXPECTED[name]["post"])
    client.force_login(world.people[role])
    before = matrix_world.fingerprint()
    response = client.post(_url(world, name), _payload(world, name))
    assert response.status_code in (200, 302), response.status_code
    assert matrix_world.fingerprint() != before, "the payload changes nothing: the refusals prove nothing"



# The same pages about an object of department B: its officer acts, A's officer (who
# acts on A's objects above) is refused.
OTHERS = [("version", "officer_b", "officer"), ("version_edit", "officer_b", "officer"),
          ("figure_edit", "officer_b", "officer")]


@pytest.mark.django_db
@pytest.mark.parametrize(("page_", "owner", "stranger"), OTHERS, ids=[o[0] for o in OTHERS])
def test_a_role_allowed_on_its_own_object_is_refused_on_another_departments(
        client, world, page_, owner, stranger):
    url = world.urls[f"other:{page_}"]
    client.force_login(world.people[owner])
    assert client.get(url).status_code == 200
    client.force_login(world.people[stranger])
    assert _refused(client.get(url))
