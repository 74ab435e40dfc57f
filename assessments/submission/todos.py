"""Home-page to-dos of submission: the schedule's deadline for a body, reports to review or
returned, imports."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, cycle_milestone, todo_provider
from assessments.models import Cycle, Milestone, Report


@todo_provider
def _reports_to_review(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """Assessors: reports submitted or under review on their directions."""
    if cycle is None or not p.evaluator_scopes:
        return []
    count = access.visible(p, Report).filter(
        cycle=cycle, state__in=[Report.State.SUBMITTED, Report.State.UNDER_REVIEW]).count()
    if not count:
        return []
    return [Todo(title=_("Отчёты, ожидающие рассмотрения"),
                 url=reverse("submission:report_queue") + "?state=submitted", count=count)]


@todo_provider
def _reports_returned(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """A body's staff: reports returned for rework."""
    if cycle is None or not p.body_ids:
        return []
    count = access.visible(p, Report).filter(cycle=cycle, state=Report.State.RETURNED).count()
    if not count:
        return []
    return [Todo(title=_("Отчёты, возвращённые на доработку"),
                 url=reverse("submission:report_queue") + "?state=returned", count=count)]


@todo_provider
def _body_submission(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """A body's staff: the submission deadline of the schedule (p.4, p.8–11)."""
    if cycle is None or not p.body_ids:
        return []
    milestone = cycle_milestone(cycle, Milestone.Code.SUBMISSION)
    if milestone is None or milestone.due_on < today:
        return []
    # The reports still to submit (drafts; returned ones have their own to-do), and where: the
    # report itself when there is one, the body's reports when several (issue 21: the to-do
    # opened the cycle's schedule).
    drafts = list(access.visible(p, Report).filter(
        cycle=cycle, state=Report.State.DRAFT, body_id__in=sorted(p.body_ids),
    ).values_list("pk", "body_id")[:50])
    if not drafts:
        return []
    if len(drafts) == 1:
        url = reverse("submission:report_detail", args=[drafts[0][0]])
    elif len({body for _pk, body in drafts}) == 1:
        url = reverse("submission:body_reports", args=[cycle.code, drafts[0][1]])
    else:
        url = reverse("submission:report_queue") + "?state=draft"
    return [
        Todo(
            title=_("Представить отчётную информацию по направлениям оценки"),
            url=url, count=len(drafts), due_on=milestone.due_on,
        )
    ]
