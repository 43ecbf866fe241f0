"""Repair stored procedure codes that could break a URL (a "/" saved before the rule).

Each bad code becomes a good one (other characters → "-", kept unique with a
suffix), and the change is written to the procedure's history with its reason.
"""

import re

from django.db import migrations
from django.utils import timezone

GOOD = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def _repaired(code, taken):
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", code).lstrip("._-")[:40].rstrip("-") or "MA"
    candidate, n = base, 1
    while candidate.upper() in taken:
        n += 1
        suffix = "-" + str(n)
        candidate = base[: 40 - len(suffix)] + suffix
    return candidate


def repair_codes(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Historical = apps.get_model("procedures", "HistoricalProcedure")
    taken = {c.upper() for c in Procedure.objects.values_list("code", flat=True)}
    concrete = [f for f in Procedure._meta.concrete_fields]
    for procedure in Procedure.objects.order_by("pk"):
        if GOOD.match(procedure.code):
            continue
        old = procedure.code
        procedure.code = _repaired(old, taken)
        taken.add(procedure.code.upper())
        procedure.save(update_fields=["code"])
        Historical.objects.create(
            **{f.attname: getattr(procedure, f.attname) for f in concrete},
            history_date=timezone.now(),
            history_type="~",
            history_user=None,
            history_change_reason=("Sửa mã số không hợp lệ: " + old)[:100],
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0013_accesslog_copy_number")]

    operations = [migrations.RunPython(repair_codes, migrations.RunPython.noop)]
