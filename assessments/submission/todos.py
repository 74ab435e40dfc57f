"""Home-page to-dos of reports and imports (issue 5); imported by assessments/todos.py."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, todo_provider
from assessments.models import Cycle, Report


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
                 url=reverse("report_queue") + "?state=submitted", count=count)]


@todo_provider
def _reports_returned(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """A body's staff: reports returned for rework."""
    if cycle is None or not p.body_ids:
        return []
    count = access.visible(p, Report).filter(cycle=cycle, state=Report.State.RETURNED).count()
    if not count:
        return []
    return [Todo(title=_("Отчёты, возвращённые на доработку"),
                 url=reverse("report_queue") + "?state=returned", count=count)]
