"""The demo is not production: no production module imports it, and it is installed last.

The sources of ``assessments/``, ``appeals/``, ``reporting/`` and ``config/`` are read with ``ast``
(not imported), so a reference that runs only on some path is found too. A reference is an import
statement of ``demo`` or ``demo.…``; a call of ``import_module``, ``import_string``, ``__import__``,
``apps.get_model``, ``apps.get_app_config`` (…) with such a name; or any string that is a dotted
path into the demo (``"demo.steps.DEMO_STEPS"``, a task name ``"demo.tasks.…"``). The one
allowed mention is the entry ``"demo"`` of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.worlds.imports_scan import targets

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("assessments", "appeals", "reporting", "config")
DEMO = "demo"

def demo_references(source: str, filename: str = "<source>") -> list[str]:
    """Every reference to the demo in ``source``, as "line: what" (the project's one scanner,
    tests/worlds/imports_scan.py, read for the demo)."""
    return sorted({f"{line}: {target}" for line, target in targets(source)
                   if target == DEMO or target.startswith(DEMO + ".")})


def _production_sources():
    for package in PRODUCTION:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_production_module_refers_to_the_demo():
    offences = []
    for path in _production_sources():
        for reference in demo_references(path.read_text(encoding="utf-8"), str(path)):
            offences.append(f"{path.relative_to(ROOT)}:{reference}")
    assert not offences, "production code must not reach into the demo:\n" + "\n".join(offences)


def test_the_scan_reads_every_production_package():
    scanned = {path.relative_to(ROOT).parts[0] for path in _production_sources()}
    assert scanned == set(PRODUCTION)
    assert (ROOT / "config" / "settings.py") in set(_production_sources())


@pytest.mark.parametrize("source", [
    "import demo",
    "import demo.seed as seed",
    "from demo import seed",
    "from demo.steps import DEMO_STEPS",
    "def ready():\n    from demo.seed import DEMO_LOGINS\n",
    "from importlib import import_module\nimport_module('demo.steps')",
    "import importlib\nimportlib.import_module('demo')",
    "from django.utils.module_loading import import_string\nimport_string('demo.seed.body')",
    "from django.apps import apps\napps.get_model('demo', 'Thing')",
    "from django.apps import apps\napps.get_model('demo.Thing')",
    "from django.apps import apps\napps.get_app_config(app_label='demo')",
    "__import__('demo.cycle')",
    "STEPS = ['demo.steps.DEMO_STEPS']",
    "app.send_task('demo.tasks.reseed')",
])
def test_a_wrong_reference_is_caught(source):
    assert demo_references(source)


@pytest.mark.parametrize("source", [
    'INSTALLED_APPS = ["assessments", "reporting", "appeals", "demo"]',
    "from reporting.signing.ca import demo_ca\ndemo_ca()",
    "import demolition",
    "from .demo import x",  # a module of the package itself, not the demo app
    'reason = "demo"',
    '"""The demo. Nothing to import."""',
    "from reporting.signing.services import issue_demo_credential",
])
def test_what_is_not_a_reference(source):
    assert demo_references(source) == []


def test_the_demo_is_installed_last():
    assert settings.INSTALLED_APPS[-1] == DEMO
    assert list(apps.get_app_configs())[-1].label == DEMO
    config = apps.get_app_config(DEMO)
    assert type(config).__name__ == "DemoConfig"
    assert list(config.get_models()) == []


def test_a_fresh_process_loads_no_demo_module_but_its_app_config():
    """django.setup() runs every ready(), the URLconf and the Celery tasks' discovery: none of
    them may load the demo's data, steps or cycle (only the app's package and its apps.py)."""
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "import config.urls\n"
        "from config.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(m for m in sys.modules if m == 'demo' or m.startswith('demo.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['demo', 'demo.apps']"

