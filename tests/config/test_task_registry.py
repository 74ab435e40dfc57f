"""Tasks are found by autodiscovery alone and keep fixed names.

Beat's schedule and queued messages name tasks by string, and autodiscovery imports only
``<app>.tasks`` unless told more: a task moved into a feature package must still be registered in
a fresh worker process, under the name it always had.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

_WORKER_REGISTRY = """
import json, django
django.setup()
from config.celery import app
app.loader.import_default_modules()   # what a worker does at start: autodiscovery, nothing else
print(json.dumps(sorted(name for name in app.tasks if not name.startswith("celery."))))
"""


def _registered_in_a_fresh_process() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER_REGISTRY], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _declared_tasks() -> dict[str, str]:
    """Every ``@shared_task`` of the project's packages: its fixed name → where it is."""
    found: dict[str, str] = {}
    for path in ROOT.glob("*/**/tasks.py"):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                # @shared_task, @shared_task(...), @celery.shared_task(...), @app.task(...)
                func = deco.func if isinstance(deco, ast.Call) else deco
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called not in ("shared_task", "task"):
                    continue
                names = [k.value.value for k in getattr(deco, "keywords", ())
                         if k.arg == "name" and isinstance(k.value, ast.Constant)]
                assert names, f"{path}:{node.lineno}: {node.name} has no fixed name="
                found[names[0]] = f"{path.relative_to(ROOT)}:{node.name}"
    return found


def test_every_beat_task_and_every_declared_task_is_registered_by_autodiscovery_alone():
    registered = _registered_in_a_fresh_process()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat, "the beat schedule is empty"
    assert beat - registered == set()
    declared = _declared_tasks()
    assert set(declared) - registered == set(), declared
    # the names queued before the re-cut still resolve
    assert {"assessments.tasks.score_body", "assessments.tasks.import_apply",
            "assessments.tasks.conclusion_windows_close", "reporting.tasks.render_document",
            "appeals.tasks.objections_due"} <= registered
