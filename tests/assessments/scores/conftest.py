"""Fixtures of the scores tests: a small registry of evaluated bodies and a cycle.

The project's shared factories (tests/factories.py) build people and the evaluating bodies;
these fixtures add what scores need: bodies of both kinds with the special statuses the engine
knows, and whole valid cases for them.
"""

from __future__ import annotations

import copy
import itertools

import pytest

from assessments.kernel.validators import bin_control_digit
from assessments.models import Cycle, Organisation
from assessments.scoring.samples import perfect_case

_serials = itertools.count(1)


def new_bin() -> str:
    while True:
        head = f"020540{next(_serials):05d}"
        control = bin_control_digit(head)
        if control is not None:
            return head + str(control)


def make_body(name: str, kind: str = "central", special: str = "", **extra) -> Organisation:
    return Organisation.objects.create(
        kind=kind,
        central_type="ministry" if kind == "central" else "",
        level="oblast" if kind == "local" else "",
        name_ru=name,
        name_kk=name,
        bin=new_bin(),
        is_evaluated=True,
        special=special,
        **extra,
    )


def case_for(body: Organisation, **over) -> dict:
    """A perfect case for ``body`` (its kind and special status), with ``over`` replacing
    top-level blocks."""
    kind, special = str(body.kind), str(body.special)  # plain strings, not enum members
    case = perfect_case(kind)
    engine_specials = ("ministry_of_defence", "ministry_of_foreign_affairs", "national_bank")
    case["body"] = {"kind": kind, "special": [special] if special in engine_specials else []}
    case.update(copy.deepcopy(over))
    return case


@pytest.fixture
def scores_cycle(db) -> Cycle:
    return Cycle.objects.create(code="2025", year=2025, edition="2023", is_current=True)


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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas get passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
