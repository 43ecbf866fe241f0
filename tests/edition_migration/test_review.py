"""Point 7: the officer accepts or refuses each term, then submits into review."""

import pytest
from django.urls import reverse

from edition_migration import services
from edition_migration.models import TermFlag
from edition_migration.services import MigrationError
from procedures.models import Procedure, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def migration(people, tnmt_procedure):
    services.procedure_migrate(procedure=Procedure.objects.get(code="QT-TNMT-05"), actor=people["officer"])
    return Procedure.objects.get(code="QT-TNMT-05").edition_migrations.get()


def flag_of(migration, found):
    return migration.terms.filter(found__iexact=found).order_by("position").first()


def test_accepting_applies_the_vietnamese_wording_at_its_place(people, migration):
    flag = flag_of(migration, "hành động phòng ngừa")
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk], accept=True)
    migration.draft.refresh_from_db()
    assert "hành động giải quyết rủi ro và cơ hội (6.1) theo mục 6.1, 10.3." in migration.draft.body
    flag.refresh_from_db()
    assert (flag.decision, flag.decided_by) == (TermFlag.Decision.ACCEPTED, people["officer"])
    assert flag.history.first().history_change_reason == "Chấp nhận thuật ngữ theo bản 2015"


def test_later_acceptances_find_their_place_after_earlier_ones(people, migration):
    services.terms_decide(migration=migration, actor=people["officer"], key="records", accept=True)
    services.terms_decide(migration=migration, actor=people["officer"], key="nonconforming_product", accept=True)
    services.terms_decide(migration=migration, actor=people["officer"], key="quality_records", accept=True)
    migration.draft.refresh_from_db()
    body = migration.draft.body
    assert "thông tin dạng văn bản được lưu giữ được lưu theo" in body  # "hồ sơ chất lượng được lưu"
    assert "## 5. THÔNG TIN DẠNG VĂN BẢN ĐƯỢC LƯU GIỮ" in body  # upper case kept
    assert "hồ sơ" not in body.lower()
    assert "Các sai sót được xử lý như đầu ra không phù hợp" in body


def test_refusing_keeps_the_text(people, migration):
    before = migration.draft.body
    services.terms_decide(migration=migration, actor=people["officer"], key="documents", accept=False)
    migration.draft.refresh_from_db()
    assert migration.draft.body == before
    assert not migration.terms.filter(key="documents", decision=TermFlag.Decision.PENDING).exists()


def test_a_term_is_decided_once(people, migration):
    flag = flag_of(migration, "sổ tay chất lượng")
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk], accept=False)
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk], accept=True)
    assert excinfo.value.messages == ["Không có thuật ngữ nào đang chờ quyết định trong lựa chọn này."]


def test_submit_is_refused_while_a_term_is_pending(people, migration):
    pending = migration.terms.count()
    with pytest.raises(MigrationError) as excinfo:
        services.migration_submit(migration=migration, actor=people["officer"],
                                  reviewers=[people["officer2"]], approver=people["approver"])
    assert excinfo.value.messages == [
        f"Còn {pending} thuật ngữ chưa được chấp nhận hoặc từ chối; hãy quyết định hết trước khi trình."]
    migration.draft.refresh_from_db()
    assert migration.draft.state == State.DRAFT


def test_submit_after_every_decision_goes_into_normal_review(people, migration):
    services.terms_decide(migration=migration, actor=people["officer"], key="preventive_action", accept=True)
    services.terms_decide(migration=migration, actor=people["officer"],
                          flag_ids=migration.terms.values_list("pk", flat=True), accept=False)
    services.migration_submit(migration=migration, actor=people["officer"],
                              reviewers=[people["officer2"]], approver=people["approver"])
    migration.draft.refresh_from_db()
    assert migration.draft.state == State.IN_REVIEW
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer"], key="records", accept=True)
    assert excinfo.value.messages == [
        "Dự thảo không còn ở trạng thái dự thảo nên không quyết định thuật ngữ được nữa."]


def test_another_department_cannot_decide(people, migration):
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer_b"], key="records", accept=True)
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]


def test_review_screen_shows_both_revisions_side_by_side(client, people, migration, django_assert_max_num_queries):
    client.force_login(people["officer"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("edition_migration:review", args=[migration.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lần ban hành 1 — bản 2008" in html and "Lần ban hành 2 — đề xuất theo bản 2015" in html
    assert "theo 7.5.1 của TCVN ISO 9001:2008" in html  # left: the 2008 text
    assert "theo 8.5.1, 8.5.5 của TCVN ISO 9001:2015" in html  # right: the proposal
    assert '<mark class="term pending"' in html


def test_review_screen_decide_and_submit_through_the_web(client, people, migration):
    client.force_login(people["officer"])
    url = reverse("edition_migration:decide", args=[migration.pk])
    response = client.post(url, {"action": "accept", "key": "preventive_action"}, follow=True)
    assert "Đã ghi nhận quyết định cho 1 vị trí." in response.content.decode()
    routing = {"reviewers": [people["officer2"].pk], "approver": people["approver"].pk}
    response = client.post(reverse("edition_migration:submit", args=[migration.pk]), routing,
                           follow=True)
    assert "thuật ngữ chưa được chấp nhận hoặc từ chối" in response.content.decode()
    for flag in migration.terms.filter(decision="pending"):
        client.post(url, {"action": "refuse", "flag": flag.pk})
    # Issue 10: the draft goes to named reviewers and an approver; without them it stays.
    response = client.post(reverse("edition_migration:submit", args=[migration.pk]), follow=True)
    assert "Hãy chọn người phê duyệt." in response.content.decode()
    response = client.post(reverse("edition_migration:submit", args=[migration.pk]), routing,
                           follow=True)
    assert "Đã trình dự thảo để xem xét, phê duyệt." in response.content.decode()
    migration.draft.refresh_from_db()
    assert migration.draft.state == State.IN_REVIEW


def test_bad_decision_post_is_a_message_not_an_error(client, people, migration):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:decide", args=[migration.pk]),
                           {"action": "accept"}, follow=True)
    assert response.status_code == 200
    assert "Hãy chọn thuật ngữ cần quyết định." in response.content.decode()


@pytest.mark.parametrize("who,status", [("officer_b", 404), ("staff", 403), ("approver", 403)])
def test_review_screen_is_hidden_from_others(client, people, migration, who, status):
    client.force_login(people[who])
    assert client.get(reverse("edition_migration:review", args=[migration.pk])).status_code == status
