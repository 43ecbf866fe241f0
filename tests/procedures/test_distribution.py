"""The distribution a draft proposes (issue 10, point 4): shown on the version page,
changed by a draft, reviewed and signed with it, applied when it takes effect."""

import hashlib
import json

import pytest
from django.db import transaction

from procedures import selectors, services
from procedures.exceptions import ControlledRecordError, ProcedureError
from procedures.models import Procedure
from tests.factories import PASSWORD, approve, draft, effective, make_effective, submit

pytestmark = pytest.mark.django_db


def units(queryset):
    return sorted(u.code for u in queryset)


@pytest.fixture
def revision(people):
    first = effective(author=people["officer"], approver=people["approver"], code="QT-P-01")
    return services.version_start_revision(procedure=first.procedure, actor=people["officer"])


def test_a_new_revision_proposes_the_current_distribution(people, revision):
    assert units(revision.distribution.all()) == ["tnmt"]
    assert units(selectors.version_distribution(version=revision)) == ["tnmt"]


def test_a_draft_changes_its_distribution_and_the_procedure_follows_on_issue(people, org, revision):
    before = revision.content_sha256
    services.version_update(version=revision, actor=people["officer"],
                            distribution=[org["a"], org["b"]])
    revision.refresh_from_db()
    assert units(revision.distribution.all()) == ["qldt", "tnmt"]
    assert revision.content_sha256 != before  # reviewed and signed with the text
    procedure = Procedure.objects.get(pk=revision.procedure_id)
    assert units(procedure.distribution.all()) == ["tnmt"]  # not before it takes effect
    make_effective(approve(revision, approver=people["approver"]), actor=people["officer"])
    assert units(procedure.distribution.all()) == ["qldt", "tnmt"]
    row = procedure.history.order_by("-history_date", "-history_id").first()
    assert (row.history_user, row.history_change_reason) == (
        people["officer"], "Phân phối theo lần ban hành 2")


def test_a_draft_is_distributed_to_at_least_one_department(people, revision):
    with pytest.raises(ProcedureError) as excinfo:
        services.version_update(version=revision, actor=people["officer"], distribution=[])
    assert excinfo.value.messages == ["Hãy chọn ít nhất một đơn vị được phân phối."]


def test_a_signature_no_longer_matches_once_the_distribution_changes(people, org, revision):
    submit(revision, reviewers=[people["officer2"]], approver=people["approver"])
    signature = services.version_review(version=revision, actor=people["officer2"], password=PASSWORD)
    assert selectors.signature_is_valid(signature)
    services.version_return(version=revision, actor=people["approver"], password=PASSWORD,
                            reason="Phân phối thêm QLĐT")
    services.version_update(version=revision, actor=people["officer"],
                            distribution=[org["a"], org["b"]])
    signature.refresh_from_db()
    assert not selectors.signature_is_valid(signature)


def test_the_distribution_of_an_approved_version_is_frozen(people, org, revision):
    approved = approve(revision, approver=people["approver"])
    with pytest.raises(ControlledRecordError), transaction.atomic():
        approved.distribution.add(org["b"])
    assert units(approved.distribution.all()) == ["tnmt"]


def test_a_version_without_its_own_distribution_hashes_as_before(people):
    # Versions written before issue 10 carry no distribution: their stored hashes and
    # signatures must still match, so the hash leaves the key out for them.
    version = draft(author=people["officer"], code="QT-P-02", body="Nội dung", clauses=["4.2.3"])
    version.distribution.clear()
    payload = {"code": "QT-P-02", "revision": 1, "edition": 2008, "clauses": ["4.2.3"],
               "body": "Nội dung", "change_summary": "", "attachments": []}
    expected = hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    # Issue 11 added the title; the hash of signatures made before it leaves it out.
    assert services.content_hash(version, with_title=False) == expected
    assert units(selectors.version_distribution(version=version)) == ["tnmt"]  # the procedure's


def test_the_editor_changes_the_distribution(client, people, org, revision):
    client.force_login(people["officer"])
    url = "/procedures/QT-P-01/versions/2/edit/"
    initial = client.get(url).context["form"].initial
    assert initial["distribution"] == [org["a"].pk]
    data = {**initial, "edition": revision.edition_id, "distribution": [org["a"].pk, org["b"].pk]}
    assert client.post(url, data).status_code == 302
    page = client.get("/procedures/QT-P-01/versions/2/")
    assert units(page.context["distribution"]) == ["qldt", "tnmt"]
    assert "Phòng Quản lý đô thị; Phòng Tài nguyên và Môi trường" in page.content.decode()
    response = client.post(url, {**data, "distribution": []})
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một đơn vị được phân phối." in response.content.decode()
