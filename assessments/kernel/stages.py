"""Stage sources: what other apps know about a body × direction's later stages, for the cycle's
overview, without ``assessments`` importing them (the rules of the house).

The overview derives every stage up to a final conclusion from what ``assessments`` stores;
the hand-over of a final conclusion to the Agency (p.116–121) is the appeals app's. Appeals
registers a source; the overview asks every source once per page (a constant number of queries):

    # appeals/panels.py (imported by AppealsConfig.ready)
    @stages.stage_source
    def handovers(user, cycle) -> dict[tuple[int, str], StageFact]: ...

A source returns ``{(body id, direction): StageFact(stage, deadline)}`` for the rows the user may
see; a fact replaces the overview's own stage of a final conclusion only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class StageFact:
    stage: str  # "handover_due" or "handed_over"
    deadline: date | None = None


StageSource = Callable[[Any, Any], dict[tuple[int, str], StageFact]]
_SOURCES: list[StageSource] = []


def stage_source(fn: StageSource) -> StageSource:
    """Register ``fn(user, cycle) -> {(body id, direction): StageFact}`` (once per function)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def stage_facts(user, cycle) -> dict[tuple[int, str], StageFact]:
    """Every source's facts for ``cycle`` as the user may see them (later sources win)."""
    out: dict[tuple[int, str], StageFact] = {}
    for source in _SOURCES:
        out.update(source(user, cycle))
    return out
