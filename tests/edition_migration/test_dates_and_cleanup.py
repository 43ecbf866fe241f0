"""Plausible dates only; a refused import leaves no file in storage."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from edition_migration import services
from procedures.models import Procedure
from qms.dates import PlausibleDate
from tests import factories


@pytest.mark.parametrize("day", ["01/01/0001", "01/01/9999", "31/12/1989"])
def test_make_effective_form_refuses_an_implausible_date_with_a_message(day):
    from procedures.forms import MakeEffectiveForm

    form = MakeEffectiveForm(data={"decision_number": "12/QĐ-UBND", "decision_date": day,
                                   "effective_from": day})
    assert not form.is_valid()
    assert form.errors["effective_from"][0].startswith("Ngày " + day + " không hợp lý")


def test_validator_bounds():
    PlausibleDate()(datetime.date(1990, 1, 1))
    PlausibleDate()(datetime.date.today())
    with pytest.raises(ValidationError):
        PlausibleDate(years_ahead=5)(datetime.date(datetime.date.today().year + 6, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["01/01/9999", "01/01/0001"])
def test_issue_date_far_off_is_refused_on_the_page_not_a_500(client, people, day):
    version = factories.draft(author=people["officer"])
    client.force_login(people["admin"])
    url = reverse("procedures:version_action",
                  kwargs={"code": version.procedure.code, "revision": 1, "action": "make-effective"})
    response = client.post(url, {"decision_number": "5", "decision_date": day, "effective_from": day})
    assert response.status_code in (200, 302, 403)
    if response.status_code == 200:
        assert "không hợp lý" in response.content.decode()


def _files(media_root):
    return sorted(p for p in Path(media_root).rglob("*") if p.is_file())


@pytest.mark.django_db
def test_an_import_refused_for_its_date_keeps_nothing(people, media_root):
    text = "QUY TRÌNH THỬ\nMã số: QT-X-01\nNgày hiệu lực: 01/01/9999\n\nNội dung.\n"
    result = services.procedures_import(actor=people["admin"], files_in=[("qt-x-01.md", text.encode())],
                                        edition=2008, department=people["officer"].department)
    assert result[0].status == "failed"
    assert "không hợp lý" in result[0].error
    assert not Procedure.objects.exists()
    assert _files(media_root) == []


@pytest.mark.django_db
def test_a_refusal_after_the_file_was_stored_removes_it(people, media_root, monkeypatch):
    from procedures.exceptions import ProcedureError

    def failing(*args, **kwargs):
        raise ProcedureError("hỏng", code="x")

    # Fails after the attachment's file was stored and its row saved.
    monkeypatch.setattr("procedures.services.legacy.version_refresh_derived", failing)
    text = "QUY TRÌNH THỬ\nMã số: QT-X-02\n\nNội dung.\n"
    result = services.procedures_import(actor=people["admin"], files_in=[("qt-x-02.md", text.encode())],
                                        edition=2008, department=people["officer"].department)
    assert result[0].status == "failed"
    assert not Procedure.objects.exists()
    assert _files(media_root) == []
