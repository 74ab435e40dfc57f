"""Refresh the translation catalogues from the sources and the translation fragments.

Interface strings are written in Russian (the default language) in the code and templates;
``locale/fragments/<area>.<lang>.json`` hold their Kazakh and English translations as
``{"Russian msgid": "translation"}`` (one file per area, so parallel work doesn't collide).

    .venv/bin/python scripts/i18n.py          # makemessages + fill from fragments + compile
    .venv/bin/python scripts/i18n.py --check  # exit 1 listing msgids without a translation
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("kk", "en")
IGNORE = [".venv", "var", "tests", "benchmarks", "scripts", "node_modules"]


def load_fragments(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((ROOT / "locale" / "fragments").glob(f"*.{lang}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def main() -> int:
    check = "--check" in sys.argv
    python = sys.executable
    # --no-fuzzy-matching: msgmerge's guesses for new msgids (copied from a similar msgid) are
    # not translations; without it they were counted as translated and compiled as such.
    args = [python, "manage.py", "makemessages", "--no-obsolete", "--no-fuzzy-matching",
            "-v", "0"]
    for lang in LANGS:
        args += ["-l", lang]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=ROOT, check=True)
    missing: dict[str, list[str]] = {}
    for lang in LANGS:
        table = load_fragments(lang)
        po_path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        po.metadata["Language"] = lang
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
        for entry in po:
            key = entry.msgid
            if key in table:
                entry.msgstr = table[key]
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: table[key], 1: table.get(entry.msgid_plural,
                                                                       table[key])}
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif not entry.msgstr or "fuzzy" in entry.flags:
                # a fuzzy entry left from an earlier run is not compiled: still untranslated
                missing.setdefault(lang, []).append(key)
        po.save(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    if missing:
        for lang, keys in missing.items():
            print(f"{lang}: {len(keys)} msgid(s) without a translation", file=sys.stderr)
            for key in keys[:200]:
                print(f"  {key!r}", file=sys.stderr)
        return 1 if check else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
