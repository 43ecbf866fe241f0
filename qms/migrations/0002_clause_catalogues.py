"""Load both editions, their clause catalogues and the 2008 → 2015 correspondence.

Reads the JSON files under qms/data/ as they stand when the migration runs.
Corrections to those files after this migration has landed belong in a new
migration, so that databases migrated earlier get them too.
"""

import json
import unicodedata
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _nfc(text):
    return unicodedata.normalize("NFC", text or "")


def _sort_key(number):
    return ".".join(part.zfill(3) for part in number.split("."))


def load(apps, schema_editor):
    Edition = apps.get_model("qms", "Edition")
    Clause = apps.get_model("qms", "Clause")
    Correspondence = apps.get_model("qms", "ClauseCorrespondence")
    by_year = {}
    for year, name, filename in (
        (2008, "ISO 9001:2008", "iso9001_2008.json"),
        (2015, "ISO 9001:2015", "iso9001_2015.json"),
    ):
        edition, _ = Edition.objects.get_or_create(year=year, defaults={"name": name})
        clauses = {}
        # Parents before children: sorting by depth then number.
        rows = sorted(_load(filename), key=lambda r: (r["number"].count("."), _sort_key(r["number"])))
        for row in rows:
            number = row["number"]
            parent = clauses.get(number.rsplit(".", 1)[0]) if "." in number else None
            clauses[number], _ = Clause.objects.update_or_create(
                edition=edition,
                number=number,
                defaults={
                    "title_vi": _nfc(row["title_vi"]),
                    "title_en": row["title_en"],
                    "parent": parent,
                    "sort_key": _sort_key(number),
                },
            )
        by_year[year] = clauses
    for row in _load("correspondence_2008_2015.json"):
        Correspondence.objects.update_or_create(
            source=by_year[2008][row["from"]],
            target=by_year[2015][row["to"]],
            defaults={
                "kind": row["kind"],
                "note_vi": _nfc(row.get("note_vi", "")),
                "note_en": row.get("note_en", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("qms", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
