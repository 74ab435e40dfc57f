"""Django's ``makemessages`` with ``--no-fuzzy-matching`` (passed on to ``msgmerge``).

Without it ``msgmerge`` fills a new msgid with the translation of a similar one and flags it
fuzzy; ``scripts/i18n.py`` then counted such guesses as translated. Django has no option for
this; its documented way is a project command overriding ``msgmerge_options``.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-fuzzy-matching", action="store_true", dest="no_fuzzy_matching",
            help="Do not let msgmerge guess translations of new msgids from similar ones.",
        )

    def handle(self, *args, **options):
        if options.get("no_fuzzy_matching"):
            self.msgmerge_options = [*self.msgmerge_options, "--no-fuzzy-matching"]
        return super().handle(*args, **options)
