"""Points 5 and 6: the gap report and the migration report, as JSON, web pages and PDF."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from edition_migration import services

from .conftest import import_file

pytestmark = pytest.mark.django_db


def gap_json():
    out = io.StringIO()
    call_command("gap_report", "--edition", "2015", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_with_no_2015_procedure_everything_is_uncovered(people, tnmt_procedure):
    data = gap_json()
    assert data["covered"] == {}
    assert {"4.1", "4.2", "6.1", "7.1.6", "10.3"} <= set(data["uncovered"])
    assert all(not d["present"] for d in data["documented_information"])


def test_migration_drafts_are_partial_until_effective_and_new_requirements_never_follow(
        people, tnmt_procedure, english_procedure):
    # Issue 9 point 11 (this test replaced "migration drafts cover their clauses",
    # which showed 4.1 and 6.1 covered by documents that never address them).
    services.edition_migrate(actor=people["officer"])
    data = gap_json()
    assert data["covered"] == {}  # nothing is effective on 2015 yet
    assert data["partial"]["9.2"] == ["QT-TNMT-05"]  # a draft only
    assert data["partial"]["7.1.5.1"] == ["SOP-PUR-01"]  # 7.1.5 cited: its sub-clauses too
    assert data["partial"]["8.5.5"] == ["QT-TNMT-05"]  # 7.5.1 reaches post-delivery only in part
    for new in ("4.1", "4.2", "6.1", "6.3", "7.1.6"):
        assert new in data["uncovered"], new
    assert set(data["uncovered"]).isdisjoint(data["partial"])
    documented = {d["key"]: d for d in data["documented_information"]}
    assert documented["nonconforming_outputs"]["present"] is False  # proposals are not presence
    assert documented["nonconforming_outputs"]["proposed"] == ["SOP-PUR-01"]


def test_gap_report_pdf_is_numbered_and_vietnamese(people, tnmt_procedure, tmp_path):
    services.edition_migrate(actor=people["officer"])
    call_command("gap_report", "--output", str(tmp_path / "gap.pdf"), stdout=io.StringIO())
    pages = pdf_text((tmp_path / "gap.pdf").read_bytes())
    assert len(pages) >= 2
    assert f"Trang 1/{len(pages)}" in pages[0] and f"Trang {len(pages)}/{len(pages)}" in pages[-1]
    assert "Báo cáo khoảng cách so với TCVN ISO 9001:2015" in pages[0]
    assert "Tổ chức và bối cảnh của tổ chức" in "".join(pages) or "bối cảnh" in "".join(pages)
    assert "THIẾU" in "".join(pages)


def test_migration_report_pdf(people, tnmt_procedure, tmp_path):
    call_command("migrate_edition", "--dry-run", "--report", str(tmp_path / "m.pdf"),
                 "--actor", "officer", stdout=io.StringIO(), stderr=io.StringIO())
    pages = pdf_text((tmp_path / "m.pdf").read_bytes())
    text = "".join(pages)
    assert f"Trang 1/{len(pages)}" in pages[0]
    assert "Báo cáo chuyển đổi sang TCVN ISO 9001:2015" in text
    assert "QT-TNMT-05" in text and "hành động phòng ngừa" in text.lower()


@pytest.mark.parametrize("who,status", [("officer", 200), ("approver", 200), ("auditor", 200),
                                        ("admin", 200), ("staff", 403), ("nobody", 403)])
def test_gap_page_is_for_officers_approvers_and_auditors(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("edition_migration:gap")).status_code == status


def test_gap_page_and_pdf(client, people, tnmt_procedure, django_assert_max_num_queries):
    services.edition_migrate(actor=people["officer"])
    client.force_login(people["auditor"])
    client.get(reverse("edition_migration:gap"))  # warm-up: per-process caches (guardian's content types)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("edition_migration:gap"))
    html = response.content.decode()
    assert "Báo cáo khoảng cách so với TCVN ISO 9001:2015" in html
    assert "yêu cầu mới" in html  # 7.1.6
    response = client.get(reverse("edition_migration:gap") + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_migration_report_page_and_pdf(client, people, tnmt_procedure):
    services.edition_migrate(actor=people["officer"])
    client.force_login(people["approver"])
    html = client.get(reverse("edition_migration:report")).content.decode()
    assert "QT-TNMT-05" in html and "Điều khoản 8.5.3 (Hành động phòng ngừa) chỉ tương ứng một phần" in html
    response = client.get(reverse("edition_migration:report") + "?format=pdf")
    assert "QT-TNMT-05" in "".join(pdf_text(response.content))


def _make_procedures(officer, count):
    for i in range(count):
        content = f"# QUY TRÌNH SỐ {i}\nMã số: QT-TNMT-{i:03d}\nHồ sơ lưu theo mục 4.2.4.\n".encode()
        import_file(officer, f"qt-{i}.md", content=content)


@pytest.mark.parametrize("count", [2, 50])
def test_index_query_count_does_not_grow_with_rows(client, people, count, django_assert_max_num_queries):
    _make_procedures(people["officer"], count)
    services.edition_migrate(actor=people["officer"], codes=[f"QT-TNMT-{i:03d}" for i in range(count // 2)])
    client.force_login(people["officer"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("edition_migration:index"))
    assert response.status_code == 200
    assert response.content.decode().count("Xem và quyết định") == count // 2


@pytest.mark.parametrize("count", [2, 50])
def test_report_query_count_does_not_grow_with_rows(client, people, count, django_assert_max_num_queries):
    _make_procedures(people["officer"], count)
    services.edition_migrate(actor=people["officer"])
    client.force_login(people["officer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("edition_migration:report"))
    assert response.content.decode().count("QT-TNMT-0") == count


def _flat(pages) -> str:
    return " ".join(" ".join(pages).split())


def test_reports_carry_the_official_heading_and_a_signer_block(client, people, org, settings,
                                                               tnmt_procedure):
    from django.utils import timezone

    from qms import pdf as qpdf

    settings.QMS_CENTRAL_OFFICE = org["b"].code  # the unit that issues the reports
    services.edition_migrate(actor=people["officer"])
    client.force_login(people["approver"])
    for name in ("edition_migration:gap", "edition_migration:report"):
        pages = pdf_text(client.get(reverse(name) + "?format=pdf").content)
        first, last = _flat(pages[:1]), _flat(pages[-1:])
        for expected in (settings.QMS_PARENT_BODY, org["b"].name.upper(), qpdf.NATIONAL_TITLE,
                         qpdf.MOTTO, qpdf.place_date(timezone.localdate())):
            assert expected in first, (name, expected)
        assert "NGƯỜI LẬP BÁO CÁO" in last and people["approver"].get_full_name() in last
        assert "Báo cáo do công cụ lập" in last


def test_without_a_central_office_the_parent_body_issues_the_report(people, settings, tnmt_procedure,
                                                                    tmp_path):
    settings.QMS_CENTRAL_OFFICE = "khong-co"
    call_command("gap_report", "--output", str(tmp_path / "gap.pdf"), stdout=io.StringIO())
    first = _flat(pdf_text((tmp_path / "gap.pdf").read_bytes())[:1])
    assert first.startswith(settings.QMS_PARENT_BODY) or settings.QMS_PARENT_BODY in first
    assert first.count(settings.QMS_PARENT_BODY) == 1
