"""Access rules of scoring inputs, score sheets and background jobs (registered with
``assessments.kernel.access``).

* a scoring input (all directions of a body's case) is visible to the body's staff, to everyone
  who sees every body (administrators, the coordinator, the working body) and to the people of an
  evaluating body for the bodies it evaluates on any direction; pages then show an evaluator only
  the directions it evaluates (``visible_directions``);
* a score sheet is visible to the body's staff, to everyone who sees every body, and to the
  evaluators of that body × direction (the automation evaluator sees the services sheet, K3 being
  part of it; the services evaluator — the Agency, which issues the block conclusion, annex 15 —
  also the overall row);
* a background job is visible to whoever started it, to administrators and to the coordinator;
* a cycle's recompute is for the coordinator and administrators; loading a whole case by hand is
  for administrators.
"""

from __future__ import annotations

from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, NOTHING, Principal, subtree_q
from assessments.models import BackgroundJob, Cycle, Direction, ScoreSheet, ScoringInput

# Which score-sheet rows an evaluator of a direction sees.
SHEET_DIRECTIONS_FOR = {
    Direction.SERVICES: ("services", "overall"),
    Direction.AUTOMATION: ("services",),
    Direction.OPENNESS: ("openness",),
    Direction.COMPLAINTS: ("complaints",),
}
# Which case directions an evaluator of a direction sees on the input pages.
CASE_DIRECTIONS_FOR = {
    Direction.SERVICES: ("services",),
    Direction.AUTOMATION: ("services",),
    Direction.OPENNESS: ("openness",),
    Direction.COMPLAINTS: ("complaints",),
}


@access.visibility(ScoringInput)
def _scoring_inputs(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    q = subtree_q(p.body_ids, "body__")
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        q |= p.rules.bodies_q(evaluator_id, direction, "body__")
    return q


@access.visibility(ScoreSheet)
def _score_sheets(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    q = subtree_q(p.body_ids, "body__")
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        rows = SHEET_DIRECTIONS_FOR.get(direction, ())
        if rows:
            q |= Q(direction__in=rows) & p.rules.bodies_q(evaluator_id, direction, "body__")
    return q


@access.visibility(BackgroundJob)
def _jobs(p: Principal) -> Q:
    if p.is_admin or p.is_coordinator:
        return EVERYTHING
    return Q(started_by_id=p.user.pk) if p.user.pk else NOTHING


@access.action(Cycle, "recompute")
def _cycle_recompute(p: Principal, cycle, **context) -> bool:
    return p.is_admin or p.is_coordinator


@access.action(Cycle, "load_case")
def _cycle_load_case(p: Principal, cycle, **context) -> bool:
    return p.is_admin


def visible_directions(user, body) -> tuple[str, ...]:
    """The case directions of ``body`` that ``user`` sees on the input and what-if pages."""
    p = access.principal(user)
    all_directions = ("services", "openness", "complaints")
    if (
        p.sees_every_body
        or body.pk in p.body_ids
        or any(b.pk in p.body_ids for b in _ancestors(body))
    ):
        return all_directions
    seen: set[str] = set()
    for direction in Direction.values:
        if access.evaluates(user, body, direction):
            seen.update(CASE_DIRECTIONS_FOR.get(direction, ()))
    return tuple(d for d in all_directions if d in seen)


def _ancestors(body) -> list:
    out, node = [], body.parent if body.parent_id else None
    while node is not None and len(out) < access.SUBUNIT_DEPTH:
        out.append(node)
        node = node.parent if node.parent_id else None
    return out
