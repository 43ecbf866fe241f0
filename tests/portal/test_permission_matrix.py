"""Issue 11, point 15 (part): a permission matrix generated from the URLconf.

Every URL name of the site must appear in EXPECTED, so a new page cannot go
unnoticed: a name missing from the table fails. For every URL:
- its view needs a signed-in user unless it is listed in PUBLIC (Django's
  LoginRequiredMiddleware honours `login_not_required`), and an anonymous GET is sent
  to the sign-in page;
- for the pages whose objects the fixture builds (the pages without arguments and the
  pages of a procedure and its versions), each role's GET answers as the table says:
  allowed (200) for the roles listed, refused (403 or 404) or sent elsewhere for the
  others; every page delivered carries no inline script, style or event handler
  (the Content-Security-Policy forbids them).

Pages whose objects the fixture does not build yet (audits, findings, figures,
objectives, reviews, jobs, migration reviews) are checked for login only (None).
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny

from qms import roles
from tests.factories import UserFactory, effective

ROLES = ("anonymous", "staff_b", "staff", "officer", "auditor", "approver", "admin")
ALL = frozenset(ROLES) - {"anonymous"}
OFFICERS = frozenset({"officer", "admin"})

# Names reachable without signing in.
# The REST API (portal/api_urls.py): its permission matrix is held through the API in
# tests/*/test_api.py; here, only that no address lets an anonymous caller through.
API = "api:"
# Its catch-all answers a JSON 404 to anyone, signed in or not: it holds nothing.
API_NOT_FOUND = "api:not_found"
PUBLIC = {
    "login", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "set_language", "favicon",
}

CODE = "QT-M-01"
# For each URL name, the roles whose GET is allowed (200), given the fixture's objects
# (CHECKED); None: not built by the fixture yet, checked for sign-in only.
EVERYONE = ALL
EXPECTED = {
    "home": EVERYONE, "inbox": EVERYONE, "notification_preferences": EVERYONE,
    "logout": None, "password_change": EVERYONE, "password_change_done": None,
    "procedures:list": EVERYONE, "procedures:preview": None, "procedures:suggest": None,
    # Effective procedures are published to the whole committee.
    "procedures:detail": EVERYONE, "procedures:pdf": EVERYONE,
    "procedures:history": OFFICERS | {"approver"},
    "procedures:diff": None,
    "procedures:access_log": OFFICERS, "procedures:access_log_csv": OFFICERS,
    "procedures:access_log_xlsx": OFFICERS, "procedures:register_xlsx": OFFICERS | {"approver"},
    "audits:findings_xlsx": None, "audits:year_findings_xlsx": None,
    "service_quality:figures_xlsx": None, "jobs:command_start": None,
    "procedures:revision_start": None,
    # Staff and auditors are sent from a version's workflow page to the procedure page.
    "procedures:version": OFFICERS | {"approver"},
    "procedures:version_edit": None, "procedures:version_pdf": EVERYONE,
    "procedures:attachment_upload": None, "procedures:attachment": None,
    "procedures:attachment_remove": None, "procedures:attachment_replace": None,
    "procedures:comment_answer": None, "procedures:comment_resolve": None,
    "procedures:acknowledge": None,
    "procedures:acknowledgement_status": OFFICERS, "procedures:acknowledgement_status_csv": OFFICERS,
    "procedures:acknowledgement_status_xlsx": None,
    "procedures:version_action": None,
    "procedures:acknowledgements": EVERYONE,
    "procedures:register": OFFICERS | {"approver"},
    "procedures:create": OFFICERS, "procedures:apply_scheduled_start": None,
    "edition_migration:index": ALL - {"staff", "staff_b"},
    "edition_migration:run": None, "edition_migration:import": None, "edition_migration:report": None,
    "edition_migration:gap": ALL - {"staff", "staff_b"},
    "edition_migration:gap_decide": None, "edition_migration:gap_draft": None,
    "edition_migration:gap_link": None, "edition_migration:review": None,
    "edition_migration:decide": None, "edition_migration:submit": None,
    "audits:index": EVERYONE, "audits:programme_create": {"auditor", "admin"},
    "audits:audit_create": None, "audits:detail": None, "audits:start": None, "audits:close": None,
    "audits:history": None, "audits:finding_create": None, "audits:report_issue": None,
    "audits:report": None, "audits:report_revision": None, "audits:report_preview": None,
    "audits:checklist_answer": None, "audits:finding_edit": None, "audits:attachment_add": None,
    "audits:attachment": None, "audits:action_answer": None, "audits:action_verify": None,
    # Each person's own department's figures (service_quality.selectors).
    "service_quality:report": EVERYONE, "service_quality:report_pdf": None,
    "service_quality:figures": EVERYONE, "service_quality:figure_new": None,
    "service_quality:figure_edit": None, "service_quality:figures_import": None,
    "service_quality:publish": None, "service_quality:targets": EVERYONE,
    "service_quality:fields": None, "service_quality:surveys": None,
    "service_quality:survey_new": None, "service_quality:survey_import": None,
    "service_quality:objectives": EVERYONE, "service_quality:objective_new": None,
    "service_quality:objective": None, "service_quality:objective_edit": None,
    "service_quality:reviews": EVERYONE, "service_quality:review_new": None,
    "service_quality:review": None, "service_quality:review_edit": None,
    "service_quality:review_pdf": None, "service_quality:output_done": None,
    # Each person's own jobs (portal.job_views).
    "jobs:list": EVERYONE, "jobs:detail": None, "jobs:status": None,
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


def test_every_url_has_a_name_and_an_entry_in_the_table():
    names = {name for name, _pattern in url_patterns()}
    assert "" not in names, "every page needs a name to be in the permission table"
    missing = sorted(n for n in names - EXPECTED.keys() - PUBLIC if not n.startswith(API))
    # A checked page must have its expected roles, and the other way round.
    assert {n for n, roles_ in EXPECTED.items() if roles_ is not None} == CHECKED.keys()
    assert not missing, f"pages with no expected permissions: {missing}"
    assert not sorted(EXPECTED.keys() - names), "table lists pages that no longer exist"


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


def _route(pattern, prefix=""):
    return prefix + str(pattern.pattern)


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


@pytest.fixture
def users(people, org):
    return {
        "staff_b": UserFactory(username="staff_b", role=roles.STAFF, department=org["b"]),
        **{key: people[key] for key in ("staff", "officer", "auditor", "approver", "admin")},
    }


@pytest.fixture
def procedure(people):
    return effective(author=people["officer"], approver=people["approver"], code=CODE)


CHECKED = {
    "home": "/", "inbox": "/inbox/", "notification_preferences": "/accounts/notifications/",
    "password_change": "/accounts/password_change/",
    "procedures:list": "/procedures/", "procedures:detail": f"/procedures/{CODE}/",
    "procedures:pdf": f"/procedures/{CODE}/pdf/", "procedures:history": f"/procedures/{CODE}/history/",
    "procedures:access_log": f"/procedures/{CODE}/access-log/",
    "procedures:access_log_csv": f"/procedures/{CODE}/access-log.csv",
    "procedures:access_log_xlsx": f"/procedures/{CODE}/access-log.xlsx",
    "procedures:register_xlsx": "/register.xlsx",
    "procedures:version": f"/procedures/{CODE}/versions/1/",
    "procedures:version_pdf": f"/procedures/{CODE}/versions/1/pdf/",
    "procedures:acknowledgement_status": f"/procedures/{CODE}/versions/1/acknowledgements/",
    "procedures:acknowledgement_status_csv": f"/procedures/{CODE}/versions/1/acknowledgements.csv",
    "procedures:acknowledgements": "/acknowledgements/", "procedures:register": "/register/",
    "procedures:create": "/register/new/",
    "edition_migration:index": "/migration/", "edition_migration:gap": "/migration/gap/",
    "audits:index": "/audits/", "audits:programme_create": "/audits/programmes/new/",
    "service_quality:report": "/quality/", "service_quality:figures": "/quality/figures/",
    "service_quality:targets": "/quality/targets/", "service_quality:objectives": "/quality/objectives/",
    "service_quality:reviews": "/quality/reviews/", "jobs:list": "/jobs/",
}


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)


@pytest.mark.django_db
def test_each_role_gets_what_the_table_says_and_no_inline_script(client, users, procedure):
    for name, url in CHECKED.items():
        allowed = EXPECTED[name]
        for role in ROLES[1:]:
            client.force_login(users[role])
            response = client.get(url)
            if role in allowed:
                assert response.status_code == 200, (name, role, response.status_code)
                if response["Content-Type"].startswith("text/html"):
                    html = response.content.decode()
                    assert not INLINE.search(html), (name, INLINE.search(html).group(0))
                    assert "script-src 'self'" in response["Content-Security-Policy"]
            else:
                assert response.status_code in (302, 403, 404), (name, role, response.status_code)
