"""The scores world's helpers: evaluated bodies of both kinds with the special statuses the engine
knows, and whole valid cases for them (the people and the evaluating bodies come from
tests/worlds/factories.py)."""

from __future__ import annotations

import copy

from assessments.models import Organisation
from assessments.scoring.samples import perfect_case
from tests.worlds.factories import next_bin


def make_body(name: str, kind: str = "central", special: str = "", **extra) -> Organisation:
    return Organisation.objects.create(
        kind=kind,
        central_type="ministry" if kind == "central" else "",
        level="oblast" if kind == "local" else "",
        name_ru=name,
        name_kk=name,
        bin=next_bin(),
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
