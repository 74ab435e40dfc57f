from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from assessments.kernel import access, calendar, clock
from assessments.kernel.todos import todos_for
from assessments.registry.services.cycles import current_cycle, cycle_milestones, schedule_rows


def home(request: HttpRequest) -> HttpResponse:
    """The role-aware home page: the person's roles, what to do next with its deadline, the
    current cycle's next milestones, and how many bodies they can see.

    The schedule is built once (the template's panel shows these rows) and the working-day
    overrides are read once, over today … the later of the next working day's reach and the
    last milestone shown."""
    today = clock.today()
    cycle = current_cycle() if request.user.is_authenticated else None
    milestones = (cycle_milestones(cycle, today=today, upcoming_only=True, limit=4)
                  if cycle else [])
    window = calendar.Window(today, max([calendar.Window.span_for_add(today, 1)]
                                        + [m.due_on for m in milestones]))
    context = {
        "today": today,
        "is_working_day": window.is_working_day(today),
        "next_working_day": window.add_working_days(today, 1),
    }
    if request.user.is_authenticated:
        p = access.principal(request.user)
        context.update(
            {
                "cycle": cycle,
                "memberships": p.memberships,
                "is_admin": p.is_admin,
                "schedule": schedule_rows(milestones, today=today, window=window),
                "todos": todos_for(request.user, cycle, today),
                "counts": _body_counts(request.user),
            }
        )
    return render(request, "home.html", context)


def _body_counts(user) -> dict[str, int]:
    from django.db.models import Count

    from assessments.models import Organisation

    rows = (
        access.visible(user, Organisation.objects.filter(is_evaluated=True))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {row["kind"]: row["n"] for row in rows}
    return {
        "central": counts.get(Organisation.Kind.CENTRAL, 0),
        "local": counts.get(Organisation.Kind.LOCAL, 0),
    }


def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe for the container's health check (no database access)."""
    return JsonResponse({"status": "ok", "now": clock.now().isoformat()})
