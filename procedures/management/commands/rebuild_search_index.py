from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from procedures.search import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the effective versions."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        def progress(done):
            self.stdout.write(f"{done} ...", ending="\r")
            self.stdout.flush()

        count = rebuild_search_index(options["database"], progress=progress)
        self.stdout.write(f"{count} effective version(s) indexed.")
