"""Both clause catalogues and their correspondence are in every database."""

import pytest

from qms.models import Clause, ClauseCorrespondence

pytestmark = pytest.mark.django_db


def numbers(year):
    return set(Clause.objects.filter(edition__year=year).values_list("number", flat=True))


def test_2008_catalogue_covers_clauses_4_to_8_to_the_third_level():
    found = numbers(2008)
    # Issue 9: clause 1.2 (Application: the exclusions) is in the catalogue too, under 1.
    assert {n.split(".")[0] for n in found} == {"1", "4", "5", "6", "7", "8"}
    assert {"1", "1.2"} <= found
    for number in ["4.2.3", "4.2.4", "5.5.2", "7.5.1", "7.6", "8.2.2", "8.3", "8.5.2", "8.5.3"]:
        assert number in found
    assert max(n.count(".") for n in found) == 2


def test_2015_catalogue_covers_clauses_4_to_10_with_fourth_levels():
    found = numbers(2015)
    assert {n.split(".")[0] for n in found} == {"4", "5", "6", "7", "8", "9", "10"}
    for number in ["4.1", "4.2", "6.1", "7.1.6", "7.1.5.1", "7.1.5.2", "7.5.3.1", "7.5.3.2", "10.2"]:
        assert number in found


def test_titles_in_both_languages():
    clause = Clause.objects.get(edition__year=2008, number="4.2.3")
    assert (clause.title_vi, clause.title_en) == ("Kiểm soát tài liệu", "Control of documents")
    clause = Clause.objects.get(edition__year=2015, number="7.1.6")
    assert clause.title_en == "Organizational knowledge"
    assert clause.title_vi == "Tri thức của tổ chức"


def test_every_clause_has_its_parent():
    for clause in Clause.objects.select_related("parent"):
        if "." in clause.number:
            assert clause.parent.number == clause.number.rsplit(".", 1)[0]
            assert clause.parent.edition_id == clause.edition_id
        else:
            assert clause.parent is None


def test_clauses_sort_in_clause_order():
    ordered = list(Clause.objects.filter(edition__year=2015).values_list("number", flat=True))
    assert ordered.index("7.1.5.1") < ordered.index("7.1.6") < ordered.index("10")
    assert ordered.index("9.3") < ordered.index("10")


def test_correspondence_of_document_control_and_preventive_action():
    def targets(number):
        return set(
            ClauseCorrespondence.objects.filter(source__number=number).values_list(
                "target__number", flat=True
            )
        )

    assert {"7.5.2", "7.5.3"} <= targets("4.2.3")
    assert "6.1" in {t[:3] for t in targets("8.5.3")}
    assert all(c.source.edition.year == 2008 and c.target.edition.year == 2015
               for c in ClauseCorrespondence.objects.select_related("source__edition", "target__edition"))


def test_new_2015_requirements_have_no_2008_source():
    new = set(
        Clause.objects.filter(edition__year=2015, correspondences_in__isnull=True).values_list(
            "number", flat=True
        )
    )
    assert "7.1.6" in new


def test_application_of_2008_maps_to_the_scope_of_2015_in_part():
    rows = ClauseCorrespondence.objects.filter(source__number="1.2").values_list("target__number", "kind")
    assert list(rows) == [("4.3", "partial")]
