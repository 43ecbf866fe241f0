"""The yearly report against figures worked by hand, rounding half up included."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from service_quality import services
from service_quality.rates import pct
from service_quality.selectors.report import Visibility, report_data, report_json

from .conftest import load, row

pytestmark = pytest.mark.django_db

EVERYTHING = Visibility.everything()


def test_pct_rounds_half_up_with_decimals_not_floats():
    assert pct(201, 20000) == Decimal("1.01")      # 1.005: a float gives 1.0
    assert pct(1, 800) == Decimal("0.13")          # 0.125: half-even would give 0.12
    assert pct(1, 16, places=1) == Decimal("6.3")  # 6.25 to one decimal
    assert pct(2, 3) == Decimal("66.67")
    assert pct(5, 0) is None


@pytest.fixture
def year_2024(cast, org, fields):
    """Two months of two departments (figures worked by hand in the tests)."""
    load(cast["central"], [
        row("2024-01", carried=10, received=90, early=60, on_time=20, late=10, overdue=2, l3=5),
        row("2024-02", carried=10, received=50, early=40, on_time=5, late=5, l3=3),
        row("2024-01", "qldt", "xay-dung", carried=4, received=16, early=10, on_time=4, late=1, l3=2),
        row("2024-02", "qldt", "xay-dung", carried=5, received=15, early=12, on_time=2, late=2),
    ])
    services.online_target_set(actor=cast["central"], year=2024, department=org["a"], target=16)
    services.online_target_set(actor=cast["central"], year=2024, department=org["b"], target=4)


def test_report_against_figures_worked_by_hand(year_2024):
    # received = carried into January (10 + 4) + new (90 + 50 + 16 + 15) = 185, not 200
    # resolved = 90 + 50 + 15 + 16 = 171; 171/185 = 92.4324 %
    # early 122/171 = 71.3450 %, on time 31/171 = 18.1287 %, late 18/171 = 10.5263 %
    # online level 3 = 5 + 3 + 2 = 10 of a target 16 + 4 = 20: 50.0 %
    assert report_json(report_data(year=2024, visibility=EVERYTHING)) == {
        "received": 185, "resolved": 171, "resolved_pct": "92.43",
        "early": 122, "early_pct": "71.35", "on_time": 31, "on_time_pct": "18.13",
        "late": 18, "late_pct": "10.53",
        "online_level3": 10, "online_target": 20, "online_target_pct": "50.0",
        "by_field": [
            # land: 10 + 140 = 150 received, 140 resolved (93.33 %): 100 / 25 / 15
            {"field": "dat-dai", "name": "Đất đai", "received": 150, "resolved": 140,
             "resolved_pct": "93.33", "early": 100, "early_pct": "71.43", "on_time": 25,
             "on_time_pct": "17.86", "late": 15, "late_pct": "10.71", "online_level3": 8,
             "online_target": None, "online_target_pct": None},
            # building: 4 + 31 = 35 received, 31 resolved (88.57 %): 22 / 6 / 3
            {"field": "xay-dung", "name": "Xây dựng", "received": 35, "resolved": 31,
             "resolved_pct": "88.57", "early": 22, "early_pct": "70.97", "on_time": 6,
             "on_time_pct": "19.35", "late": 3, "late_pct": "9.68", "online_level3": 2,
             "online_target": None, "online_target_pct": None},
        ],
    }


def test_report_narrowed_to_a_department_uses_its_target(year_2024, org):
    data = report_json(report_data(year=2024, visibility=EVERYTHING, department=org["b"]))
    assert (data["received"], data["resolved"], data["late_pct"]) == (35, 31, "9.68")
    assert (data["online_level3"], data["online_target"], data["online_target_pct"]) == (2, 4, "50.0")


def test_rounding_at_the_half_in_a_report(cast, fields, org):
    # late 1 of 800 resolved = 0.125 % -> 0.13; early 799/800 = 99.875 % -> 99.88;
    # online 1 of a target of 16 = 6.25 % -> 6.3
    load(cast["central"], [row("2025-03", carried=0, received=800, early=799, on_time=0, late=1, l3=1)])
    services.online_target_set(actor=cast["central"], year=2025, department=org["a"], target=16)
    data = report_json(report_data(year=2025, visibility=EVERYTHING))
    assert (data["late_pct"], data["early_pct"], data["on_time_pct"], data["resolved_pct"]) == (
        "0.13", "99.88", "0.00", "100.00")
    assert data["online_target_pct"] == "6.3"


def test_an_empty_year_has_no_percentages(cast, fields):
    data = report_json(report_data(year=2030, visibility=EVERYTHING))
    assert data == {"received": 0, "resolved": 0, "resolved_pct": None, "early": 0, "early_pct": None,
                    "on_time": 0, "on_time_pct": None, "late": 0, "late_pct": None, "online_level3": 0,
                    "online_target": None, "online_target_pct": None, "by_field": []}


def test_command_prints_the_json_contract(year_2024, capsys):
    call_command("dossier_report", "--year", "2024", "--department", "QLDT", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["received", "resolved", "resolved_pct", "early", "early_pct", "on_time",
                          "on_time_pct", "late", "late_pct", "online_level3", "online_target",
                          "online_target_pct", "by_field"]
    assert data["received"] == 35 and data["by_field"][0]["field"] == "xay-dung"


def test_command_text_is_vietnamese_with_vietnamese_numbers(year_2024, capsys):
    call_command("dossier_report", "--year", "2024", "--field", "dat-dai")
    out = capsys.readouterr().out
    assert "Kết quả giải quyết hồ sơ năm 2024 — Đất đai" in out
    assert "Đã giải quyết: 140 (93,33 %)" in out


@pytest.mark.parametrize("args, message", [
    (["--year", "2024", "--department", "xyz"], "Không có đơn vị mã “xyz”."),
    (["--year", "2024", "--field", "nope"], "Không có lĩnh vực mã “nope”."),
    (["--year", "1800"], "Năm 1800 không hợp lệ."),
])
def test_command_refuses_bad_arguments(year_2024, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("dossier_report", *args)


def test_report_query_count_is_the_same_at_2_and_50_rows(cast, fields, org):
    extra = [services.field_create(actor=cast["central"], code=f"f{i}", name=f"Lĩnh vực {i}",
                                   department=org["a"]) for i in range(5)]
    load(cast["central"], [row("2023-01", field="f0"), row("2023-02", field="f0", carried=5, early=85)])
    # 2024: 5 fields x 10 months = 50 rows, each month carrying the last one's 5 pending
    load(cast["central"], [row(f"2024-{m:02d}", field=f.code, carried=0 if m == 1 else 5,
                               early=80 if m == 1 else 85)
                           for f in extra for m in range(1, 11)])
    counts = []
    for year, expected_rows in ((2023, 2), (2024, 50)):
        with CaptureQueriesContext(connection) as ctx:
            data = report_data(year=year, visibility=EVERYTHING)
        assert data["row_count"] == expected_rows
        counts.append(len(ctx))
    # rows of both years, field names, targets, published months
    assert counts == [4, 4]
