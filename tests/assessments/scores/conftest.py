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
    """Run this part's tasks in-process when the outbox sends them (``.apply_async`` →
    ``.apply``), whatever the broker, and record each call ``(task name, args, kwargs)`` (the
    job's id, ``_job``, left out)."""
    from assessments.scores import tasks

    calls: list = []
    for name in ("score_body", "recompute_cycle"):
        task = getattr(tasks, name)

        def apply_async(args=(), kwargs=None, _task=task, **options):
            kwargs = dict(kwargs or {})
            calls.append((_task.name, tuple(args),
                          {k: v for k, v in kwargs.items() if k != "_job"}))
            return _task.apply(args=args, kwargs=kwargs, throw=True)

        monkeypatch.setattr(task, "apply_async", apply_async)
    return calls
