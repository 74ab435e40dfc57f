"""scripts/i18n.py runs makemessages with --no-fuzzy-matching: msgmerge must not guess."""

from django.core.management import load_command_class
from django.core.management.commands import makemessages as django_makemessages


def test_no_fuzzy_matching_reaches_msgmerge(monkeypatch):
    seen = {}

    def fake_handle(self, *args, **options):
        seen["msgmerge"] = list(self.msgmerge_options)

    monkeypatch.setattr(django_makemessages.Command, "handle", fake_handle)
    command = load_command_class("assessments", "makemessages")
    parser = command.create_parser("manage.py", "makemessages")
    options = vars(parser.parse_args(["--no-fuzzy-matching", "-l", "kk"]))
    command.handle(**options)
    assert "--no-fuzzy-matching" in seen["msgmerge"]
    command = load_command_class("assessments", "makemessages")
    command.handle(**vars(parser.parse_args(["-l", "kk"])))
    assert "--no-fuzzy-matching" not in seen["msgmerge"]


def test_the_script_asks_for_it():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "scripts" / "i18n.py").read_text()
    assert '"--no-fuzzy-matching"' in script
