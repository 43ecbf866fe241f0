"""Load the demo committee: each app's demo data, in the order the layers stand."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audits import demo as audits_demo
from procedures import demo as procedures_demo
from qms import demo as qms_demo
from service_quality import demo as service_quality_demo

# Each step: seed(*, units, users, password) -> a line saying what it did.
# The same as the Makefile's DEMO_PASSWORD; the password validators accept it.
DEMO_PASSWORD = "demo-iso-9001"

STEPS = [procedures_demo.seed, audits_demo.seed, service_quality_demo.seed]


class Command(BaseCommand):
    help = "Create the demo People's Committee, its users and procedures (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="password of every demo user")

    def handle(self, *args, password, **options):
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self._seed(password)

    @transaction.atomic
    def _seed(self, password):
        units, users = qms_demo.seed_organisation(password=password)
        self.stdout.write(f"{len(units)} units, {len(users)} users.")
        for step in STEPS:
            self.stdout.write(step(units=units, users=users, password=password))
