"""The rules of the house, checked on every run (README, "Architecture"; docs/architecture.md).

* The scoring engine imports neither Django nor any other part of the project.
* ``assessments`` never imports ``appeals`` (appeals hook into conclusions through events) nor
  the demo; ``reporting`` imports of ``assessments`` only the kernel, the models and the engine.
* The kernel imports no feature package.
* A feature package reaches another only through its public modules: ``services``,
  ``selectors``, ``tasks`` and ``signals``, plus the read-only descriptions other features share
  (submission's ``report_schema`` and ``imports``, scores' ``fields``).

The static import graph is checked by import-linter (the contracts in pyproject.toml, indirect
imports included); the feature rule, private names taken across features, reporting's whitelist
and crossings through strings (``apps.get_model`` with positional or keyword arguments,
``import_string``, ``import_module`` with an f-string, ``__import__``, ``get_app_config``, a
dotted path into another app anywhere, task names) by the AST scan below, which also covers
modules added after the contracts were written; the assessments' templates load no other app's
tag library (pages show other apps' panels through ``assessments.kernel.panels``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.worlds.imports_scan import targets

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("kernel", "portal", "registry", "submission", "scores", "reverification",
            "conclusions", "overview", "api")
PUBLIC = {"services", "selectors", "tasks", "signals"}
SHARED = {("submission", "report_schema"), ("submission", "imports"), ("scores", "fields")}
PRODUCTION = ("assessments", "appeals", "reporting", "config")
# Wiring, not a feature: these modules exist to gather every feature's admin, URLs and registries.
WIRING = {"assessments.admin", "assessments.urls", "assessments.apps", "config.urls",
          "config.settings"}
TEMPLATE_BUILTINS = {"i18n", "l10n", "static", "tz", "cache"}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--no-cache"],
        cwd=cwd, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def test_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Contracts: " in result.stdout and " broken" in result.stdout


def test_a_wrong_import_breaks_the_contracts(tmp_path):
    """The contracts really fail: a copy of the project with two forbidden imports added."""
    for name in (*PRODUCTION, "demo", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "assessments/scoring/_wrong.py").write_text("import django  # noqa\n")
    (tmp_path / "assessments/conclusions/_wrong.py").write_text("from appeals import models\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "assessments.scoring is not allowed to import django" in result.stdout
    assert "assessments is not allowed to import appeals" in result.stdout


def _module(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _feature(target: str) -> tuple[str | None, str]:
    parts = target.split(".")
    if len(parts) > 1 and parts[0] == "assessments" and parts[1] in FEATURES:
        return parts[1], parts[2] if len(parts) > 2 else ""
    return None, ""


def _violations(root: Path = ROOT) -> list[str]:
    found = []
    for top in PRODUCTION:
        for path in sorted((root / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            where = f"{path.relative_to(root)}"
            me = _module(path, root)
            mine, _ = _feature(me)
            source = path.read_text(encoding="utf-8")
            for line, target in targets(source, me, is_package=path.name == "__init__.py"):
                head = target.split(".")[0]
                if head == "demo":
                    found.append(f"{where}:{line}: production code imports the demo ({target})")
                if top in ("assessments", "reporting") and head == "appeals":
                    found.append(f"{where}:{line}: {top} imports appeals ({target})")
                outside_engine = head == "assessments" and not target.startswith(
                    "assessments.scoring")
                if me.startswith("assessments.scoring") and (
                        head in ("django", "celery", *PRODUCTION[1:]) or outside_engine):
                    found.append(f"{where}:{line}: the engine imports {target}")
                if top == "reporting" and head == "assessments" and not target.startswith(
                        ("assessments.kernel", "assessments.models", "assessments.scoring")):
                    found.append(f"{where}:{line}: reporting reaches beyond the kernel, the "
                                 f"models and the engine ({target})")
                theirs, part = _feature(target)
                if theirs is None or theirs == mine or me in WIRING:
                    continue
                if mine == "kernel":
                    found.append(f"{where}:{line}: the kernel imports a feature ({target})")
                elif theirs != "kernel" and part not in PUBLIC and (theirs, part) not in SHARED:
                    found.append(f"{where}:{line}: reaches into {theirs}'s internals ({target})")
                elif target.rpartition(".")[2].startswith("_"):
                    found.append(f"{where}:{line}: takes a private name of {theirs} ({target})")
    return found


def _template_violations(root: Path = ROOT) -> list[str]:
    """The assessments' templates load only Django's libraries and the assessments' own (a page
    of another app's feature shows through ``assessments.kernel.panels``)."""
    own = {p.stem for p in (root / "assessments" / "templatetags").glob("*.py")} - {"__init__"}
    found = []
    for path in sorted((root / "templates" / "assessments").rglob("*.html")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for libraries in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", line):
                for library in libraries.split():
                    if library not in own | TEMPLATE_BUILTINS and library != "from":
                        found.append(f"{path.relative_to(root)}:{line_no}: loads {library}")
    return found


def test_features_meet_only_through_public_modules_and_no_string_crosses_a_boundary():
    assert _violations() == []
    assert _template_violations() == []


def test_the_scan_sees_every_kind_of_crossing(tmp_path):
    """The scan is not blind to strings, keywords, private names or templates: a copy of the
    project with one crossing of each kind added reports each of them."""
    for name in (*PRODUCTION, "templates"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "migrations", "static"))
    wrong = tmp_path / "assessments" / "conclusions" / "_wrong_probe.py"
    wrong.write_text(
        "from django.apps import apps\n"
        "from importlib import import_module\n"
        "Objection = apps.get_model('appeals', 'Objection')\n"
        "from assessments.scores.views import whatif  # noqa\n"
        "Notice = apps.get_model(app_label='appeals', model_name='NoObjectionNotice')\n"
        "rules = import_module(f'appeals.{\"rules\"}')\n"
        "services = __import__('appeals.services')\n"
        "config = apps.get_app_config('appeals')\n"
        "TASK = 'appeals.tasks.objections_due'\n"
        "from assessments.reverification.services.selection import _private  # noqa\n",
        encoding="utf-8",
    )
    (tmp_path / "reporting" / "_wrong_probe.py").write_text(
        "from assessments.templatetags import scores_tags  # noqa\n", encoding="utf-8")
    page = tmp_path / "templates" / "assessments" / "conclusions" / "_wrong.html"
    page.write_text("{% load i18n appeals_tags %}\n", encoding="utf-8")
    found = "\n".join(_violations(tmp_path) + _template_violations(tmp_path))
    probe = "assessments/conclusions/_wrong_probe.py"
    for line in (3, 5, 6, 7, 8, 9):
        assert f"{probe}:{line}: assessments imports appeals" in found, (line, found)
    assert f"{probe}:4: reaches into scores's internals" in found, found
    assert f"{probe}:10: takes a private name of reverification" in found, found
    assert "reporting/_wrong_probe.py:1: reporting reaches beyond" in found, found
    assert "conclusions/_wrong.html:1: loads appeals_tags" in found, found
