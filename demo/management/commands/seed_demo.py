from django.core.management.base import BaseCommand
from django.db import transaction

from demo.steps import DEMO_STEPS


class Command(BaseCommand):
    help = "Load the demo data (idempotent: a second run neither fails nor duplicates)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for step in DEMO_STEPS:
                step()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
