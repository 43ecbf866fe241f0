"""Print the correspondence between the 2008 and 2015 editions of ISO 9001."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from edition_migration import selectors


class Command(BaseCommand):
    help = (
        "Print which clauses of one ISO 9001 edition correspond to which of the other. "
        "JSON is one object {\"4.2.3\": [\"7.5.2\", \"7.5.3\"], ...}; --from 2015 --to 2008 "
        "gives the reverse, where [] marks a 2015 requirement with no 2008 source. "
        "CSV has one row per pair: from,to,kind,note_vi,note_en."
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", metavar="NUMBER", help="clauses (default: all)")
        parser.add_argument("--from", dest="source", type=int, default=2008, choices=[2008, 2015])
        parser.add_argument("--to", dest="target", type=int, default=2015, choices=[2008, 2015])
        parser.add_argument("--format", default="json", choices=["json", "csv"])

    def handle(self, *args, numbers, source, target, format, **options):
        if source == target:
            raise CommandError(_("--from và --to phải là hai phiên bản khác nhau."))
        numbers = [n.strip() for n in numbers if n.strip()]
        if format == "json":
            mapping = selectors.clause_map(source=source, target=target, numbers=numbers)
            self.stdout.write(json.dumps(mapping, ensure_ascii=False))
            return
        rows = selectors.clause_map_rows(source=source, target=target, numbers=numbers)
        writer = csv.DictWriter(
            self.stdout, fieldnames=["from", "to", "kind", "note_vi", "note_en"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
