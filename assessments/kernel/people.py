"""Who holds a role, as of a day: the one "active membership" query and the one "people of this
body in these roles" selector every feature uses (notices, signatories, commissions, access).

A membership is active on a day when it began on or before it (or has no start) and ends on or
after it (or has no end); a user account that is switched off is nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from assessments.kernel import clock
from assessments.models import Membership, User


def active_q(day: date | None = None, *, prefix: str = "") -> Q:
    """Memberships active on ``day`` (today by default); ``prefix`` for lookups through a
    relation (``"memberships__"``)."""
    day = day or clock.today()
    began = Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": day})
    not_ended = Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": day})
    return began & not_ended


def memberships_active(
    day: date | None = None,
    *,
    organisation_id: int | None = None,
    roles: Iterable[str] | None = None,
    direction: str | None = None,
) -> QuerySet[Membership]:
    """Memberships active on ``day``, optionally of one organisation, in ``roles``, and working on
    ``direction`` (a membership with no direction works on every one)."""
    qs = Membership.objects.filter(active_q(day))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    if direction is not None:
        qs = qs.filter(direction__in=["", direction])
    return qs


def people(
    organisation_id: int | None,
    roles: Iterable[str],
    *,
    direction: str | None = None,
    day: date | None = None,
) -> list[User]:
    """Active users holding one of ``roles`` in an organisation (any organisation: ``None``) on
    ``day``, each once, in a stable order."""
    ids = memberships_active(
        day, organisation_id=organisation_id, roles=roles, direction=direction
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def assigned_assessors(
    *,
    cycle_id: int,
    body_id: int,
    directions: Iterable[str] | None = None,
    day: date | None = None,
) -> list[User]:
    """The assessors assigned (and not removed) to a body in a cycle, on ``directions`` (all by
    default), who still hold an assessor's or unit head's membership on ``day``: an assignment
    outlives a membership that ended (it records who took part, p.113), a notice must not."""
    from assessments.models import AssessorAssignment, Role

    assigned = AssessorAssignment.objects.filter(
        cycle_id=cycle_id, body_id=body_id, removed_at__isnull=True)
    if directions is not None:
        assigned = assigned.filter(direction__in=list(directions))
    still = memberships_active(day, roles=[Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD])
    return list(
        User.objects.filter(pk__in=assigned.values("assessor_id"), is_active=True)
        .filter(pk__in=still.values("user_id")).order_by("pk")
    )
