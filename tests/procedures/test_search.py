"""Search of effective procedures: folding, ranking, filters, visibility, odd input, cost."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from procedures import search, services
from procedures.models import Procedure, ProcedureVersion, SearchDocument
from procedures.search import effective_search
from qms.models import Clause
from tests.factories import approve, draft, effective, make_effective, submit

pytestmark = pytest.mark.django_db


def codes(results) -> list[str]:
    return [v.procedure.code for v in results[:]]


def fresh(user):
    """The user re-read: no permission cache left from building the data."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def make(people):
    """effective(...) by the officer of department A (or B with dept="b")."""

    def _make(code, title, body="Nội dung.", dept="a", **kwargs):
        author = people["officer"] if dept == "a" else people["officer_b"]
        return effective(
            author=author, approver=people["approver"], code=code, title=title, body=body, **kwargs
        )

    return _make


@pytest.fixture
def corpus(make):
    return {
        "land": make("QT-TNMT-01", "Quy trình đăng ký đất đai",
                     "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu."),
        "build": make("QT-QLDT-01", "Quy trình cấp giấy phép xây dựng",
                      "Hồ sơ gồm đơn đề nghị và bản vẽ thiết kế.", dept="b"),
        "docs": make("QT-VP-01", "Quy trình kiểm soát tài liệu", "Kiểm soát tài liệu nội bộ."),
        "letters": make("QT-MC-01", "Quy trình tiếp nhận", "Tiếp nhận đơn thư."),
    }


# ---------------------------------------------------------------- folding


@pytest.mark.parametrize(
    "query, expected",
    [
        ("quy trinh dat dai", ["QT-TNMT-01"]),
        ("Quy trình đăng ký đất đai", ["QT-TNMT-01"]),
        ("ĐẤT ĐAI", ["QT-TNMT-01"]),
        (unicodedata.normalize("NFD", "đất đai"), ["QT-TNMT-01"]),
        ("dai dat", ["QT-TNMT-01"]),  # every word, anywhere, any order
        ("giay", ["QT-QLDT-01", "QT-TNMT-01"]),  # title first, then body
        ("ho so don de nghi", ["QT-QLDT-01"]),  # body words
        ("qt-vp-01", ["QT-VP-01"]),
        ("đất xây", []),  # one word is missing
    ],
)
def test_search_ignores_case_and_diacritics_and_needs_every_word(people, corpus, query, expected):
    assert codes(effective_search(user=people["staff"], query=query)) == expected


def test_d_finds_the_barred_d_in_codes_and_titles_only(people, make):
    make("QT-1", "Đăng ký kết hôn")
    make("QT-2", "Quy trình khác", "Đơn đề nghị.")  # "đ" only in the body
    make("DT-3", "Quy trình ba")  # a code starting with d
    staff = people["staff"]
    found = codes(effective_search(user=staff, query="d"))
    assert found == ["DT-3", "QT-1"] or found == ["QT-1", "DT-3"]
    assert sorted(codes(effective_search(user=staff, query="Đ"))) == sorted(found)


def test_two_letters_match_codes_and_title_words_starting_with_them(people, make):
    make("QT-1", "Cấp giấy phép xây dựng")
    make("XA-2", "Quy trình khác")
    make("QT-3", "Quy trình ba", "Xác nhận tại xã.")
    staff = people["staff"]
    assert sorted(codes(effective_search(user=staff, query="xa"))) == ["QT-1", "XA-2"]


def test_the_last_word_is_a_prefix(people, make):
    make("QT-1", "Cấp giấy phép xây dựng")
    make("QT-2", "Cấp giấy phép kinh doanh")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="giay phep xay d")) == ["QT-1"]
    assert codes(effective_search(user=staff, query="giay phep kinh do")) == ["QT-2"]
    # Only the last word: "gi phep" needs the whole word "gi".
    assert codes(effective_search(user=staff, query="gi phep")) == []


def test_quoted_phrase_and_excluded_word(people, make):
    make("QT-1", "Quy trình đất đai")
    make("QT-2", "Quy trình đai và đất")
    make("QT-3", "Quy trình đất đai xây dựng")
    staff = people["staff"]
    assert sorted(codes(effective_search(user=staff, query='"dat dai"'))) == ["QT-1", "QT-3"]
    assert codes(effective_search(user=staff, query='"dat dai" -xay')) == ["QT-1"]
    assert sorted(codes(effective_search(user=staff, query="đất -xây"))) == ["QT-1", "QT-2"]


# ---------------------------------------------------------------- ranking


def test_title_words_rank_above_body_words(people, make):
    make("QT-A", "Quy trình khác", "Hồ sơ về đất đai. " + "Nội dung. " * 5)
    make("QT-B", "Quy trình đất đai")
    make("QT-C", "Không liên quan")
    assert codes(effective_search(user=people["staff"], query="đất đai")) == ["QT-B", "QT-A"]


def test_exact_code_comes_first(people, make):
    make("QT-A-01", "Quy trình một", "Xem thêm QT-X-01.")
    make("QT-X-010", "Quy trình hai")
    make("QT-X-01", "Quy trình ba")
    found = codes(effective_search(user=people["staff"], query="qt-x-01"))
    assert found[0] == "QT-X-01"
    assert sorted(found) == ["QT-A-01", "QT-X-01", "QT-X-010"]
    page2 = effective_search(user=people["staff"], query="qt-x-01")[1:3]
    assert sorted(v.procedure.code for v in page2) == sorted(found[1:])


def test_without_query_every_visible_version_by_code(people, make):
    for code in ("QT-B", "QT-A-2", "QT-A"):
        make(code, "Quy trình")
    assert codes(effective_search(user=people["staff"])) == ["QT-A", "QT-A-2", "QT-B"]


# ---------------------------------------------------------------- filters


def test_department_filter(people, org, corpus):
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="quy trinh", department=org["b"])) == [
        "QT-QLDT-01"
    ]
    assert codes(effective_search(user=staff, department=org["a"])) == [
        "QT-MC-01", "QT-TNMT-01", "QT-VP-01"
    ]
    assert codes(effective_search(user=staff, department=org["root"])) == []


def test_kind_filter(people, make):
    make("BM-01", "Biểu mẫu đơn đề nghị", kind=Procedure.Kind.FORM)
    make("QT-01", "Quy trình đơn đề nghị")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="de nghi", kind="form")) == ["BM-01"]
    assert codes(effective_search(user=staff, kind=Procedure.Kind.PROCEDURE)) == ["QT-01"]
    assert codes(effective_search(user=staff, kind="khong-co")) == []


def test_clause_filter_takes_the_clause_and_those_below_it_in_its_edition(people, make):
    make("QT-423", "Tài liệu", clauses=("4.2.3",))
    make("QT-42", "Hệ thống tài liệu", clauses=("4.2",))
    make("QT-41", "Yêu cầu chung", clauses=("4.1",))
    make("QT-753", "Thông tin dạng văn bản", clauses=("7.5.3",), year=2015)
    staff = people["staff"]

    def clause(year, number):
        return Clause.objects.get(edition__year=year, number=number)

    assert codes(effective_search(user=staff, clause=clause(2008, "4.2"))) == ["QT-42", "QT-423"]
    assert codes(effective_search(user=staff, clause=clause(2008, "4.2.3"))) == ["QT-423"]
    assert codes(effective_search(user=staff, clause=clause(2008, "4"))) == [
        "QT-41", "QT-42", "QT-423"
    ]
    assert codes(effective_search(user=staff, clause=clause(2015, "7.5"))) == ["QT-753"]
    assert sorted(codes(effective_search(user=staff, query="tai lieu", clause=clause(2008, "4.2")))) == [
        "QT-42", "QT-423"
    ]


def test_clause_cited_twice_gives_one_row(people, make):
    make("QT-1", "Tài liệu", clauses=("4.2.3", "4.2.4"))
    clause = Clause.objects.get(edition__year=2008, number="4.2")
    results = effective_search(user=people["staff"], clause=clause)
    assert results.count() == 1
    assert codes(results) == ["QT-1"]


# ---------------------------------------------------------------- visibility


def test_staff_never_get_a_draft_or_a_version_under_review(people, make):
    make("QT-1", "Quy trình đất đai")
    draft(author=people["officer"], code="QT-2", title="Quy trình đất đai (dự thảo)")
    in_review = draft(author=people["officer"], code="QT-3", title="Quy trình đất đai")
    submit(in_review, approver=people["approver"])
    for who in ("staff", "officer", "approver", "admin"):
        assert codes(effective_search(user=people[who], query="dat dai")) == ["QT-1"], who


def test_a_user_without_a_role_gets_nothing(people, corpus):
    assert effective_search(user=people["nobody"], query="quy trinh").count() == 0
    assert codes(effective_search(user=people["nobody"])) == []


def test_an_inactive_user_gets_nothing(people, corpus):
    staff = people["staff"]
    staff.is_active = False
    staff.save()
    assert effective_search(user=fresh(staff)).count() == 0


def test_only_the_current_revision_is_found(people, make):
    officer, approver = people["officer"], people["approver"]
    first = make("QT-1", "Quy trình", "Văn bản cũ về lệ phí.")
    second = services.version_start_revision(procedure=first.procedure, actor=officer)
    services.version_update(version=second, actor=officer, body="Văn bản mới về phí thẩm định.")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="lệ phí")) == ["QT-1"]
    assert codes(effective_search(user=staff, query="thẩm định")) == []  # still a draft
    approve(second, approver=approver)
    make_effective(second, actor=officer)
    assert codes(effective_search(user=staff, query="lệ phí")) == []
    found = effective_search(user=staff, query="thẩm định")
    assert [v.revision for v in found[:]] == [2]
    services.version_withdraw(version=second, actor=officer, reason="Không còn áp dụng")
    assert codes(effective_search(user=staff, query="thẩm định")) == []


# ---------------------------------------------------------------- odd input


@pytest.mark.parametrize(
    "query",
    ["", "   ", "%", "_", "%%__", "'", '"', "\\", "\x00", "--", "…", "“”", "\t\n"],
)
def test_a_query_without_letters_or_digits_lists_everything(people, corpus, query):
    assert codes(effective_search(user=people["staff"], query=query)) == [
        "QT-MC-01", "QT-QLDT-01", "QT-TNMT-01", "QT-VP-01"
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("'; DROP TABLE procedures_procedure; --", []),
        ("\" OR 1=1 --", []),
        ("NEAR(đất đai)", []),  # "near" is a word like any other
        ("đất* OR đai", []),  # "or" too
        ("{code}:dat", []),
        ("title: dat", []),
        ('đất"đai', ["QT-TNMT-01"]),
        ("a%b", ["QT-Z"]),  # punctuation separates words: "a b", as indexed from "a-b"
        ("axb", ["QT-Z"]),
        ("^đất", ["QT-TNMT-01"]),
    ],
)
def test_fts_and_sql_syntax_is_plain_text(people, corpus, make, query, expected):
    make("QT-Z", "Ghi chú", "Các ký hiệu axb, a-b và axxb.")
    assert codes(effective_search(user=people["staff"], query=query)) == expected
    assert Procedure.objects.count() == 5


def test_quotes_and_nul_around_words_are_dropped(people, corpus):
    staff = people["staff"]
    assert codes(effective_search(user=staff, query='"đất đai"')) == ["QT-TNMT-01"]
    assert codes(effective_search(user=staff, query="đất\x00đai")) == ["QT-TNMT-01"]
    assert codes(effective_search(user=staff, query="(đất), đai!")) == ["QT-TNMT-01"]


def test_a_query_too_long_to_search_whole_is_refused(people, corpus):
    staff = people["staff"]
    with pytest.raises(search.QueryError) as error:
        effective_search(user=staff, query="đất " * 60)
    assert error.value.messages == ["Từ khóa tìm kiếm quá dài (tối đa 200 ký tự)."]
    with pytest.raises(search.QueryError) as error:
        effective_search(user=staff, query=" ".join(f"w{i}" for i in range(33)))
    assert error.value.messages == ["Câu tìm kiếm có quá nhiều từ (tối đa 32 từ)."]
    # 32 words: every one is searched (the 32nd is missing, so nothing is found).
    words = "dat dai " * 15 + "quy xyz"
    assert codes(effective_search(user=staff, query=words)) == []
    assert codes(effective_search(user=staff, query="dat dai " * 15 + "quy trinh")) == [
        "QT-TNMT-01"
    ]


def test_the_page_refuses_a_long_query_with_a_message(client, people, corpus):
    client.force_login(people["staff"])
    response = client.get("/procedures/", {"q": " ".join(f"w{i}" for i in range(40))})
    assert response.status_code == 200
    assert "Câu tìm kiếm có quá nhiều từ (tối đa 32 từ)." in response.content.decode()


# ---------------------------------------------------------------- the index


def test_a_word_at_the_very_end_of_the_text_is_found(people, make):
    make("TD-1", "Tiêu đề", "kết thúc bằng xoan")
    assert codes(effective_search(user=people["staff"], query="xoan")) == ["TD-1"]


def test_a_new_title_reaches_the_index(people, make):
    first = make("QT-1", "Quy trình cũ")
    officer = people["officer"]
    draft_version = services.version_start_revision(procedure=first.procedure, actor=officer)
    services.version_update(version=draft_version, actor=officer, title="Quy trình thủy lợi")
    staff = people["staff"]
    # A draft's title is not what staff read: the effective revision keeps its own.
    assert codes(effective_search(user=staff, query="thuy loi")) == []
    assert codes(effective_search(user=staff, query="quy trinh cu")) == ["QT-1"]
    make_effective(approve(draft_version, approver=people["approver"]), actor=officer)
    assert codes(effective_search(user=staff, query="thuy loi")) == ["QT-1"]


def test_rebuild_command_rebuilds_from_the_versions(people, make):
    from django.core.management import call_command

    from procedures.models import SearchDocument

    make("QT-1", "Quy trình đất đai")
    make("QT-2", "Quy trình khác")
    SearchDocument.objects.all().delete()
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="dat dai")) == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    assert SearchDocument.objects.count() == 2


def test_ensure_search_index_repairs_lost_triggers_on_sqlite(people, make):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite index")
    make("QT-1", "Quy trình đất đai")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER procedures_searchfts_ai")  # as a table rebuild would
    make("QT-2", "Quy trình đất đai mới")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    assert search.ensure_search_index() is True
    assert sorted(codes(effective_search(user=staff, query="dat dai"))) == ["QT-1", "QT-2"]
    assert search.ensure_search_index() is False


def test_post_migrate_receiver_repairs_the_index(people, make):
    search.drop_search_index()
    search.on_post_migrate(sender=None, using="default")
    make("QT-1", "Quy trình đất đai")
    assert codes(effective_search(user=people["staff"], query="dat dai")) == ["QT-1"]
    assert search.ensure_search_index() is False


def test_postgresql_has_the_gin_index(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                       [search.index.PG_INDEX])
        assert "gin (vector)" in cursor.fetchone()[0]


# ---------------------------------------------------------------- cost


def _show_first_page(user, query) -> None:
    page = Paginator(effective_search(user=user, query=query), 20).get_page(1)
    assert page.paginator.count >= 2
    for v in page.object_list:  # what the list page shows
        _ = (v.procedure.code, v.procedure.department.name, v.edition.name,
             [c.number for c in v.clauses.all()], v.snippet)


def test_a_result_row_is_the_version_as_stored(people, make):
    # Page rows are built from plain rows (results._fetch): every field they show is
    # the stored one, the rest is read on access, the clauses come in the catalogue's
    # order whatever order they were cited in.
    # A clause added last to the catalogue but first in its order (its id is not its place).
    Clause.objects.create(edition=Clause.objects.get(edition__year=2008, number="4.2.3").edition, number="0.1",
                          title_vi="Khái quát", title_en="General")
    made = make("QT-7", "Quy trình đăng ký đất đai", "Hồ sơ đất đai.",
                clauses=("8.2.2", "4.2.3", "0.1", "7.5.3"), dept="b")
    stored = ProcedureVersion.objects.get(pk=made.pk)
    [row] = effective_search(user=fresh(people["staff"]), query="dat dai")[:]
    assert (row.pk, row.revision, row.state, row.edition.year, row.procedure.code,
            row.procedure.get_kind_display(), row.procedure.department.name) == (
        stored.pk, 1, "effective", 2008, "QT-7", "Quy trình", people["officer_b"].department.name)
    for field in ("title", "body", "effective_from", "next_review_due", "change_summary",
                  "author_id", "approved_by_id", "content_sha256", "decision_number"):
        assert getattr(row, field) == getattr(stored, field), field
    assert [(c.number, c.edition_id, c.title_vi) for c in row.clauses.all()] == [
        (number, stored.edition_id, Clause.objects.get(edition__year=2008, number=number).title_vi)
        for number in ("0.1", "4.2.3", "7.5.3", "8.2.2")
    ]


def test_a_version_no_longer_effective_is_not_shown_even_if_the_index_lags(people, make):
    made = make("QT-8", "Quy trình đăng ký đất đai")
    ProcedureVersion.objects.filter(pk=made.pk).update(state="superseded")  # index left as it was
    assert codes(effective_search(user=fresh(people["staff"]), query="dat dai")) == []


@pytest.mark.parametrize("query, queries", [("", 5), ("quy trinh", 5), ("dat dai ho so", 5), ("dat", 6), ("d", 6)])
def test_search_page_costs_the_same_at_2_and_50_rows(people, make, query, queries,
                                                     django_assert_num_queries):
    # Permissions (2), the count, the page's ids, its rows with their clauses (one
    # statement); a ranked query counts and finds the first ids in one statement, after
    # reading the index's generation (the cache's key: nothing cached yet, each make()
    # changes the index); a one-word query also looks for the exact code (1).
    for count in (2, 50):
        for i in range(Procedure.objects.count(), count):
            make(f"QT-{i:03d}", "Quy trình đất đai", "Hồ sơ.", clauses=("4.2.3", "4.2.4"))
        staff = fresh(people["staff"])
        with django_assert_num_queries(queries):
            _show_first_page(staff, query)


def test_the_count_is_capped(people, make, monkeypatch):
    monkeypatch.setattr("procedures.search.results.COUNT_CAP", 3)
    for i in range(5):
        make(f"QT-{i}", "Quy trình đất đai")
    results = effective_search(user=people["staff"], query="dat dai")
    assert results.count() == 4 and results.capped
    assert len(results[0:10]) == 3
    assert not effective_search(user=people["staff"], query="qt-1").capped


# ---------------------------------------------------------------- cached first ids


def _ranked_queries(context) -> int:
    """Statements of a capture that ran the ranked query (or its count)."""
    return sum(" MATCH " in q["sql"] or "@@" in q["sql"] for q in context.captured_queries)


def test_a_repeated_search_reads_its_first_ids_from_the_cache(people, make, django_assert_num_queries):
    make("QT-1", "Quy trình đăng ký đất đai")
    make("QT-2", "Quy trình đất đai khác", "Hồ sơ đất đai.")
    staff = fresh(people["staff"])
    first = codes(effective_search(user=staff, query="dat dai"))
    # The index's generation, then the rows (permissions are cached on the user now).
    with django_assert_num_queries(2):
        assert codes(effective_search(user=staff, query="dat dai")) == first == ["QT-2", "QT-1"]
    # Another query, or the same one with a filter, is searched.
    with CaptureQueriesContext(connection) as context:
        assert codes(effective_search(user=staff, query="dat")) == ["QT-2", "QT-1"]
        assert codes(effective_search(user=staff, query="dat dai", kind="procedure")) == ["QT-2", "QT-1"]
    assert _ranked_queries(context) == 2


def test_a_cached_search_follows_every_change_to_the_index(people, make):
    staff = people["staff"]
    land = make("QT-1", "Quy trình đăng ký đất đai")
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    make("QT-2", "Quy trình đất đai mới")  # through the services
    assert sorted(codes(effective_search(user=staff, query="dat dai"))) == ["QT-1", "QT-2"]
    # Outside the services too: the version is still effective, only the index knows.
    SearchDocument.objects.filter(version_id=land.pk).delete()
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-2"]
    search.rebuild_search_index()
    assert sorted(codes(effective_search(user=staff, query="dat dai"))) == ["QT-1", "QT-2"]
    Procedure.objects.filter(code="QT-2").update(title="Quy trình tiếp nhận")
    search.procedure_search_sync(procedure=Procedure.objects.get(code="QT-2"))
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]


class Rollback(Exception):
    pass


def test_a_change_rolled_back_leaves_no_cached_list_behind(people, make):
    staff = people["staff"]
    make("QT-1", "Quy trình đăng ký đất đai")
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    with pytest.raises(Rollback), transaction.atomic():
        make("QT-2", "Quy trình đất đai mới")
        assert sorted(codes(effective_search(user=staff, query="dat dai"))) == ["QT-1", "QT-2"]  # cached
        raise Rollback
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    # The next change does not find the rolled-back change's list under its own key
    # (a counter would have come back to the same number).
    make("QT-3", "Quy trình tiếp nhận")
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]


def test_a_filtered_search_is_never_cached(people, make):
    # A procedure changes department without its index document changing.
    make("QT-1", "Quy trình đăng ký đất đai")
    dept_a, dept_b = people["officer"].department, people["officer_b"].department
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="dat dai", department=dept_a)) == ["QT-1"]
    Procedure.objects.filter(code="QT-1").update(department=dept_b)
    assert codes(effective_search(user=staff, query="dat dai", department=dept_a)) == []
    assert codes(effective_search(user=staff, query="dat dai", department=dept_b)) == ["QT-1"]


def test_no_cache_when_turned_off(people, make, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    make("QT-1", "Quy trình đăng ký đất đai")
    staff = fresh(people["staff"])
    with CaptureQueriesContext(connection) as context:
        for _ in range(2):
            assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    assert _ranked_queries(context) == 2
    assert not any(search.index.GENERATION_TABLE in q["sql"] for q in context.captured_queries)


def test_ensure_search_index_brings_back_the_generation(people, make):
    # A database from before the generation (or one that lost it): ensure_search_index
    # builds it, and changes to the index bump it again.
    land = make("QT-1", "Quy trình đăng ký đất đai")
    staff = people["staff"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {search.index.GENERATION_TABLE}")
        if connection.vendor == "sqlite":  # and a trigger as it was before the generation
            cursor.execute("DROP TRIGGER procedures_searchfts_ad")
            cursor.execute(search.index.TRIGGERS["procedures_searchfts_ad"].replace(
                search.index.SQLITE_BUMP, ""))
    assert search.ensure_search_index() is True
    assert search.ensure_search_index() is False
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    SearchDocument.objects.filter(version_id=land.pk).delete()
    assert codes(effective_search(user=staff, query="dat dai")) == []


def test_a_cache_that_is_down_costs_a_search_not_the_page(people, make, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    make("QT-1", "Quy trình đăng ký đất đai")
    monkeypatch.setattr("procedures.search.results.cache.get", down)
    monkeypatch.setattr("procedures.search.results.cache.set", down)
    assert codes(effective_search(user=people["staff"], query="dat dai")) == ["QT-1"]
    assert "search cache unavailable" in caplog.text
