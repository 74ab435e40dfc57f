"""Home-page to-dos of the conclusions (p.21, p.109–111): the assessor's drafts, the head of unit's
review queue, the signatories' documents, and the body's conclusions with an open window."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, cycle_milestone, todo_provider
from assessments.models import Cycle, Milestone, Role


def _conclusions(p: access.Principal, cycle: Cycle):
    from assessments.models import Conclusion

    return access.visible(p, Conclusion.objects.filter(cycle=cycle))


@todo_provider
def _conclusions_to_write(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The assessor: conclusions in draft (new or returned with comments)."""
    orgs = p.org_ids(Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD)
    if cycle is None or not orgs:
        return []
    count = _conclusions(p, cycle).filter(state="draft", evaluator_id__in=sorted(orgs)).count()
    if not count:
        return []
    milestone = cycle_milestone(cycle, Milestone.Code.CONCLUSIONS)
    return [Todo(title=_("Заключения в работе: анализ и выводы"),
                 url=reverse("conclusions:conclusion_list") + "?state=draft", count=count,
                 due_on=milestone.due_on if milestone else None)]


@todo_provider
def _conclusions_to_review(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The head of the assessor unit: conclusions waiting for review."""
    orgs = p.org_ids(Role.ASSESSOR_UNIT_HEAD)
    if cycle is None or not orgs:
        return []
    directions = sorted({m.direction for m in p.memberships
                         if m.role == Role.ASSESSOR_UNIT_HEAD} | {"block"})
    count = _conclusions(p, cycle).filter(
        state="in_review", evaluator_id__in=sorted(orgs), direction__in=directions
    ).count()
    if not count:
        return []
    return [Todo(title=_("Заключения на рассмотрении"),
                 url=reverse("conclusions:conclusion_review_queue"),
                 count=count)]


@todo_provider
def _conclusions_to_sign(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """Signatories (and heads of unit, who co-sign): approved conclusions being signed."""
    orgs = p.org_ids(Role.SIGNATORY, Role.ASSESSOR_UNIT_HEAD)
    if cycle is None or not orgs:
        return []
    count = _conclusions(p, cycle).filter(state="approved", evaluator_id__in=sorted(orgs)).count()
    if not count:
        return []
    return [Todo(title=_("Заключения на подписании"),
                 url=reverse("conclusions:conclusion_signing_queue"),
                 count=count)]


@todo_provider
def _conclusions_received(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The body's staff: conclusions received whose objection window is open (p.109, p.112)."""
    if cycle is None or not p.body_ids:
        return []
    rows = list(
        _conclusions(p, cycle)
        .filter(state="issued", body_id__in=sorted(p.body_ids), objection_deadline__gte=today)
        .order_by("objection_deadline")
        .values_list("objection_deadline", flat=True)
    )
    if not rows:
        return []
    return [Todo(title=_("Полученные заключения: возражения или уведомление об их отсутствии"),
                 url=reverse("conclusions:conclusion_list") + "?state=issued", count=len(rows),
                 due_on=rows[0])]
