"""The rules of the house, checked on every run (README, "Architecture"; docs/architecture.md).

* The scoring engine imports neither Django nor any other part of the project.
* ``assessments`` never imports ``appeals`` (appeals hook into conclusions through events) nor
  the demo; ``reporting`` imports of ``assessments`` only the kernel, the models and the engine.
* The kernel imports no feature package.
* A feature package reaches another only through its public modules: ``services``,
  ``selectors``, ``tasks`` and ``signals``, plus the read-only descriptions other features share
  (submission's ``report_schema`` and ``imports``, scores' ``fields``).

The static import graph is checked by import-linter (the contracts in pyproject.toml, indirect
imports included); the feature rule and crossings through strings (``apps.get_model``,
``import_string``, ``import_module``, task names) by the AST scan below, which also covers
modules added after the contracts were written.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("kernel", "portal", "registry", "submission", "scores", "reverification",
            "conclusions")
PUBLIC = {"services", "selectors", "tasks", "signals"}
SHARED = {("submission", "report_schema"), ("submission", "imports"), ("scores", "fields")}
PRODUCTION = ("assessments", "appeals", "reporting", "config")
# Wiring, not a feature: these modules exist to gather every feature's admin, URLs and registries.
WIRING = {"assessments.admin", "assessments.urls", "assessments.apps", "config.urls"}
STRING_LOADERS = {"get_model", "import_string", "import_module", "send_task", "signature"}


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


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(path: Path):
    """(line, dotted target) of every import of ``path``, and of every string given to a loader
    (``apps.get_model("appeals", …)``, ``import_string("demo.…")``, ``send_task("…")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                yield node.lineno, base if alias.name == "*" else f"{base}.{alias.name}"
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in STRING_LOADERS:
                texts = [a.value for a in node.args if isinstance(a, ast.Constant)
                         and isinstance(a.value, str)]
                if texts:
                    # get_model("app_label", "Model") names an app by its label
                    yield node.lineno, ".".join(texts) if name == "get_model" else texts[0]


def _feature(target: str) -> tuple[str | None, str]:
    parts = target.split(".")
    if len(parts) > 1 and parts[0] == "assessments" and parts[1] in FEATURES:
        return parts[1], parts[2] if len(parts) > 2 else ""
    return None, ""


def _violations() -> list[str]:
    found = []
    for top in PRODUCTION:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            where = f"{path.relative_to(ROOT)}"
            mine, _ = _feature(_module(path))
            for line, target in _targets(path):
                head = target.split(".")[0]
                if head == "demo":
                    found.append(f"{where}:{line}: production code imports the demo ({target})")
                if top in ("assessments", "reporting") and head == "appeals":
                    found.append(f"{where}:{line}: {top} imports appeals ({target})")
                outside_engine = head == "assessments" and not target.startswith(
                    "assessments.scoring")
                if _module(path).startswith("assessments.scoring") and (
                        head in ("django", "celery", *PRODUCTION[1:]) or outside_engine):
                    found.append(f"{where}:{line}: the engine imports {target}")
                theirs, part = _feature(target)
                if theirs is None or theirs == mine or _module(path) in WIRING:
                    continue
                if mine == "kernel":
                    found.append(f"{where}:{line}: the kernel imports a feature ({target})")
                elif theirs != "kernel" and part not in PUBLIC and (theirs, part) not in SHARED:
                    found.append(f"{where}:{line}: reaches into {theirs}'s internals ({target})")
                if top == "reporting" and theirs != "kernel":
                    found.append(f"{where}:{line}: reporting imports a feature ({target})")
    return found


def test_features_meet_only_through_public_modules_and_no_string_crosses_a_boundary():
    assert _violations() == []


def test_the_scan_sees_a_crossing_through_a_string(tmp_path, monkeypatch):
    """The AST scan is not blind to strings: a module that loads appeals' model by name, and a
    conclusions module that reaches into the scores views, are both reported."""
    wrong = ROOT / "assessments" / "conclusions" / "_wrong_probe.py"
    wrong.write_text(
        "from django.apps import apps\n"
        "Objection = apps.get_model('appeals', 'Objection')\n"
        "from assessments.scores.views import whatif  # noqa\n",
        encoding="utf-8",
    )
    try:
        found = _violations()
    finally:
        wrong.unlink()
    assert any("_wrong_probe.py:2: assessments imports appeals" in v for v in found), found
    assert any("_wrong_probe.py:3: reaches into scores's internals" in v for v in found), found
