"""From the checklist to findings: a nonconforming answer opens the finding form
prefilled from the item; a conforming answer contradicted by a nonconformity on
the same clause (or procedure) is flagged on the page and in the PDF. And an audit
started before its planned date warns, records it, and still starts."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audits import selectors, services
from audits.models import Audit, Finding
from tests.factories import PASSWORD

from .conftest import clause, plan, record
from .test_pdf import flat, pages_text
from .test_services import refused

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def item_at(audit, position):
    return audit.checklist.get(position=position)


# ---------------------------------------------------------------- prefilled finding form


def test_a_nonconforming_answer_opens_the_finding_form_prefilled(login, cast, org, started, procedure_a):
    client = login(cast["auditor2"])
    item = item_at(started, 1)  # clause 7.5.3
    response = client.post(reverse("audits:checklist_answer", args=[item.pk]),
                           {"result": "nonconforming", "notes": "3/10 hồ sơ thiếu phiếu kiểm soát."})
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:finding_create", args=[started.pk]) + f"?item={item.pk}"
    form = client.get(response["Location"]).context["form"]
    # One department in scope, one procedure in scope naming 7.5.3: all three are known.
    assert (form["clause"].value(), form["department"].value(), form["procedure_version"].value(),
            form["evidence"].value(), form["checklist_item"].value()) == (
        clause("7.5.3").pk, org["a"].pk, procedure_a.pk, "3/10 hồ sơ thiếu phiếu kiểm soát.", item.pk)


def test_a_procedure_item_prefills_its_current_version_and_its_clause_in_scope(cast, started, procedure_a, org):
    item = item_at(started, 3)  # QT-TNMT-01, which names 7.5.3 and 8.5.1, both in scope
    initial = selectors.finding_initial(started, item)
    assert (initial["procedure_version"], initial["clause"], initial["department"]) == (
        procedure_a.pk, clause("7.5.3").pk, org["a"].pk)
    assert initial["clause_hint"] == ["7.5.3", "8.5.1"]


def test_a_2008_procedure_names_its_2015_clauses_through_the_correspondence(cast, org, programme):
    from tests.factories import effective

    old = effective(author=cast["officer"], approver=cast["approver"], code="QT-TNMT-08", year=2008,
                    clauses=("7.5.3",), title="Quy trình cũ")
    audit = plan(cast, org, programme, old, clause_numbers=["6.1"])
    services.audit_start(audit=audit, actor=cast["auditor"])
    initial = selectors.finding_initial(audit, item_at(audit, 2))
    # 2008 7.5.3 corresponds to 2015 8.5.2 alone: it is the clause offered.
    assert initial["clause_hint"] == ["8.5.2"] and initial["clause"] == clause("8.5.2").pk


def test_the_finding_records_the_item_it_came_from(login, cast, org, started):
    item = item_at(started, 1)
    client = login(cast["auditor"])
    response = client.post(
        reverse("audits:finding_create", args=[started.pk]) + f"?item={item.pk}",
        {"grade": "observation", "clause": clause("7.5.3").pk, "department": org["a"].pk,
         "statement": "Hồ sơ chưa đánh số trang.", "checklist_item": item.pk},
    )
    finding = Finding.objects.get()
    assert response["Location"] == finding.get_absolute_url()
    assert finding.checklist_item == item


def test_no_form_again_when_the_item_already_has_its_finding(login, cast, org, started):
    item = item_at(started, 1)
    record(started, cast, org, checklist_item=item)
    response = login(cast["auditor"]).post(reverse("audits:checklist_answer", args=[item.pk]),
                                           {"result": "nonconforming", "notes": "Thiếu."})
    assert response["Location"] == started.get_absolute_url() + f"#item-{item.pk}"


def test_an_item_of_another_audit_is_refused(cast, org, programme, started):
    other = plan(cast, org, programme)
    services.audit_start(audit=other, actor=cast["auditor"])
    refused("Mục kiểm tra không thuộc cuộc đánh giá này.",
            record, started, cast, org, checklist_item=item_at(other, 1))


def test_the_form_of_another_audits_item_is_not_found(login, cast, org, programme, started):
    other = plan(cast, org, programme)
    services.audit_start(audit=other, actor=cast["auditor"])
    url = reverse("audits:finding_create", args=[started.pk])
    client = login(cast["auditor"])
    assert client.get(url + f"?item={item_at(other, 1).pk}").status_code == 404
    assert client.get(url + "?item=abc").status_code == 404


# ---------------------------------------------------------------- flags


def test_conforming_with_a_nonconformity_on_the_same_clause_is_flagged(login, cast, org, started, procedure_a):
    conforming = item_at(started, 1)   # 7.5.3
    other = item_at(started, 2)        # 8.5.1
    procedure = item_at(started, 3)    # QT-TNMT-01
    for item in (conforming, other, procedure):
        services.checklist_item_answer(item=item, actor=cast["auditor2"], result="conforming", notes="Đạt")
    record(started, cast, org, grade="observation", number="8.5.1")  # not a nonconformity
    record(started, cast, org, grade="minor", number="7.5.3")
    client = login(cast["auditor"])
    page = client.get(reverse("audits:detail", args=[started.pk]))
    flags = {i.position: i.flag for i in page.context["checklist"]}
    assert flags == {
        1: "Đánh giá “Phù hợp” nhưng có 1 điểm không phù hợp về điều khoản 7.5.3 trong cuộc đánh giá này.",
        2: "",
        3: "",
    }
    html = page.content.decode()
    assert 'class="flagged"' in html and "Cần xem lại:" in html
    # A nonconformity on the procedure flags the procedure's item too.
    record(started, cast, org, grade="major", number="8.5.1", procedure_version=procedure_a)
    flags = {i.position: i.flag for i in client.get(reverse("audits:detail", args=[started.pk])).context["checklist"]}
    assert flags[2] == "Đánh giá “Phù hợp” nhưng có 1 điểm không phù hợp về điều khoản 8.5.1 trong cuộc đánh giá này."
    assert flags[3] == "Đánh giá “Phù hợp” nhưng có 1 điểm không phù hợp về quy trình QT-TNMT-01 trong cuộc đánh giá này."


def test_answering_conforming_against_a_nonconformity_warns(login, cast, org, started):
    record(started, cast, org, grade="major", number="7.5.3")
    item = item_at(started, 1)
    response = login(cast["auditor2"]).post(reverse("audits:checklist_answer", args=[item.pk]),
                                            {"result": "conforming", "notes": "Đạt"}, follow=True)
    assert messages_of(response) == [
        "Đã ghi kết quả mục 1.",
        "Đánh giá “Phù hợp” nhưng có 1 điểm không phù hợp về điều khoản 7.5.3 trong cuộc đánh giá này.",
    ]


def test_the_flag_is_in_the_pdf(cast, org, started):
    for item in started.checklist.all():
        services.checklist_item_answer(item=item, actor=cast["auditor2"], result="conforming", notes="Đạt")
    record(started, cast, org, grade="minor", number="7.5.3")
    report = services.audit_report_issue(audit=started, actor=cast["auditor"], password=PASSWORD)
    text = flat(" ".join(pages_text(default_storage.open(report.file.name).read())))
    assert ("Đạt Cần xem lại: Đánh giá “Phù hợp” nhưng có 1 điểm không phù hợp về điều khoản 7.5.3 "
            "trong cuộc đánh giá này.") in text


# ---------------------------------------------------------------- early start


@pytest.fixture
def next_year(cast):
    from django.utils import timezone

    return services.programme_create(actor=cast["auditor"], year=timezone.localdate().year + 1)


def test_an_early_start_is_recorded_warned_and_still_starts(login, cast, org, next_year):
    start = datetime.date(next_year.year, 6, 1)
    audit = plan(cast, org, next_year, planned_start=start, planned_end=start + datetime.timedelta(days=2))
    client = login(cast["auditor"])
    before = client.get(audit.get_absolute_url()).content.decode()
    assert f"Ngày bắt đầu dự kiến là 01/06/{next_year.year}: bắt đầu sớm hơn sẽ được ghi vào lịch sử." in before
    response = client.post(reverse("audits:start", args=[audit.pk]), follow=True)
    audit.refresh_from_db()
    assert audit.state == Audit.State.IN_PROGRESS
    assert messages_of(response) == [
        "Đã bắt đầu đánh giá; danh mục kiểm tra đã được lập.",
        f"Cuộc đánh giá được bắt đầu trước ngày bắt đầu dự kiến (01/06/{next_year.year}); việc này đã "
        "được ghi vào lịch sử.",
    ]
    assert audit.history.first().history_change_reason == (
        f"Bắt đầu đánh giá trước ngày dự kiến (01/06/{next_year.year})")
    assert 'id="started-early"' in response.content.decode()
    assert selectors.audit_report_data(audit=audit)["started_early"] is True


def test_a_start_on_or_after_the_planned_date_does_not_warn(login, cast, audit):
    response = login(cast["auditor"]).post(reverse("audits:start", args=[audit.pk]), follow=True)
    assert messages_of(response) == ["Đã bắt đầu đánh giá; danh mục kiểm tra đã được lập."]
    audit.refresh_from_db()
    assert audit.history.first().history_change_reason == "Bắt đầu đánh giá"
    assert 'id="started-early"' not in response.content.decode()


def test_the_pdf_says_the_audit_started_early(cast, org, next_year):
    from django.utils import timezone

    from audits import pdf

    start = datetime.date(next_year.year, 6, 1)
    audit = plan(cast, org, next_year, planned_start=start, planned_end=start)
    services.audit_start(audit=audit, actor=cast["auditor"])
    content = pdf.build_audit_report(selectors.audit_report_data(audit=audit), number="x",
                                     issued_at=timezone.now(), issued_by="y")
    assert f"Bắt đầu trước ngày dự kiến 01/06/{next_year.year}." in flat(" ".join(pages_text(content)))
