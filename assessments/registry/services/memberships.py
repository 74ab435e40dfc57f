"""Roles through memberships in organisations: grant and end (with the audit trail)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock
from assessments.models import Membership, Organisation, Role
from assessments.models.people import BODY_ROLES, DIRECTED_ROLES, EVALUATOR_ROLES

# signature blocks): 3, 4, 15 the Agency's deputy chair; 5 the Ministry's head; 8 MIOD's head;
# 12 the Committee's head. The bodies of the exceptions (p.5) sign the conclusions they issue.
SIGNED_ANNEXES: dict[str, frozenset[int]] = {
    Organisation.EvaluatorRole.AGENCY: frozenset({3, 4, 15}),
    Organisation.EvaluatorRole.DIGITAL_MINISTRY: frozenset({5}),
    Organisation.EvaluatorRole.INFORMATION_MINISTRY: frozenset({8}),
    Organisation.EvaluatorRole.LEGAL_STATISTICS: frozenset({12}),
    Organisation.EvaluatorRole.SERVICE_INTEGRATOR: frozenset({5}),
    Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION: frozenset({3, 5, 8, 12}),
    Organisation.EvaluatorRole.PRIME_MINISTER_OFFICE: frozenset({5, 8}),
}


def check_membership(
    organisation: Organisation, role: str, direction: str, annexes: list[int]
) -> None:
    if role in DIRECTED_ROLES and not direction:
        raise DomainError(_("Для этой роли укажите направление."))
    if role not in DIRECTED_ROLES and direction and role != Role.SIGNATORY:
        raise DomainError(
            _("Направление указывается только экспертам и руководителям подразделений.")
        )
    if role in EVALUATOR_ROLES and not organisation.evaluator_role:
        raise DomainError(_("Эта роль бывает только в уполномоченном на оценку органе."))
    if role in BODY_ROLES and organisation.kind not in (
        Organisation.Kind.CENTRAL,
        Organisation.Kind.LOCAL,
    ):
        raise DomainError(_("Эта роль бывает только в оцениваемом органе."))
    if role == Role.SIGNATORY:
        allowed = SIGNED_ANNEXES.get(organisation.evaluator_role, frozenset())
        if not annexes or not set(annexes) <= allowed:
            raise DomainError(
                _("Подписант этого органа подписывает приложения: %(annexes)s.")
                % {"annexes": ", ".join(str(n) for n in sorted(allowed)) or "—"}
            )
    elif annexes:
        raise DomainError(_("Приложения указываются только подписантам."))


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    organisation: Organisation,
    role: str,
    direction: str = "",
    annexes: list[int] | tuple[int, ...] = (),
    active_from: date | None = None,
    reason: str = "",
) -> Membership:
    """Give ``user`` a role in ``organisation`` (idempotent for an identical active role)."""
    if actor is not None and not access.principal(actor).is_admin:
        raise PermissionDenied
    role = Role(role)
    annexes = sorted({int(n) for n in annexes})
    check_membership(organisation, role, direction, annexes)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        direction=direction,
        defaults={"annexes": annexes, "active_from": active_from},
    )
    if created:
        audit_record(
            actor=actor,
            obj=membership,
            action="grant",
            changes={"role": (None, role.label), "annexes": (None, annexes)},
            reason=reason,
        )
    elif membership.annexes != annexes or membership.active_to is not None:
        before = (membership.annexes, membership.active_to)
        membership.annexes, membership.active_to = annexes, None
        membership.save(update_fields=["annexes", "active_to"])
        audit_record(
            actor=actor,
            obj=membership,
            action="update",
            changes={"annexes": (before[0], annexes), "active_to": (before[1], None)},
            reason=reason,
        )
    access.forget(user)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, active_to: date, reason: str) -> Membership:
    """The role ends on ``active_to`` (kept for history: who held it then)."""
    if actor is not None and not access.principal(actor).is_admin:
        raise PermissionDenied
    membership = lock(membership)
    before = membership.active_to
    membership.active_to = active_to
    membership.save(update_fields=["active_to"])
    audit_record(
        actor=actor,
        obj=membership,
        action="end",
        changes={"active_to": (before, active_to)},
        reason=reason,
    )
    access.forget(membership.user)
    return membership
