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


def body_of(migration):
    migration.draft.refresh_from_db()
    return migration.draft.body


def test_accepting_a_decision_applies_the_chosen_wording_only(people, migration):
    flag = flag_of(migration, "hành động phòng ngừa")
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk],
                          accept=True, choice=0)
    # Issue 9 point 8: the replacement only, no explanation pasted into the text.
    assert "; hành động giải quyết rủi ro và cơ hội theo mục 8.5.3." in body_of(migration)
    flag.refresh_from_db()
    assert (flag.decision, flag.decided_by, flag.applied) == (
        TermFlag.Decision.ACCEPTED, people["officer"], "hành động giải quyết rủi ro và cơ hội")
    assert flag.history.first().history_change_reason == "Chấp nhận thuật ngữ theo bản 2015"


def test_the_officer_edits_a_replacement_before_accepting(people, migration):
    flag = flag_of(migration, "sản phẩm không phù hợp")
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk],
                          accept=True, wording="  đầu ra   không phù hợp (sai sót)  ")
    assert "Các sai sót được xử lý như đầu ra không phù hợp (sai sót) và báo cáo" in body_of(migration)


def test_a_decision_can_be_changed_and_the_change_is_in_history(people, migration):
    flag = flag_of(migration, "hồ sơ chất lượng")
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk], accept=True)
    assert "thông tin dạng văn bản được lưu giữ được lưu theo" in body_of(migration)
    services.terms_decide(migration=migration, actor=people["officer2"], flag_ids=[flag.pk], accept=False)
    assert "; hồ sơ chất lượng được lưu theo 7.5.2, 7.5.3." in body_of(migration)
    flag.refresh_from_db()
    assert (flag.decision, flag.decided_by) == (TermFlag.Decision.REFUSED, people["officer2"])
    reasons = [h.history_change_reason for h in flag.history.order_by("history_id")]
    assert reasons[-2:] == ["Chấp nhận thuật ngữ theo bản 2015", "Đổi quyết định về “hồ sơ chất lượng”"]


def test_later_decisions_find_their_place_after_earlier_ones(people, migration):
    officer = people["officer"]
    services.terms_decide(migration=migration, actor=officer, key="quality_records", accept=True)
    services.terms_decide(migration=migration, actor=officer, key="nonconforming_product", accept=True)
    services.terms_decide(migration=migration, actor=officer, key="records_heading", accept=True,
                          flag_ids=[flag_of(migration, "HỒ SƠ").pk], choice=1)
    body = body_of(migration)
    assert "thông tin dạng văn bản được lưu giữ được lưu theo" in body
    assert "## 5. THÔNG TIN DẠNG VĂN BẢN ĐƯỢC LƯU GIỮ" in body  # the officer's choice, upper case kept
    assert "Các sai sót được xử lý như đầu ra không phù hợp" in body


def test_accepting_a_partial_reference_confirms_its_clause(people, migration):
    flag = migration.terms.get(kind="reference", found="8.5.3")
    assert [c["label_vi"] for c in flag.choices] == [
        "Thay bằng 6.1 Hành động giải quyết rủi ro và cơ hội", "Thay bằng 10.3 Cải tiến liên tục",
        "Thay bằng 6.1, 10.3", "Giữ nguyên để sửa tay"]
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk],
                          accept=True, choice=0)
    assert "hành động phòng ngừa theo mục 6.1." in body_of(migration)
    assert "6.1" in set(migration.draft.clauses.values_list("number", flat=True))
    services.terms_decide(migration=migration, actor=people["officer"], flag_ids=[flag.pk], accept=False)
    assert "6.1" not in set(migration.draft.clauses.values_list("number", flat=True))
    assert "hành động phòng ngừa theo mục 8.5.3." in body_of(migration)


def test_refusing_keeps_the_text(people, migration):
    before = migration.draft.body
    services.terms_decide(migration=migration, actor=people["officer"], key="quality_records", accept=False)
    assert body_of(migration) == before
    assert not migration.terms.filter(key="quality_records", decision=TermFlag.Decision.PENDING).exists()


def test_bulk_decisions_take_only_pending_points(people, migration):
    services.terms_decide(migration=migration, actor=people["officer"], key="quality_records", accept=False)
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer"], key="quality_records", accept=True)
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
                          flag_ids=migration.terms.filter(decision="pending").values_list("pk", flat=True),
                          accept=False)
    services.migration_submit(migration=migration, actor=people["officer"],
                              reviewers=[people["officer2"]], approver=people["approver"])
    migration.draft.refresh_from_db()
    assert migration.draft.state == State.IN_REVIEW
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer"], key="quality_records", accept=True)
    assert excinfo.value.messages == [
        "Dự thảo không còn ở trạng thái dự thảo nên không quyết định thuật ngữ được nữa."]


def test_another_department_cannot_decide(people, migration):
    with pytest.raises(MigrationError) as excinfo:
        services.terms_decide(migration=migration, actor=people["officer_b"], key="quality_records", accept=True)
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]


def test_review_screen_aligns_both_revisions_line_by_line(client, people, migration, django_assert_max_num_queries):
    client.force_login(people["officer"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("edition_migration:review", args=[migration.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lần ban hành 2 — bản 2008" in html and "Lần ban hành 3 — đề xuất theo bản 2015" in html
    row = response.context["rows"][21]  # line 22: "4.4 Việc thẩm định …"
    assert row["old"] == "4.4 Việc thẩm định phương án được thực hiện theo 7.5.1 của TCVN ISO 9001:2008."
    assert "".join(s["text"] for s in row["segments"]) == (
        "4.4 Việc thẩm định phương án được thực hiện theo 8.5.1 của TCVN ISO 9001:2015.")
    assert row["changed"] is True
    assert '<mark class="term pending' in html
    assert "Bản 2015 không còn hành động phòng ngừa" in html  # the note, beside the text


def test_a_decision_on_the_web_returns_to_the_same_place(client, people, migration):
    client.force_login(people["officer"])
    flag = flag_of(migration, "sản phẩm không phù hợp")
    response = client.post(reverse("edition_migration:decide", args=[migration.pk]),
                           {"action": "accept", "flag": flag.pk, "wording": "đầu ra không phù hợp"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/migration/{migration.pk}/#t{flag.pk}")


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


def test_the_officer_words_a_decision_point_in_their_own_way_on_the_web(client, people, migration):
    client.force_login(people["officer"])
    flag = flag_of(migration, "hành động phòng ngừa")
    client.post(reverse("edition_migration:decide", args=[migration.pk]),
                {"action": "accept", "flag": flag.pk, "choice": 0, "wording": "biện pháp giảm rủi ro"})
    assert "; biện pháp giảm rủi ro theo mục 8.5.3." in body_of(migration)
    client.post(reverse("edition_migration:decide", args=[migration.pk]),
                {"action": "accept", "flag": flag.pk, "choice": 2, "wording": ""})
    assert "; hành động phòng ngừa theo mục 8.5.3." in body_of(migration)  # "Giữ nguyên"
