from django.core.management.base import BaseCommand

from demo.seed import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print one demo login per role (for make run)."

    def handle(self, *args, **options):
        self.stdout.write(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"    {username:<22} {role}")
