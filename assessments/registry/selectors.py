"""Reads that pages and tasks share, with their select_related, always through the access rules."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from assessments.kernel import access
from assessments.models import (
    AssessorAssignment,
    Cycle,
    Membership,
    Organisation,
    OrganisationName,
    Region,
)


def organisation_registry(
    user,
    *,
    search: str = "",
    kind: str = "",
    level: str = "",
    region: int | None = None,
    evaluated_only: bool = False,
) -> QuerySet[Organisation]:
    """The registry as ``user`` may see it, filtered (p.23 levels; region; name or BIN search)."""
    qs = access.visible(user, Organisation).select_related("region", "parent")
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(name_ru__icontains=term)
            | Q(name_kk__icontains=term)
            | Q(short_name_ru__icontains=term)
            | Q(bin__startswith=term)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if region:
        qs = qs.filter(region_id=region)
    if evaluated_only:
        qs = qs.filter(is_evaluated=True)
    return qs.order_by("kind", "name_ru", "pk")


def regions() -> list[Region]:
    return list(Region.objects.order_by("name_ru"))


def organisation_for_page(user, pk) -> Organisation:
    """A body for its page (404 for outsiders), with its ancestors for the evaluator lookup."""
    qs = Organisation.objects.select_related("region", "parent__parent__parent", "successor")
    return access.get_visible_or_404(user, qs, pk=pk)


def organisation_children(user, organisation: Organisation) -> QuerySet[Organisation]:
    return (
        access.visible(user, Organisation.objects.filter(parent=organisation))
        .select_related("region")
        .order_by("name_ru")
    )


def organisation_staff(user, organisation: Organisation) -> QuerySet[Membership]:
    return (
        access.visible(user, Membership.objects.filter(organisation=organisation))
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def organisation_assignments(user, organisation: Organisation, cycle: Cycle | None):
    if cycle is None:
        return AssessorAssignment.objects.none()
    return (
        access.visible(
            user,
            AssessorAssignment.objects.filter(
                cycle=cycle, body=organisation, removed_at__isnull=True
            ),
        )
        .select_related("assessor")
        .order_by("direction", "assessor__full_name")
    )


def cycle_assignments(user, cycle: Cycle, *, body: int | None = None) -> QuerySet:
    qs = access.visible(user, AssessorAssignment.objects.filter(cycle=cycle)).select_related(
        "body", "assessor"
    )
    if body:
        qs = qs.filter(body_id=body)
    return qs.order_by("removed_at", "body__name_ru", "direction", "assessor__full_name")


def name_on(organisation: Organisation, day: date) -> tuple[str, str]:
    """``(name_ru, name_kk)`` the body bore on ``day`` (its current names when no history)."""
    return names_on([organisation], day)[organisation.pk]


def names_on(organisations, day: date) -> dict[int, tuple[str, str]]:
    """Names of several bodies on ``day`` (one query): what a cycle prints (``cycle.names_on``)."""
    organisations = list(organisations)
    result = {org.pk: (org.name_ru, org.name_kk) for org in organisations}
    rows = OrganisationName.objects.filter(
        organisation_id__in=[org.pk for org in organisations]
    ).filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )
    for row in rows.order_by("valid_from"):
        result[row.organisation_id] = (row.name_ru, row.name_kk)
    return result
