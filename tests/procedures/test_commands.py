import datetime

import pytest
from django.core.management import call_command

from procedures.models import State
from tests.factories import effective

pytestmark = pytest.mark.django_db


def test_apply_scheduled_is_safe_to_run_twice(people, capsys, monkeypatch):
    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version = effective(author=people["officer"], approver=people["approver"], effective_from=tomorrow)
    call_command("apply_scheduled")
    assert "0 version(s) made effective." in capsys.readouterr().out
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    call_command("apply_scheduled")
    assert f"{version.procedure.code} rev. 1: effective" in capsys.readouterr().out
    call_command("apply_scheduled")
    assert "0 version(s) made effective." in capsys.readouterr().out
    version.refresh_from_db()
    assert version.state == State.EFFECTIVE
    record = version.history.order_by("-history_date", "-history_id").first()
    assert record.history_user.username == "system"
