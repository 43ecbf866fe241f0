"""Point 1: the correspondence, printed both ways by `clause_map`."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from qms.models import Clause

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("clause_map", *args, stdout=out)
    return out.getvalue()


def test_json_is_one_object_of_the_named_clauses():
    data = json.loads(run("4.2.3", "8.5.3", "5.5.1", "--from", "2008", "--to", "2015", "--format", "json"))
    assert data == {"4.2.3": ["7.5.2", "7.5.3"], "8.5.3": ["6.1", "10.3"], "5.5.1": ["5.3"]}


def test_without_numbers_every_2008_clause_has_a_2015_target():
    data = json.loads(run("--from", "2008", "--to", "2015"))
    assert set(data) == set(Clause.objects.filter(edition__year=2008).values_list("number", flat=True))
    assert all(data.values())
    assert data["7.6"] == ["7.1.5"]  # monitoring and measuring equipment → resources


def test_reverse_direction_and_new_requirements():
    data = json.loads(run("7.5.3", "6.1", "7.1.6", "--from", "2015", "--to", "2008"))
    assert data == {"7.5.3": ["4.2.3", "4.2.4"], "6.1": ["5.4.2", "8.5.3"], "7.1.6": []}


def test_reverse_of_forward_is_consistent():
    forward = json.loads(run("--from", "2008", "--to", "2015"))
    backward = json.loads(run("--from", "2015", "--to", "2008"))
    for source, targets in forward.items():
        for target in targets:
            assert source in backward[target] or any(source.startswith(s + ".") for s in backward[target])


def test_csv_has_kind_and_note_per_pair():
    rows = list(csv.DictReader(io.StringIO(run("8.2.2", "5.5.1", "--format", "csv"))))
    assert [(r["from"], r["to"], r["kind"]) for r in rows] == [
        ("8.2.2", "9.2", "equivalent"),  # internal audit carries over whole (issue 9)
        ("5.5.1", "5.3", "equivalent"),
    ]
    assert rows[0]["note_vi"].startswith("Không bắt buộc thủ tục dạng văn bản")


def test_csv_reverse_marks_new_requirement():
    rows = list(csv.DictReader(io.StringIO(run("7.1.6", "--from", "2015", "--to", "2008", "--format", "csv"))))
    assert rows == [{"from": "7.1.6", "to": "", "kind": "new", "note_vi": "", "note_en": ""}]


def test_same_edition_both_sides_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="phải là hai phiên bản khác nhau"):  # issue 9 point 16
        run("--from", "2008", "--to", "2008")
