"""Search of effective procedures: folding, ranking, filters, visibility, odd input, cost."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection

from procedures import search, services
from procedures.models import Procedure
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


def test_d_finds_the_barred_d(people, corpus):
    # QT-MC-01's only "d" is the "đ" of "đơn"; QT-VP-01 has neither.
    found = codes(effective_search(user=people["staff"], query="d"))
    assert "QT-MC-01" in found
    assert "QT-VP-01" not in found
    assert codes(effective_search(user=people["staff"], query="Đ")) == found


# ---------------------------------------------------------------- ranking


def test_title_phrase_then_title_words_then_body_ties_by_code(people, make):
    make("QT-D", "Quy trình đất đai")
    make("QT-A", "Quy trình đai và đất")
    make("QT-B", "Quy trình khác", "Hồ sơ về đất đai.")
    make("QT-C", "Quy trình Đất Đai")
    make("QT-E", "Không liên quan")
    assert codes(effective_search(user=people["staff"], query="đất đai")) == [
        "QT-C", "QT-D", "QT-A", "QT-B"
    ]


def test_exact_code_then_code_prefix_then_mentions(people, make):
    make("QT-A-01", "Quy trình một", "Xem thêm QT-X-01.")
    make("QT-X-010", "Quy trình hai")
    make("QT-X-01", "Quy trình ba")
    assert codes(effective_search(user=people["staff"], query="qt-x-01")) == [
        "QT-X-01", "QT-X-010", "QT-A-01"
    ]


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
    assert codes(effective_search(user=staff, query="tai lieu", clause=clause(2008, "4.2"))) == [
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
    assert codes(effective_search(user=staff, query="cũ")) == ["QT-1"]
    assert codes(effective_search(user=staff, query="thẩm định")) == []  # still a draft
    approve(second, approver=approver)
    make_effective(second, actor=officer)
    assert codes(effective_search(user=staff, query="cũ")) == []
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
    "query",
    [
        "a%b", "a_b", "'; DROP TABLE procedures_procedure; --", "\" OR 1=1 --",
        'đất"đai', "a\\b", "NEAR(đất đai)", "đất* OR đai", "{search_text}:dat",
    ],
)
def test_wildcards_quotes_and_sql_are_plain_text(people, corpus, make, query):
    make("QT-Z", "Ghi chú", "Các ký hiệu axb, a-b và axxb.")
    assert codes(effective_search(user=people["staff"], query=query)) == []
    assert Procedure.objects.count() == 5


def test_literal_underscore_and_percent_are_found(people, make):
    make("QT-1", "Chỉ tiêu", "Tỷ lệ đạt 100% và mã hs_01.")
    make("QT-2", "Chỉ tiêu khác", "Tỷ lệ đạt 1000 và mã hsx01.")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="hs_01")) == ["QT-1"]
    assert codes(effective_search(user=staff, query="100%")) == ["QT-1", "QT-2"]  # "100"


def test_quotes_and_nul_around_words_are_dropped(people, corpus):
    staff = people["staff"]
    assert codes(effective_search(user=staff, query='"đất đai"')) == ["QT-TNMT-01"]
    assert codes(effective_search(user=staff, query="đất\x00đai")) == ["QT-TNMT-01"]
    assert codes(effective_search(user=staff, query="(đất), đai!")) == ["QT-TNMT-01"]


def test_an_over_long_query_is_cut_not_refused(people, corpus):
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="đất " * 5000)) == ["QT-TNMT-01"]
    # 200 characters, then 10 words: what follows is not searched.
    assert codes(effective_search(user=staff, query="đất " * 60 + "xyz")) == ["QT-TNMT-01"]
    ten = "quy trinh dang ky dat dai quy1 trinh1 dang1 ky1"
    assert search.query_words(ten + " w11 w12") == search.query_words(ten + " w13")


# ---------------------------------------------------------------- the index


QUERIES = ["dat dai", "d", "ho so", "xa", "qt", "giay phep", "a", "tiep nhan don", "zz", "01"]


def test_index_and_plain_like_give_the_same_rows(people, corpus):
    staff = people["staff"]
    for query in QUERIES:
        results = effective_search(user=staff, query=query)
        with_index = sorted(pk for pk, *_ in results._matches(use_index=True))
        without = sorted(pk for pk, *_ in results._matches(use_index=False))
        assert with_index == without, query


def test_a_word_at_the_very_end_of_the_text_is_found(people, make):
    make("TD-1", "Tiêu đề", "kết thúc bằng xo")
    make("TD-2", "Tiêu đề", "kết thúc bằng q")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="xo")) == ["TD-1"]
    assert codes(effective_search(user=staff, query="q")) == ["TD-2"]


def test_ensure_search_index_repairs_lost_triggers_on_sqlite(people, make):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite index")
    make("QT-1", "Quy trình đất đai")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER procedures_search_au")  # as a table rebuild would
    make("QT-2", "Quy trình đất đai mới")
    staff = people["staff"]
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1"]
    assert search.ensure_search_index() is True
    assert codes(effective_search(user=staff, query="dat dai")) == ["QT-1", "QT-2"]
    assert search.ensure_search_index() is False


def test_post_migrate_receiver_repairs_the_index(people, make):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite index")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER procedures_search_ai")
        cursor.execute("DROP INDEX procedures_search_state_proc")
    search.on_post_migrate(sender=None, using="default")
    make("QT-1", "Quy trình đất đai")
    assert codes(effective_search(user=people["staff"], query="dat dai")) == ["QT-1"]
    assert search.ensure_search_index() is False


def test_search_still_works_without_the_sqlite_index(people, corpus):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite index")
    search.drop_search_index()
    assert codes(effective_search(user=people["staff"], query="ĐẤT ĐAI")) == ["QT-TNMT-01"]
    search.ensure_search_index()
    assert codes(effective_search(user=people["staff"], query="ĐẤT ĐAI")) == ["QT-TNMT-01"]


def test_postgresql_has_the_trigram_index(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX])
        assert cursor.fetchone() == (1,)


# ---------------------------------------------------------------- cost


def _show_first_page(user, query) -> None:
    page = Paginator(effective_search(user=user, query=query), 20).get_page(1)
    assert page.paginator.count >= 2
    for v in page.object_list:  # what the list page shows
        _ = (v.procedure.code, v.procedure.department.name, v.edition.name,
             [c.number for c in v.clauses.all()])


@pytest.mark.parametrize("query", ["", "quy trinh", "dat dai ho so"])
def test_search_page_costs_the_same_at_2_and_50_rows(people, make, query, django_assert_num_queries):
    # Permissions (2), the matches, the page's rows, their clauses.
    for count in (2, 50):
        for i in range(Procedure.objects.count(), count):
            make(f"QT-{i:03d}", "Quy trình đất đai", "Hồ sơ.", clauses=("4.2.3", "4.2.4"))
        staff = fresh(people["staff"])
        with django_assert_num_queries(5):
            _show_first_page(staff, query)
