"""The home page's "what to do next": a registry of to-do providers.

Each feature registers its providers in its package's ``todos.py`` (another app: in
``<app>/todos.py``), imported by ``AssessmentsConfig.ready``:

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

from assessments.kernel import access
from assessments.models import Cycle, Milestone


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


def cycle_milestone(cycle: Cycle, code: str) -> Milestone | None:
    """The cycle-wide milestone ``code`` of the schedule (no direction), if there is one."""
    return Milestone.objects.filter(cycle=cycle, code=code, direction="").first()
