"""``assessments`` does not depend on ``appeals``: the appeals app hooks into conclusions through
the conclusions' events (``assessments.conclusions.signals``), never the other way round. An
import counts whether it is written as ``import``/``from … import`` or passed as a string to
``import_module``, ``import_string`` or ``apps.get_model``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assessments"
STRING_IMPORTERS = {"import_module", "import_string", "get_model"}


def _is_appeals(name: str | None) -> bool:
    return bool(name) and (name == "appeals" or name.startswith("appeals."))


def appeals_imports(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` of each import of ``appeals`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_appeals(a.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and _is_appeals(node.module):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in STRING_IMPORTERS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and _is_appeals(
                    first.value):
                found.append((node.lineno, f"{name}({first.value!r})"))
    return found


def test_the_scan_sees_every_way_of_importing():
    source = """
import appeals
import appeals.services as s
from appeals import services
from appeals.services.filing import objection_file
from importlib import import_module
import_module("appeals.services")
from django.utils.module_loading import import_string
import_string("appeals.services.objection_file")
from django.apps import apps
apps.get_model("appeals", "Objection")
apps.get_model("appeals.Objection")
import appealsx
from .appeals import x
apps.get_model("assessments", "Conclusion")
"""
    assert [line for line, _what in appeals_imports(source)] == [2, 3, 4, 5, 7, 9, 11, 12]


def test_assessments_does_not_import_appeals():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for line, what in appeals_imports(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{line}: {what}")
    assert offenders == []
