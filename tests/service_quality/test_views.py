"""Pages as their users see them: refusals shown, never a 500; query budgets."""

import pytest
from django.urls import reverse

from service_quality.models import DossierStat

from .conftest import csv_bytes, load, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_import_page_lists_the_bad_lines_and_imports_nothing(cast, fields, client_for):
    c = client_for(cast["officer"])
    content = csv_bytes([row("2024-01"), row("2024-02", carried=7, early=83)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post(reverse("service_quality:figures_import"),
                      {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv")})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tệp bị từ chối; không dòng nào được nhập." in text
    assert "Dòng 3: số kỳ trước chuyển sang (7) khác số còn đang giải quyết cuối kỳ 2024-01 (5)." in text
    assert not DossierStat.objects.exists()


def test_the_form_shows_an_unbalanced_month_on_the_form(cast, fields, client_for):
    c = client_for(cast["officer"])
    data = {"period": "2024-01", "department": fields["land"].department.pk, "field": fields["land"].pk,
            **{k: v for k, v in row("2024-01").items() if k not in ("period", "department", "field")}}
    data["pending_in_time"] = 1
    response = c.post(reverse("service_quality:figure_new"), data)
    assert response.status_code == 200
    assert ("Số liệu không cân đối: kỳ trước chuyển sang + tiếp nhận mới = 100, nhưng đã giải quyết + "
            "đang giải quyết = 96.") in response.content.decode()
    data["pending_in_time"] = 5
    response = c.post(reverse("service_quality:figure_new"), data)
    assert response.status_code == 302
    assert DossierStat.objects.get().history.first().history_change_reason == "Nhập số liệu trên biểu mẫu"


def test_the_form_refuses_a_period_that_is_not_a_month(cast, fields, client_for):
    c = client_for(cast["officer"])
    response = c.post(reverse("service_quality:figure_new"), {"period": "2024-1x"})
    assert response.status_code == 200
    assert "Kỳ phải có dạng YYYY-MM, ví dụ 2017-03." in response.content.decode()


def test_pages_refused_or_hidden(cast, fields, client_for):
    load(cast["central"], [row("2024-01", "qldt", "xay-dung")])
    b1 = DossierStat.objects.get()
    assert client_for(cast["nobody"]).get(reverse("service_quality:report")).status_code == 403
    staff = client_for(cast["staff"])
    assert staff.get(reverse("service_quality:report")).status_code == 200
    assert staff.get(reverse("service_quality:figure_new")).status_code == 403
    assert staff.get(reverse("service_quality:review_new")).status_code == 403
    officer = client_for(cast["officer"])
    assert officer.get(reverse("service_quality:figure_edit", args=[b1.pk])).status_code == 404
    assert officer.post(reverse("service_quality:publish"), {"period": "2024-01"}).status_code == 403


def _fifty(cast, org, year):
    """5 fields x 10 months of one year, each month carrying the last one's 5 pending."""
    from service_quality import services

    extra = [services.field_create(actor=cast["central"], code=f"f{i}", name=f"Lĩnh vực {i}",
                                   department=org["a"]) for i in range(5)]
    load(cast["central"], [row(f"{year}-{m:02d}", field=f.code, carried=0 if m == 1 else 5,
                               early=80 if m == 1 else 85) for f in extra for m in range(1, 11)])
    for m in range(1, 11):
        services.period_publish(actor=cast["central"], year=year, month=m)


@pytest.mark.parametrize("who, page", [("staff", "report"), ("central", "figures"), ("staff", "objectives")])
def test_list_pages_query_count_is_the_same_at_2_and_50_rows(cast, org, fields, client_for, who, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from service_quality import services

    c = client_for(cast[who])
    load(cast["central"], [row("2019-01"), row("2019-02", carried=5, early=85)])
    for m in (1, 2):
        services.period_publish(actor=cast["central"], year=2019, month=m)
    _fifty(cast, org, 2020)
    counts = []
    for year, rows in ((2019, 2), (2020, 50)):
        url = reverse(f"service_quality:{page}") + f"?year={year}"
        # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
        assert response.status_code == 200
        counts.append(len(ctx))
        if page == "figures":
            assert response.content.decode().count("/quality/figures/") - 2 >= rows
    assert counts[0] == counts[1] <= 20, counts


def test_the_report_page_shows_vietnamese_numbers_and_svg_charts(cast, fields, client_for):
    load(cast["central"], [row("2024-01", received=1200, early=1000, on_time=150, late=45)])
    text = client_for(cast["central"]).get(reverse("service_quality:report") + "?year=2024").content.decode()
    # 1,195 resolved of 1,200: 99.58 %; late 45 / 1,195 = 3.77 %
    assert '<span class="value" id="kpi-received">1.200</span>' in text
    assert '<span class="value" id="kpi-resolved">99,58 %</span>' in text
    assert '<span class="value" id="kpi-late">3,77 %</span>' in text
    assert text.count("<svg") == 3 and "cdn" not in text.lower()


def test_a_figure_form_posted_twice_is_saved_once(cast, fields, client_for):
    c = client_for(cast["officer"])
    data = {"period": "2024-01", "department": fields["land"].department.pk, "field": fields["land"].pk,
            **{k: v for k, v in row("2024-01").items() if k not in ("period", "department", "field")},
            "form_token": "sq-1"}
    first = c.post(reverse("service_quality:figure_new"), data)
    second = c.post(reverse("service_quality:figure_new"), data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Biểu mẫu này đã được gửi rồi" in second.content.decode()
    assert DossierStat.objects.get().history.count() == 1
