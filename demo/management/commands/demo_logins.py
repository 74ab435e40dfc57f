from django.core.management.base import BaseCommand

from assessments import demo


class Command(BaseCommand):
    help = "Print one demo login per role (for make run)."

    def handle(self, *args, **options):
        self.stdout.write(f"  Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, role in demo.DEMO_LOGINS:
            self.stdout.write(f"    {username:<22} {role}")
