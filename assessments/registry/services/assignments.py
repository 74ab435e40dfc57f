"""Assignment of assessors to a body × direction × cycle.

An assignment is what "took part in assessing the body" means for the special commission's
composition (p.113): an assessor assigned to the body in that cycle and direction may not sit on
the commission that hears its objection. Later parts add other kinds of participation (acting on
the body's report, signing its conclusion) through ``PARTICIPATION_SOURCES``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.people import memberships_active
from assessments.kernel.transitions import lock
from assessments.models import AssessorAssignment, Cycle, Direction, Organisation, Role
from assessments.registry.services.evaluators import evaluator_for


@transaction.atomic
def assessor_assign(
    *, actor, cycle: Cycle, body: Organisation, direction: str, assessor, reason: str = ""
) -> AssessorAssignment:
    """Assign ``assessor`` to ``body`` × ``direction`` in ``cycle``.

    The assessor must be an assessor (or unit head) of the body that evaluates ``body`` on that
    direction (p.5); the actor must be an administrator, the coordinator, or a unit head or
    signatory of that evaluating body.
    """
    direction = Direction(direction)
    if actor is not None:
        access.require(actor, "assign_assessor", cycle, body=body, direction=direction)
    evaluator = evaluator_for(body, direction, cycle)
    if evaluator is None:
        raise DomainError(_("Этот орган не оценивается по этому направлению."))
    qualified = memberships_active(
        organisation_id=evaluator.pk, roles=[Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
    ).filter(user=assessor, direction=direction).exists()
    if not qualified:
        raise DomainError(
            _("%(person)s не является экспертом органа «%(evaluator)s» по этому направлению.")
            % {"person": assessor, "evaluator": evaluator}
        )
    assignment, created = AssessorAssignment.objects.select_for_update().get_or_create(
        cycle=cycle,
        body=body,
        direction=direction,
        assessor=assessor,
        defaults={"assigned_by": actor, "assigned_at": clock.now()},
    )
    if created:
        audit_record(
            actor=actor,
            obj=assignment,
            action="assign",
            changes={"assessor": (None, str(assessor))},
            reason=reason,
        )
    elif assignment.removed_at is not None:
        before = assignment.removed_at
        assignment.removed_at = None
        assignment.assigned_by = actor
        assignment.save(update_fields=["removed_at", "assigned_by"])
        audit_record(
            actor=actor,
            obj=assignment,
            action="reassign",
            changes={"removed_at": (before, None)},
            reason=reason,
        )
    return assignment


@transaction.atomic
def assessor_unassign(
    *, actor, assignment: AssessorAssignment, reason: str = ""
) -> AssessorAssignment:
    """Take the assessor off the body; the row stays (they did take part until now)."""
    if actor is not None:
        access.require(actor, "remove", assignment)
    assignment = lock(assignment)
    if assignment.removed_at is None:
        assignment.removed_at = clock.now()
        assignment.save(update_fields=["removed_at"])
        audit_record(
            actor=actor,
            obj=assignment,
            action="unassign",
            changes={"removed_at": (None, assignment.removed_at)},
            reason=reason,
        )
    return assignment


ParticipationSource = Callable[[Organisation, str, Cycle], set[int]]
PARTICIPATION_SOURCES: list[ParticipationSource] = []


def participation_source(fn: ParticipationSource) -> ParticipationSource:
    """Register another way of taking part in a body's assessment (decorator)."""
    PARTICIPATION_SOURCES.append(fn)
    return fn


@participation_source
def _assigned(body: Organisation, direction: str, cycle: Cycle) -> set[int]:
    return set(
        AssessorAssignment.objects.filter(cycle=cycle, body=body, direction=direction).values_list(
            "assessor_id", flat=True
        )
    )


def participants(body: Organisation, direction: str, cycle: Cycle) -> set[int]:
    """Ids of the people who took part in assessing ``body`` on ``direction`` in ``cycle``
    (p.113: they may not sit on the special commission hearing its objection)."""
    result: set[int] = set()
    for source in PARTICIPATION_SOURCES:
        result |= source(body, direction, cycle)
    return result


def took_part(user, body: Organisation, direction: str, cycle: Cycle) -> bool:
    return user.pk in participants(body, direction, cycle)


def unassigned_pairs(cycle: Cycle, evaluator: Organisation | None = None) -> int:
    """How many evaluated body × direction pairs of ``cycle`` have no active assessor
    (for the coordinator's and unit heads' to-do list)."""
    from assessments.registry.services.evaluators import RuleTable

    table = RuleTable.load(cycle.period_end)
    bodies = list(Organisation.objects.filter(is_evaluated=True).select_related("parent"))
    covered = set(
        AssessorAssignment.objects.filter(cycle=cycle, removed_at__isnull=True).values_list(
            "body_id", "direction"
        )
    )
    missing = 0
    for body in bodies:
        for direction in Direction.values:
            evaluator_id = table.evaluator_id([body], direction)
            if evaluator_id is None or (evaluator and evaluator_id != evaluator.pk):
                continue
            if (body.pk, direction) not in covered:
                missing += 1
    return missing
