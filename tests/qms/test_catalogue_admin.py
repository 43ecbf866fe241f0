"""The catalogues (editions and clauses) are read-only in the admin once used."""

import pytest

from qms.models import Clause, Edition
from tests.factories import effective

pytestmark = pytest.mark.django_db


def test_a_clause_cited_by_a_version_is_read_only_and_an_unused_one_is_not(client, people):
    effective(author=people["officer"], approver=people["approver"], clauses=("7.5.3",), year=2015)
    used = Clause.objects.get(edition__year=2015, number="7.5.3")
    unused = Clause.objects.get(edition__year=2015, number="7.1.6")
    client.force_login(people["admin"])
    page = client.get(f"/admin/qms/clause/{used.pk}/change/").content.decode()
    assert 'name="title_vi"' not in page  # shown, not editable
    assert client.post(f"/admin/qms/clause/{used.pk}/change/", {"title_vi": "Sửa"}).status_code == 403
    assert Clause.objects.get(pk=used.pk).title_vi != "Sửa"
    assert 'name="title_vi"' in client.get(f"/admin/qms/clause/{unused.pk}/change/").content.decode()


def test_an_edition_used_by_a_version_is_read_only(client, people):
    effective(author=people["officer"], approver=people["approver"], clauses=("7.5.3",), year=2015)
    client.force_login(people["admin"])
    edition = Edition.objects.get(year=2015)
    assert 'name="name"' not in client.get(f"/admin/qms/edition/{edition.pk}/change/").content.decode()
