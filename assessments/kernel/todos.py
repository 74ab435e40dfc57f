"""The home page's "what to do next": a registry of to-do providers.

Each part of the application registers a provider (in its app's ``todos.py``, imported by
``AssessmentsConfig.ready``):

    from assessments.kernel.todos import Todo, todo_provider

    @todo_provider
    def reports_to_submit(p, cycle, today):
        if cycle is None or not p.body_ids:
            return []
        n = visible(p, Report).filter(cycle=cycle, state="draft").count()
        return [Todo(title=..., url=..., count=n, due_on=milestone_due(cycle, "submission"))]

A provider takes the user's ``access.Principal``, the current cycle (or None) and today's date,
and returns ``Todo`` items; the page sorts them by date. Providers must query through
``access.visible`` and keep to a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.models import AssessorAssignment, Cycle, Milestone, Role


@dataclass(frozen=True)
class Todo:
    title: str
    url: str = ""
    count: int | None = None
    due_on: date | None = None
    days_left: int | None = None


TodoProvider = Callable[[access.Principal, Cycle | None, date], Iterable[Todo]]
TODO_PROVIDERS: list[TodoProvider] = []


def todo_provider(fn: TodoProvider) -> TodoProvider:
    """Register a provider of to-do items for the home page (decorator)."""
    TODO_PROVIDERS.append(fn)
    return fn


def todos_for(user, cycle: Cycle | None, today: date) -> list[Todo]:
    p = access.principal(user)
    items: list[Todo] = []
    for provider in TODO_PROVIDERS:
        for item in provider(p, cycle, today):
            if item.due_on is not None and item.days_left is None:
                item = Todo(
                    title=item.title,
                    url=item.url,
                    count=item.count,
                    due_on=item.due_on,
                    days_left=(item.due_on - today).days,
                )
            items.append(item)
    items.sort(key=lambda t: (t.due_on or date.max, t.title))
    return items


def _milestone(cycle: Cycle, code: str) -> Milestone | None:
    return Milestone.objects.filter(cycle=cycle, code=code, direction="").first()


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
    milestone = _milestone(cycle, Milestone.Code.REVERIFICATION)
    return [
        Todo(
            title=_("Органы, назначенные вам на оценку"),
            url=reverse("cycle_assignments", args=[cycle.code]) + "?mine=1",
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
    milestone = _milestone(cycle, Milestone.Code.SUBMISSION)
    return [
        Todo(
            title=_("Органы и направления без назначенного эксперта"),
            url=reverse("cycle_assignments", args=[cycle.code]),
            count=missing,
            due_on=milestone.due_on if milestone else None,
        )
    ]


@todo_provider
def _body_submission(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """A body's staff: the submission deadline of the schedule (p.4, p.8–11)."""
    if cycle is None or not p.body_ids:
        return []
    milestone = _milestone(cycle, Milestone.Code.SUBMISSION)
    if milestone is None or milestone.due_on < today:
        return []
    return [
        Todo(
            title=_("Представить отчётную информацию по направлениям оценки"),
            url=reverse("cycle_detail", args=[cycle.code]),
            due_on=milestone.due_on,
        )
    ]


# The other parts register their providers in their own modules (imported for that effect).
