"""seed_demo loads 2017 and 2018 whose totals are the committee's yearly review."""

import json
from collections import defaultdict

import pytest
from django.core.management import call_command

from qms.models import Sector, User
from service_quality import inbox
from service_quality.models import (
    DossierStat,
    ManagementReview,
    QualityObjective,
    ReviewOutput,
    SatisfactionSurvey,
)
from service_quality.selectors.objectives import with_status
from service_quality.selectors.report import Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "pw-demo-2026")


def test_2017_totals_are_the_yearly_review_figures(demo, capsys):
    capsys.readouterr()
    call_command("dossier_report", "--year", "2017", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    # Worked by hand: 317 carried into January + 65,112 new = 65,429 received;
    # resolved 53,038 + 7,614 + 4,476 = 65,128 = 99.5415 % -> 99.54;
    # 53,038 / 65,128 = 81.4366 % -> 81.44; 7,614 / 65,128 = 11.6908 % -> 11.69;
    # 4,476 / 65,128 = 6.8726 % -> 6.87; online 1,256 / 1,767 = 71.081 % -> 71.1.
    assert {k: v for k, v in data.items() if k != "by_field"} == {
        "received": 65429, "resolved": 65128, "resolved_pct": "99.54",
        "early": 53038, "early_pct": "81.44", "on_time": 7614, "on_time_pct": "11.69",
        "late": 4476, "late_pct": "6.87",
        "online_level3": 1256, "online_target": 1767, "online_target_pct": "71.1",
    }
    late = {f["field"]: f["late"] for f in data["by_field"]}
    # Late mostly in land: 3,102 of 4,476.
    assert late == {"cong-thuong": 87, "dat-dai": 3102, "giao-duc": 91, "ho-tich": 95, "kinh-te": 151,
                    "ldtbxh": 296, "moi-truong": 64, "tu-phap": 178, "xay-dung": 412}
    assert late["dat-dai"] * 2 > data["late"]


def test_every_demo_row_balances_and_carries_over(demo):
    rows = list(DossierStat.objects.order_by("department", "field", "year", "month"))
    assert len(rows) == 2 * 12 * 9
    series = defaultdict(list)
    for r in rows:
        assert r.carried_over + r.received == r.resolved + r.pending_in_time + r.pending_overdue, r
        assert r.received_online_l3 + r.received_online_l4 <= r.received
        series[(r.department_id, r.field_id)].append(r)
    for months in series.values():
        assert [(m.year, m.month) for m in months] == [(y, m) for y in (2017, 2018) for m in range(1, 13)]
        for before, after in zip(months, months[1:], strict=False):
            assert after.carried_over == before.pending_in_time + before.pending_overdue, after


def test_the_demo_has_the_fields_objectives_surveys_and_a_review_once(demo):
    assert set(Sector.objects.values_list("code", flat=True)) >= {
        "dat-dai", "xay-dung", "moi-truong", "ldtbxh", "cong-thuong", "tu-phap", "ho-tich", "kinh-te",
        "giao-duc"}
    assert Sector.objects.get(code="dat-dai").procedures.filter(code="QT-TNMT-01").exists()
    objectives = with_status(QualityObjective.objects.filter(year=2018, indicator="late_rate")
                             .select_related("field"), visibility=Visibility.everything())
    # 2018 late rates (by hand from demo.YEAR_2018): environment 22/949 = 2.32 %, building
    # 137/3,306 = 4.14 %, labour 158/5,798 = 2.73 % but December 33/636 = 5.19 %,
    # industry-trade 41/1,899 = 2.16 %, justice 190/29,502 = 0.64 %.
    assert {o.field.code: (str(o.state["value"]), o.state["status"]) for o in objectives} == {
        "moi-truong": ("2.32", "met"), "xay-dung": ("4.14", "missed"), "ldtbxh": ("2.73", "at_risk"),
        "cong-thuong": ("2.16", "met"), "tu-phap": ("0.64", "met")}
    assert all(o.target_text == "< 3,00 %" for o in objectives)
    assert SatisfactionSurvey.objects.filter(year=2017).count() == 12
    review = ManagementReview.objects.get()
    assert (review.state, review.outputs.count(), review.inputs["timeliness"]["totals"]["received"]) == (
        "closed", 3, 65429)
    counts = (DossierStat.objects.count(), DossierStat.history.count(), ReviewOutput.objects.count(),
              QualityObjective.objects.count(), SatisfactionSurvey.objects.count())
    call_command("seed_demo", "--password", "pw-demo-2026")
    assert counts == (DossierStat.objects.count(), DossierStat.history.count(), ReviewOutput.objects.count(),
                      QualityObjective.objects.count(), SatisfactionSurvey.objects.count())


def test_the_demo_inboxes(demo):
    kinds = {name: [i.kind for i in inbox.inbox_items(user=User.objects.get(username=name))]
             for name in ("officer_qldt", "officer_ldtbxh", "officer_tnmt", "officer_mc", "staff")}
    assert kinds == {
        "officer_qldt": ["service_quality.objective"],       # building: missed
        "officer_ldtbxh": ["service_quality.objective"],     # labour: at risk
        "officer_tnmt": [],                                  # environment met; its output done
        "officer_mc": ["service_quality.review_output"],     # QT-MC-01 revision, open
        "staff": [],
    }
    assert inbox.inbox_count(user=User.objects.get(username="officer_qldt")) == 1
