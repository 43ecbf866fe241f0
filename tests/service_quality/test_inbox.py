"""The inbox provider and the dashboard panel: missed or at-risk objectives for their
owners (until a nonconformity is raised), review outputs until done."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from qms.inbox import InboxItem
from service_quality import inbox, services

from .conftest import load, row
from .test_objectives import PLAN

pytestmark = pytest.mark.django_db


def objective(cast, field, title):
    return services.objective_create(actor=cast["central"], year=2024, title=title, indicator="late_rate",
                                     scope="field", field=field, comparison="lt", target=Decimal("3"),
                                     owner=cast["officer"], **PLAN)


@pytest.fixture
def owned(cast, fields):
    load(cast["central"], [row("2024-01", received=100, early=80, on_time=10, late=10),
                           row("2024-01", "qldt", "xay-dung", received=100, early=88, on_time=10, late=2)])
    return [objective(cast, fields["land"], "Đất đai trễ hạn dưới 3 %"),        # 10 %: missed
            objective(cast, fields["build"], "Xây dựng trễ hạn dưới 3 %")]     # 2 %: met


def test_missed_objectives_are_in_their_owner_inbox(cast, owned):
    [item] = inbox.inbox_items(user=cast["officer"])
    assert item == InboxItem(
        kind="service_quality.objective",
        title="Mục tiêu chất lượng không đạt: Đất đai trễ hạn dưới 3 %",
        url=f"/quality/objectives/{owned[0].pk}/",
        due=datetime.date(2024, 12, 31),
        detail="10,00 % lũy kế đến tháng 1/2024; chỉ tiêu < 3,00 %",
    )
    assert inbox.inbox_items(user=cast["officer2"]) == []
    services.objective_raise_nonconformity(objective=owned[0], actor=cast["auditor"], owner=cast["officer"],
                                           due_date=datetime.date(2026, 4, 30),
                                           today=datetime.date(2026, 3, 2))
    assert inbox.inbox_items(user=cast["officer"]) == []  # followed in the corrective action now


def test_inbox_count_takes_a_bounded_number_of_queries(cast, fields, owned):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qms.models import User

    counts = []
    for extra in (0, 6):
        for i in range(extra):
            objective(cast, fields["land"], f"Mục tiêu {i}")
        officer = User.objects.get(pk=cast["officer"].pk)  # no cached roles or grants
        with CaptureQueriesContext(connection) as ctx:
            assert inbox.inbox_count(user=officer) == 1 + extra
        counts.append(len(ctx))
    # roles, department, the officer's unit grants (guardian), objectives with readings and
    # nonconformities, figures, outputs: the same at 1 item and at 7
    assert counts[0] == counts[1] <= 12, counts
    staff = User.objects.get(pk=cast["staff"].pk)
    with CaptureQueriesContext(connection) as ctx:
        assert inbox.inbox_count(user=staff) == 0
    assert len(ctx) <= 2


def test_the_dashboard_panel_lists_the_items(cast, owned):
    request = RequestFactory().get("/")
    request.user = cast["officer"]
    html = Template("{% load service_quality_tags %}{% service_quality_dashboard_panel %}").render(
        Context({"request": request}))
    assert "Mục tiêu chất lượng không đạt: Đất đai trễ hạn dưới 3 %" in html
    assert "hạn 31/12/2024" in html
    request.user = cast["staff"]
    html = Template("{% load service_quality_tags %}{% service_quality_dashboard_panel %}").render(
        Context({"request": request}))
    assert html.strip() == ""


def test_missed_objectives_are_on_the_inbox_page_and_in_the_header_count(client, cast, owned):
    from portal.inbox import inbox_count

    client.force_login(cast["officer"])
    html = client.get("/inbox/").content.decode()
    assert "Mục tiêu chất lượng không đạt hoặc có nguy cơ không đạt" in html
    assert "Mục tiêu chất lượng không đạt: Đất đai trễ hạn dưới 3 %" in html
    assert f'href="/quality/objectives/{owned[0].pk}/"' in html
    before = inbox_count(user=cast["officer"])
    services.objective_raise_nonconformity(objective=owned[0], actor=cast["auditor"], owner=cast["officer"],
                                           due_date=datetime.date(2026, 4, 30),
                                           today=datetime.date(2026, 3, 2))
    # The objective leaves the inbox; the corrective action assigned to the officer comes in.
    html = client.get("/inbox/").content.decode()
    assert "Mục tiêu chất lượng không đạt: Đất đai" not in html
    assert inbox_count(user=cast["officer"]) == before  # one objective out, one action in
