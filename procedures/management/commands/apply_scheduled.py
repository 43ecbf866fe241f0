from django.core.management.base import BaseCommand

from procedures.services import versions_apply_scheduled
from qms.actors import system_user


class Command(BaseCommand):
    help = "Make effective every approved version whose effective date has come (run daily)."

    def handle(self, *args, **options):
        done = versions_apply_scheduled(actor=system_user())
        for version in done:
            self.stdout.write(f"{version.procedure.code} rev. {version.revision}: effective")
        self.stdout.write(f"{len(done)} version(s) made effective.")
