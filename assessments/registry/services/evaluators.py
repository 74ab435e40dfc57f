"""Who evaluates whom: "evaluated body × direction → evaluating body" as data (p.5–6, p.24, p.26).

The default rules name a kind of body (every central body is evaluated on services by the Agency,
…); the exceptions of p.5 and p.26 name a body. A body's own rule wins over its kind's. A
sub-unit that is not evaluated in its own right (a committee, a territorial unit, a district
akimat) is evaluated with the nearest evaluated body above it, unless a rule names it.

``evaluator_for`` answers for one body; ``evaluated_bodies_q`` answers "which bodies does this
evaluating body assess on this direction" as a query, for the access rules. The rules in force
on a day (``RuleTable``) and a body's chain are the kernel's (``assessments.kernel.evaluators``).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

# The read side lives in the kernel (the access registry asks it); re-exported for importers.
from assessments.kernel.evaluators import MAX_SUBUNIT_DEPTH, RuleTable, reference_day
from assessments.kernel.evaluators import chain as _chain
from assessments.models import Cycle, Direction, EvaluatorRule, Organisation

__all__ = [
    "MAX_SUBUNIT_DEPTH",
    "RuleTable",
    "evaluated_bodies_q",
    "evaluation_map",
    "evaluator_for",
    "evaluator_rules_seed",
    "reference_day",
]


def evaluator_for(
    body: Organisation,
    direction: str,
    cycle: Cycle | None = None,
    *,
    on: date | None = None,
    rules: RuleTable | None = None,
) -> Organisation | None:
    """The body that evaluates ``body`` on ``direction`` (p.5), or None when it is not evaluated
    on it (a local body on automation, an organisation outside the assessment).

    The rules in force on the cycle's last reporting day apply (or on ``on``, or today).
    """
    direction = Direction(direction)
    table = rules or RuleTable.load(reference_day(cycle, on))
    evaluator_id = table.evaluator_id(_chain(body), direction)
    if evaluator_id is None:
        return None
    return Organisation.objects.get(pk=evaluator_id)


def evaluated_bodies_q(
    evaluator: Organisation | int,
    direction: str,
    *,
    cycle: Cycle | None = None,
    on: date | None = None,
    prefix: str = "",
) -> Q:
    """Filter on Organisation (through ``prefix``): the bodies ``evaluator`` evaluates."""
    evaluator_id = evaluator if isinstance(evaluator, int) else evaluator.pk
    return RuleTable.load(reference_day(cycle, on)).bodies_q(
        evaluator_id, Direction(direction), prefix
    )


def evaluation_map(
    bodies: list[Organisation], *, cycle: Cycle | None = None, on: date | None = None
) -> dict[int, dict[str, Organisation | None]]:
    """``{body id: {direction: evaluator or None}}`` for a page listing several bodies.

    Ancestors must be reachable through ``parent`` (select_related them for a flat query count).
    """
    table = RuleTable.load(reference_day(cycle, on))
    ids = {
        table.evaluator_id(_chain(body), d) for body in bodies for d in Direction.values
    } - {None}
    evaluators = Organisation.objects.in_bulk(ids)
    return {
        body.pk: {
            d: evaluators.get(table.evaluator_id(_chain(body), d)) for d in Direction.values
        }
        for body in bodies
    }


DEFAULT_RULES_BASIS = {
    (Organisation.Kind.CENTRAL, Direction.SERVICES): (Organisation.EvaluatorRole.AGENCY, "п.5, 24"),
    (Organisation.Kind.LOCAL, Direction.SERVICES): (Organisation.EvaluatorRole.AGENCY, "п.5, 24"),
    (Organisation.Kind.CENTRAL, Direction.AUTOMATION): (
        Organisation.EvaluatorRole.DIGITAL_MINISTRY,
        "п.24, прил. 5",
    ),
    (Organisation.Kind.CENTRAL, Direction.OPENNESS): (
        Organisation.EvaluatorRole.INFORMATION_MINISTRY,
        "п.5",
    ),
    (Organisation.Kind.LOCAL, Direction.OPENNESS): (
        Organisation.EvaluatorRole.INFORMATION_MINISTRY,
        "п.5",
    ),
    (Organisation.Kind.CENTRAL, Direction.COMPLAINTS): (
        Organisation.EvaluatorRole.LEGAL_STATISTICS,
        "п.5",
    ),
    (Organisation.Kind.LOCAL, Direction.COMPLAINTS): (
        Organisation.EvaluatorRole.LEGAL_STATISTICS,
        "п.5",
    ),
}

# Exceptions of p.5 and p.26: (special status of the evaluated body, direction) -> evaluator.
# The General Prosecutor's Office is evaluated by the Presidential Administration on the whole
# block (services with its automation criterion, openness, complaints); the Agency on services
# (automation included: its service information goes to the Administration, p.26); the Supreme
# Court's office sends its service information to the Administration too (p.26). The Prime
# Minister's Office evaluates the Ministry of digital development on automation and MIOD on
# openness.
EXCEPTION_RULES = {
    (Organisation.Special.PROSECUTOR_GENERAL, Direction.SERVICES): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5",
    ),
    (Organisation.Special.PROSECUTOR_GENERAL, Direction.AUTOMATION): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5, 26",
    ),
    (Organisation.Special.PROSECUTOR_GENERAL, Direction.OPENNESS): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5",
    ),
    (Organisation.Special.PROSECUTOR_GENERAL, Direction.COMPLAINTS): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5",
    ),
    (Organisation.Special.CIVIL_SERVICE_AGENCY, Direction.SERVICES): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5",
    ),
    (Organisation.Special.CIVIL_SERVICE_AGENCY, Direction.AUTOMATION): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.5, 26",
    ),
    (Organisation.Special.SUPREME_COURT_OFFICE, Direction.SERVICES): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.26",
    ),
    (Organisation.Special.SUPREME_COURT_OFFICE, Direction.AUTOMATION): (
        Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION,
        "п.26",
    ),
    (Organisation.Special.DIGITAL_MINISTRY, Direction.AUTOMATION): (
        Organisation.EvaluatorRole.PRIME_MINISTER_OFFICE,
        "п.5, 26",
    ),
    (Organisation.Special.INFORMATION_MINISTRY, Direction.OPENNESS): (
        Organisation.EvaluatorRole.PRIME_MINISTER_OFFICE,
        "п.5",
    ),
}


def evaluator_rules_seed(*, actor=None) -> int:
    """Create the rules of p.5–6, 24, 26 that are missing (idempotent); returns how many were made.

    Needs the evaluating bodies (``evaluator_role``) and, for the exceptions, the special bodies in
    the registry; exceptions whose body is absent are skipped.
    """
    from assessments.kernel.audit import audit_record

    evaluators = {
        org.evaluator_role: org
        for org in Organisation.objects.exclude(evaluator_role="")
    }
    created = 0
    for (kind, direction), (role, basis) in DEFAULT_RULES_BASIS.items():
        evaluator = evaluators.get(role)
        if evaluator is None:
            continue
        rule, made = EvaluatorRule.objects.get_or_create(
            evaluated=None,
            evaluated_kind=kind,
            direction=direction,
            defaults={"evaluator": evaluator, "basis": basis},
        )
        if made:
            created += 1
            audit_record(actor=actor, obj=rule, action="create", reason=basis)
    specials = {org.special: org for org in Organisation.objects.exclude(special="")}
    for (special, direction), (role, basis) in EXCEPTION_RULES.items():
        body, evaluator = specials.get(special), evaluators.get(role)
        if body is None or evaluator is None:
            continue
        rule, made = EvaluatorRule.objects.get_or_create(
            evaluated=body,
            evaluated_kind="",
            direction=direction,
            defaults={"evaluator": evaluator, "basis": basis},
        )
        if made:
            created += 1
            audit_record(actor=actor, obj=rule, action="create", reason=basis)
    return created
