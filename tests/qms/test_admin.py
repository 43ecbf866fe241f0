"""The admin works for every model, shows history, and offers no edit the services forbid."""

import pytest
from django.contrib import admin
from django.urls import reverse

from procedures.models import Procedure, ProcedureVersion, Signature
from qms.models import OrgUnit
from tests.factories import effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


@pytest.fixture
def version(people):
    return effective(author=people["officer"], approver=people["approver"])


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_a_working_changelist(admin_client, version):
    for model in admin.site._registry:
        response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, model


@pytest.mark.parametrize("model", [Procedure, ProcedureVersion, Signature])
def test_controlled_records_show_history_and_read_only_pages(admin_client, version, model):
    obj = {Procedure: version.procedure, ProcedureVersion: version, Signature: version.signatures.first()}[model]
    history = admin_client.get(_url(model, "history", obj.pk))
    assert history.status_code == 200
    change = admin_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert admin_client.get(_url(model, "delete", obj.pk)).status_code in (403, 302)
    assert admin_client.get(_url(model, "add")).status_code == 403


def test_version_cannot_be_changed_by_posting_to_the_admin(admin_client, version):
    response = admin_client.post(_url(ProcedureVersion, "change", version.pk), {"body": "sửa lén"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.body == "Nội dung quy trình."


@pytest.mark.parametrize("model", [ProcedureVersion, OrgUnit])
def test_history_can_be_read_but_not_reverted(admin_client, version, model):
    obj = version if model is ProcedureVersion else version.procedure.department
    record = obj.history.earliest()
    url = _url(model, "simple_history", obj.pk, record.history_id)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'value="Revert"' not in page.content
    assert admin_client.post(url, {"body": "cũ", "name": "cũ"}).status_code == 403
    version.refresh_from_db()
    assert version.body == "Nội dung quy trình."


def test_procedure_object_permissions_page(admin_client, version):
    response = admin_client.get(_url(Procedure, "permissions", version.procedure.pk))
    assert response.status_code == 200


def test_users_are_deactivated_from_the_admin_not_deleted(admin_client, people):
    from qms.models import User

    url = reverse("admin:qms_user_changelist")
    response = admin_client.post(
        url, {"action": "deactivate", "_selected_action": [people["staff"].pk]}, follow=True
    )
    assert response.status_code == 200
    people["staff"].refresh_from_db()
    assert not people["staff"].is_active
    assert admin_client.get(reverse("admin:qms_user_delete", args=[people["staff"].pk])).status_code == 403
    assert User.objects.filter(pk=people["staff"].pk).exists()
