"""Fixtures of the scores tests: a ministry and an akimat (tests/worlds/scores.py builds
bodies and whole valid cases; tests/worlds/factories.py the people and the evaluating bodies), and
the scores' tasks run inline; ``scores_cycle`` is tests/worlds/fixtures.py's."""

from __future__ import annotations

import pytest

from assessments.models import Organisation
from tests.worlds.scores import make_body


@pytest.fixture
def ministry(db) -> Organisation:
    return make_body("Министерство финансов")


@pytest.fixture
def akimat(db) -> Organisation:
    return make_body("Акимат Акмолинской области", kind="local")


@pytest.fixture
def tasks_inline(monkeypatch) -> list:
    """Run this part's tasks in-process when queued (``.delay`` → ``.apply``), whatever the
    broker, and record each call ``(task name, args, kwargs)``."""
    from assessments.scores import tasks

    calls: list = []
    for name in ("score_body", "recompute_cycle"):
        task = getattr(tasks, name)

        def delay(*args, _task=task, **kwargs):
            calls.append((_task.name, args, kwargs))
            return _task.apply(args=args, kwargs=kwargs, throw=True)

        monkeypatch.setattr(task, "delay", delay)
    return calls
