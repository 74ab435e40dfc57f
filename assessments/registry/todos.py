"""Home-page to-dos of the registry: an assessor's assigned bodies, and the pairs still without
an assessor (the coordinator and the evaluating bodies' unit heads)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, cycle_milestone, todo_provider
from assessments.models import AssessorAssignment, Cycle, Milestone, Role


@todo_provider
def _assessor_bodies(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """An assessor's assigned bodies, due by the end of re-verification."""
    if cycle is None or Role.ASSESSOR not in p.roles:
        return []
    count = AssessorAssignment.objects.filter(
        cycle=cycle, assessor_id=p.user.pk, removed_at__isnull=True
    ).count()
    if not count:
        return []
    milestone = cycle_milestone(cycle, Milestone.Code.REVERIFICATION)
    return [
        Todo(
            title=_("Органы, назначенные вам на оценку"),
            url=reverse("registry:cycle_assignments", args=[cycle.code]) + "?mine=1",
            count=count,
            due_on=milestone.due_on if milestone else None,
        )
    ]


@todo_provider
def _unassigned(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The coordinator and the evaluating bodies' unit heads: pairs still without an assessor."""
    from assessments.registry.services.assignments import unassigned_pairs

    if cycle is None:
        return []
    if p.is_coordinator:
        missing = unassigned_pairs(cycle)
    else:
        heads = p.org_ids(Role.ASSESSOR_UNIT_HEAD)
        if not heads:
            return []
        missing = sum(
            unassigned_pairs(cycle, evaluator=m.organisation)
            for m in p.memberships
            if m.role == Role.ASSESSOR_UNIT_HEAD
        )
    if not missing:
        return []
    milestone = cycle_milestone(cycle, Milestone.Code.SUBMISSION)
    return [
        Todo(
            title=_("Органы и направления без назначенного эксперта"),
            url=reverse("registry:cycle_assignments", args=[cycle.code]),
            count=missing,
            due_on=milestone.due_on if milestone else None,
        )
    ]
