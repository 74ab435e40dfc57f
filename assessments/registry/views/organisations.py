"""The registry of bodies and a body's page. Access: assessments.kernel.access only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.kernel import access
from assessments.kernel.audit import object_history
from assessments.models import Direction
from assessments.registry import selectors
from assessments.registry.forms import RegistryFilterForm
from assessments.registry.services.cycles import current_cycle, cycle_schedule
from assessments.registry.services.evaluators import evaluation_map

PAGE_SIZE = 25


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions()
    form = RegistryFilterForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisation_registry(
        request.user,
        search=filters.get("q") or "",
        kind=filters.get("kind") or "",
        level=filters.get("level") or "",
        region=filters.get("region"),
        evaluated_only=bool(filters.get("evaluated")),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/registry/organisation_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for_page(request.user, pk)
    cycle = current_cycle()
    evaluators = evaluation_map([organisation], cycle=cycle)[organisation.pk]
    names_then = None
    if cycle is not None:
        names_then = selectors.name_on(organisation, cycle.names_on)
        if names_then == (organisation.name_ru, organisation.name_kk):
            names_then = None
    return render(
        request,
        "assessments/registry/organisation_detail.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "names_then": names_then,
            "name_history": list(
                organisation.names.order_by(F("valid_from").asc(nulls_first=True))
            ),
            "evaluators": [(Direction(d).label, evaluators[d]) for d in Direction.values],
            "children": selectors.organisation_children(request.user, organisation),
            "staff": selectors.organisation_staff(request.user, organisation),
            "assignments": selectors.organisation_assignments(request.user, organisation, cycle),
            "schedule": cycle_schedule(cycle, upcoming_only=True, limit=3) if cycle else [],
            "history": object_history(organisation),
            "can_change": access.can(request.user, "change", organisation),
        },
    )
