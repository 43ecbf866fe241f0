"""Load the demo committee: each app's demo data, in the order the layers stand."""

from django.core.management.base import BaseCommand
from django.db import transaction

from audits import demo as audits_demo
from procedures import demo as procedures_demo
from qms import demo as qms_demo
from service_quality import demo as service_quality_demo

# Each step: seed(*, units, users, password) -> a line saying what it did.
STEPS = [procedures_demo.seed, audits_demo.seed, service_quality_demo.seed]


class Command(BaseCommand):
    help = "Create the demo People's Committee, its users and procedures (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345", help="password of every demo user")

    @transaction.atomic
    def handle(self, *args, password, **options):
        units, users = qms_demo.seed_organisation(password=password)
        self.stdout.write(f"{len(units)} units, {len(users)} users.")
        for step in STEPS:
            self.stdout.write(step(units=units, users=users, password=password))
