"""Every create form is safe to post twice: the second post of the same form goes where
the first went and creates nothing."""

from django.urls import reverse

from audits.models import Audit, AuditProgramme, Finding
from qms.models import FormSubmission

from .test_views import finding_form


def test_a_finding_posted_twice_is_recorded_once(login, cast, org, started):
    client = login(cast["auditor2"])
    data = {**finding_form(org, cast), "form_token": "f7c1d0e4a2b94c55a3c1e7f0d9b8a6c5"}
    url = reverse("audits:finding_create", args=[started.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    finding = Finding.objects.get()
    assert first["Location"] == finding.get_absolute_url()
    assert second.redirect_chain[0][0] == finding.get_absolute_url()
    assert "Biểu mẫu này đã được gửi rồi" in second.content.decode()


def test_a_refused_post_leaves_its_token_free(login, cast, org, started):
    client = login(cast["auditor2"])
    url = reverse("audits:finding_create", args=[started.pk])
    refused = client.post(url, {**finding_form(org, cast, clause=None), "form_token": "tok-1"})
    assert refused.status_code == 200 and not FormSubmission.objects.exists()
    client.post(url, {**finding_form(org, cast), "form_token": "tok-1"})
    assert Finding.objects.count() == 1


def test_an_audit_plan_posted_twice_is_created_once(login, cast, org, programme):
    client = login(cast["auditor"])
    data = {"title": "Đánh giá", "departments": [org["a"].pk], "clause_numbers": "7.5.3",
            "planned_start": "2026-03-10", "planned_end": "2026-03-12",
            "lead_auditor": cast["auditor"].pk, "form_token": "plan-1"}
    url = reverse("audits:audit_create", args=[2026])
    client.post(url, data)
    client.post(url, data)
    assert Audit.objects.count() == 1


def test_a_programme_posted_twice_is_created_once(login, cast):
    client = login(cast["auditor"])
    data = {"year": 2027, "title": "Chương trình 2027", "form_token": "prog-1"}
    client.post(reverse("audits:programme_create"), data)
    response = client.post(reverse("audits:programme_create"), data)
    assert AuditProgramme.objects.filter(year=2027).count() == 1
    assert response.status_code == 302


def test_another_users_token_is_not_followed(login, cast, org, started):
    url = reverse("audits:finding_create", args=[started.pk])
    login(cast["auditor2"]).post(url, {**finding_form(org, cast), "form_token": "shared"})
    response = login(cast["auditor"]).post(url, {**finding_form(org, cast), "form_token": "shared"})
    assert response.status_code == 302
    assert Finding.objects.count() == 2

