"""``manage.py demo_cycle --out DIR``: play a new demo cycle end to end and write its PDFs,
``trust-root.pem`` and ``manifest.json`` to DIR (the contract: DEMO_MANIFEST.md)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Play a new demo cycle end to end through the application's services and write "
            "every signed PDF, trust-root.pem and manifest.json to DIR.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR",
                            help="where to write the PDFs, trust-root.pem and manifest.json")
        parser.add_argument("--without-appeals", action="store_true",
                            help="stop when the objection windows close (no objections, "
                                 "commission or block conclusions)")

    def handle(self, *args, **options):
        from demo.cycle import run_demo_cycle

        started = time.monotonic()
        data = run_demo_cycle(options["out"], log=self.stdout.write,
                              with_appeals=not options["without_appeals"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo cycle {data['cycle_code']}: {len(data['documents'])} documents written to "
            f"{options['out']} in {time.monotonic() - started:.1f} s."))
