"""``python manage.py score_case CASE.json|-`` and ``--jsonl FILE|-`` (SCORING_IO.md).

A thin wrapper: all the work is in :mod:`assessments.scoring.cli`, which needs no database and no
Django. Django starts once per process, so a ``--jsonl`` batch pays it once and streams its lines.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from assessments.scoring.cli import dispatch


class Command(BaseCommand):
    help = (
        "Score one case (JSON) and print the result; or, with --jsonl, one case per line. "
        "Exit status 2 on invalid input (the JSON path and the reason go to stderr)."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("case", nargs="?", help="CASE.json, or - for standard input")
        parser.add_argument(
            "--jsonl", metavar="FILE", help="one case per line (FILE, or - for standard input)"
        )
        parser.add_argument("--indent", type=int, default=None, help="pretty-print a single result")

    def handle(self, *args, **options) -> None:
        stdin = options.get("stdin") or sys.stdin
        # write to the underlying streams: results are already complete lines
        stdout = getattr(self.stdout, "_out", self.stdout)
        stderr = getattr(self.stderr, "_out", self.stderr)
        status = dispatch(
            options.get("case"), options.get("jsonl"), stdin, stdout, stderr, options["indent"]
        )
        stdout.flush()
        if status:
            sys.exit(status)
