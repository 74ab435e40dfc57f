"""Writes to the registry of bodies: create, update, rename (keeping the name history), close.

Reference data changes only here (the admin calls these too), each with an audit row (who, when,
before → after, why).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.audit import audit_record, changes_between, snapshot
from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock
from assessments.models import Organisation, OrganisationName

# Fields a plain update may change (names go through organisation_rename).
UPDATABLE_FIELDS = (
    "kind",
    "central_type",
    "level",
    "parent",
    "region",
    "short_name_ru",
    "short_name_kk",
    "bin",
    "is_evaluated",
    "evaluator_role",
    "special",
    "active_from",
    "active_to",
    "successor",
)
NAME_FIELDS = ("name_ru", "name_kk")


def _require_admin(actor) -> None:
    if actor is not None and not access.principal(actor).is_admin:
        raise PermissionDenied


def check_structure(organisation: Organisation) -> None:
    """Kinds and levels must agree (p.23), and the hierarchy must have no loop."""
    if organisation.kind == Organisation.Kind.LOCAL and not organisation.level:
        raise DomainError(_("Для местного исполнительного органа укажите уровень."))
    if organisation.kind != Organisation.Kind.LOCAL and organisation.level:
        raise DomainError(_("Уровень указывается только для местных исполнительных органов."))
    if organisation.kind != Organisation.Kind.CENTRAL and organisation.central_type:
        raise DomainError(_("Тип указывается только для центральных государственных органов."))
    node, depth = organisation.parent, 0
    while node is not None:
        if node.pk == organisation.pk:
            raise DomainError(_("Орган не может подчиняться сам себе."))
        node, depth = node.parent, depth + 1
        if depth > 10:
            raise DomainError(_("Слишком глубокая иерархия органов."))


@transaction.atomic
def organisation_create(*, actor, reason: str = "", **fields) -> Organisation:
    """Add a body to the registry with its first name period (p.5, p.23)."""
    _require_admin(actor)
    organisation = Organisation(**fields)
    organisation.full_clean()
    check_structure(organisation)
    organisation.save()
    OrganisationName.objects.create(
        organisation=organisation,
        name_ru=organisation.name_ru,
        name_kk=organisation.name_kk,
        valid_from=organisation.active_from,
    )
    audit_record(
        actor=actor,
        obj=organisation,
        action="create",
        changes={
            name: (None, getattr(organisation, name))
            for name in NAME_FIELDS + UPDATABLE_FIELDS
            if getattr(organisation, name) not in (None, "", False)
        },
        reason=reason,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, reason: str, **changes
) -> Organisation:
    """Change a body's reference data (not its names: see organisation_rename)."""
    _require_admin(actor)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown & set(NAME_FIELDS):
        raise DomainError(_("Наименование меняется переименованием, с датой и основанием."))
    if unknown:
        raise DomainError(_("Эти поля не изменяются: %(fields)s.") % {"fields": ", ".join(unknown)})
    organisation = lock(organisation)
    before = snapshot(organisation, changes)
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    check_structure(organisation)
    diff = changes_between(before, organisation, changes)
    if diff:
        organisation.save()
        audit_record(actor=actor, obj=organisation, action="update", changes=diff, reason=reason)
    return organisation


@transaction.atomic
def organisation_rename(
    *,
    actor,
    organisation: Organisation,
    name_ru: str,
    name_kk: str,
    effective_on: date,
    basis: str = "",
    reason: str = "",
) -> Organisation:
    """Rename a body from ``effective_on``; the previous name stays in the history, so a cycle of
    an earlier period still prints the name the body had then."""
    _require_admin(actor)
    if not name_ru.strip() or not name_kk.strip():
        raise DomainError(_("Укажите наименование на русском и казахском языках."))
    organisation = lock(organisation)
    current = (
        OrganisationName.objects.filter(organisation=organisation, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if current is not None:
        if current.valid_from and current.valid_from >= effective_on:
            raise DomainError(
                _("Новое наименование должно действовать позже текущего (с %(day)s).")
                % {"day": current.valid_from.strftime("%d.%m.%Y")}
            )
        current.valid_to = effective_on - timedelta(days=1)
        current.save(update_fields=["valid_to"])
    else:  # a body created without history: keep its old name as the first period
        OrganisationName.objects.create(
            organisation=organisation,
            name_ru=organisation.name_ru,
            name_kk=organisation.name_kk,
            valid_from=organisation.active_from,
            valid_to=effective_on - timedelta(days=1),
        )
    OrganisationName.objects.create(
        organisation=organisation,
        name_ru=name_ru,
        name_kk=name_kk,
        valid_from=effective_on,
        basis=basis,
    )
    before = snapshot(organisation, NAME_FIELDS)
    organisation.name_ru, organisation.name_kk = name_ru, name_kk
    organisation.save(update_fields=list(NAME_FIELDS))
    audit_record(
        actor=actor,
        obj=organisation,
        action="rename",
        changes=changes_between(before, organisation, NAME_FIELDS),
        reason=reason or basis,
    )
    return organisation


@transaction.atomic
def organisation_close(
    *,
    actor,
    organisation: Organisation,
    active_to: date,
    successor: Organisation | None = None,
    reason: str,
) -> Organisation:
    """A body is abolished or merged into ``successor`` on ``active_to`` (its last day)."""
    if successor is not None and successor.pk == organisation.pk:
        raise DomainError(_("Орган не может быть правопреемником самого себя."))
    return organisation_update(
        actor=actor,
        organisation=organisation,
        reason=reason,
        active_to=active_to,
        successor=successor,
    )
