"""What every procedure of the re-verification shares: who is who (the evaluating body's
staff, the body's staff and head, the assessors to tell), the lock, the checks before a write.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.kernel.people import assigned_assessors, people
from assessments.kernel.transitions import lock
from assessments.models import (
    MAIN_DIRECTIONS,
    Reverification,
    Role,
    User,
)
from assessments.models.people import BODY_ROLES


class EditConflict(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


def _directions_ok(direction: str) -> str:
    if direction not in MAIN_DIRECTIONS:
        raise DomainError(
            _("Перепроверка проводится по направлениям оценки: госуслуги, открытость, жалобы.")
        )
    return str(direction)


# --- Who is who ----------------------------------------------------------------------------------


def works_on(user, reverification: Reverification) -> bool:
    """The user works for the evaluating body on the re-verification's direction (an assessor,
    a unit head or a signatory), or is an administrator."""
    p = access.principal(user)
    if not p.is_authenticated:
        return False
    if p.is_admin:
        return True
    return (reverification.evaluator_id, reverification.direction) in p.evaluator_scopes


def is_body_staff(user, reverification: Reverification) -> bool:
    p = access.principal(user)
    return any(
        m.role in BODY_ROLES and m.organisation_id == reverification.body_id
        for m in p.memberships
    )


def is_body_head(user, reverification: Reverification) -> bool:
    p = access.principal(user)
    return p.has_role(Role.BODY_HEAD, organisation=reverification.body_id)


def _body_staff(reverification: Reverification) -> list[User]:
    return people(reverification.body_id, BODY_ROLES)


def _body_heads(reverification: Reverification) -> list[User]:
    return people(reverification.body_id, [Role.BODY_HEAD])


def _assessors(reverification: Reverification) -> list[User]:
    """The assessors assigned to the body × direction, else the evaluating body's assessors of
    the direction (whose membership is active today)."""
    users = assigned_assessors(cycle_id=reverification.cycle_id,
                               body_id=reverification.body_id,
                               directions=[reverification.direction])
    if users:
        return users
    return people(reverification.evaluator_id, [Role.ASSESSOR],
                  direction=reverification.direction)


def _link(reverification: Reverification) -> str:
    return reverse("reverification:reverification_detail", args=[reverification.pk])


def _lock(reverification: Reverification) -> Reverification:
    return lock(reverification, "cycle", "body", "evaluator")


def _require_work(actor, reverification: Reverification) -> None:
    access.require(actor, "work", reverification)


def _require_open(reverification: Reverification) -> None:
    if not reverification.is_open:
        raise DomainError(
            _("Акт сверки уже сформирован: чтобы изменить факты, откройте перепроверку для "
              "новой версии акта."),
            code="state",
        )
