"""Object-level access: the one place that decides who may see and do what.

Every view, queryset and task acting for a user goes through here; no view checks roles by hand.

    visible(user, Model | queryset) -> queryset          what the user may see
    get_visible_or_404(user, Model | queryset, **lookup) one object, or Http404 (outsiders: 404)
    can(user, action, obj, **context) -> bool            may the user do ``action`` on ``obj``
    require(user, action, obj, **context)                the same, or PermissionDenied (403)
    may_open(user, section) -> bool                      may the user open a section's pages
    require_section(user, section)                       the same, or PermissionDenied with why
    principal(user) -> Principal                         the user's memberships, loaded once

Rules are registered per model, so each feature adds its own without touching this module (in
its package's ``access.py``, or another app's ``access_rules.py``, imported by
``AssessmentsConfig.ready``):

    @access.visibility(Report)
    def _reports(p: Principal) -> Q | None:          # OR-ed with every other rule of the model
        return access.body_direction_q(p, body="body", direction="direction")

    @access.action(Report, "submit")
    def _submit(p: Principal, report, **context) -> bool: ...

A model without a visibility rule is visible to nobody (fail closed), and ``can`` is False for an
action nobody registered. ``visible`` rules return a ``Q`` (``EVERYTHING`` for all rows) or None.

Who sees what (p.5, p.113):
* administrators, the Agency's coordinator and the Commission's working body see every body;
* a body's staff (submitter, head) see their body and its sub-units;
* an evaluating body's people (assessors and unit heads for their direction, signatories for
  all of its directions) see the bodies their organisation evaluates — and only on those
  directions, through ``body_direction_q``;
* everybody sees the organisations they belong to;
* commission members see the objections before their commission (rules of the appeals app).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from assessments.kernel import clock
from assessments.kernel.evaluators import RuleTable, chain
from assessments.kernel.people import active_q
from assessments.models import Membership, Organisation, Role
from assessments.models.people import BODY_ROLES, COMMISSION_ROLES, EVALUATOR_ROLES

# A Q that matches every row (``Q()`` would vanish when OR-ed with another Q).
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])

GLOBAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.WORKING_BODY_REP})

VisibilityRule = Callable[["Principal"], Q | None]
ActionRule = Callable[..., bool]

_visibility: dict[type[models.Model], list[VisibilityRule]] = defaultdict(list)
_actions: dict[tuple[type[models.Model], str], list[ActionRule]] = defaultdict(list)
SectionRule = Callable[["Principal"], bool]
_sections: dict[str, list[SectionRule]] = defaultdict(list)
_section_reasons: dict[str, Any] = {}


# --- The principal: who the user is, in the system's terms -----------------------------------


@dataclass
class Principal:
    """A user's active memberships (loaded once per request) and what follows from them."""

    user: Any
    day: date
    memberships: tuple[Membership, ...] = ()
    _rules: Any = field(default=None, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    @property
    def is_admin(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False)) or Role.ADMINISTRATOR in self.roles

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def sees_every_body(self) -> bool:
        return self.is_admin or bool(self.roles & GLOBAL_ROLES)

    def has_role(self, role: str, *, organisation: Organisation | int | None = None,
                 direction: str | None = None) -> bool:
        org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
        return any(
            m.role == role
            and (org_id is None or m.organisation_id == org_id)
            and (direction is None or m.direction in ("", direction))
            for m in self.memberships
        )

    def org_ids(self, *roles: str) -> frozenset[int]:
        """Organisations where the user holds one of ``roles`` (any role when none given)."""
        return frozenset(
            m.organisation_id for m in self.memberships if not roles or m.role in roles
        )

    @cached_property
    def body_ids(self) -> frozenset[int]:
        """Evaluated bodies the user works for (submitter, head)."""
        return self.org_ids(*BODY_ROLES)

    @cached_property
    def commission_org_ids(self) -> frozenset[int]:
        """Evaluating bodies on whose special commission the user sits (p.113)."""
        return self.org_ids(*COMMISSION_ROLES)

    @cached_property
    def assignments(self) -> frozenset[tuple[int, int, str]]:
        """``(cycle, body, direction)`` the user is assigned to as an assessor (not removed)."""
        from assessments.models import AssessorAssignment

        if not getattr(self.user, "pk", None):
            return frozenset()
        return frozenset(AssessorAssignment.objects.filter(
            assessor_id=self.user.pk, removed_at__isnull=True,
        ).values_list("cycle_id", "body_id", "direction"))

    def changes_assessment(self, *, evaluator_id: int, cycle_id: int, body_id: int,
                           direction: str) -> bool:
        """Whether the user may change a body's assessment on a direction — its scores,
        findings, conclusion drafts (issue 16): an assessor of the evaluating body *assigned* to
        that body × direction in the cycle, or the unit head of that direction. Assessors who are
        not assigned read their direction's work but change nothing."""
        from assessments.models import Role

        if self.has_role(Role.ASSESSOR_UNIT_HEAD, organisation=evaluator_id, direction=direction):
            return True
        return self.has_role(Role.ASSESSOR, organisation=evaluator_id, direction=direction) and (
            (cycle_id, body_id, direction) in self.assignments)

    @cached_property
    def evaluator_scopes(self) -> frozenset[tuple[int, str]]:
        """``(evaluating body, direction)`` pairs the user works on.

        Assessors and unit heads work on their membership's direction; signatories (and those
        memberships without a direction) on every direction their body evaluates.
        """
        from assessments.models import Direction

        scopes = set()
        for m in self.memberships:
            if m.role not in EVALUATOR_ROLES:
                continue
            directions = [m.direction] if m.direction else list(Direction.values)
            scopes.update((m.organisation_id, d) for d in directions)
        return frozenset(scopes)

    @property
    def rules(self):
        if self._rules is None:
            self._rules = RuleTable.load(self.day)
        return self._rules


def principal(user) -> Principal:
    """The user's principal for today, cached on the user object (one request, one load)."""
    if isinstance(user, Principal):
        return user
    today = clock.today()
    cached = getattr(user, "_access_principal", None)
    if cached is not None and cached.day == today:
        return cached
    memberships: tuple[Membership, ...] = ()
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        memberships = tuple(
            Membership.objects.filter(active_q(today), user=user).select_related("organisation")
        )
    result = Principal(user=user, day=today, memberships=memberships)
    try:
        user._access_principal = result
    except AttributeError:  # AnonymousUser allows attributes; anything else is fine uncached
        pass
    return result


def forget(user) -> None:
    """Drop the cached principal (after the user's memberships changed in this request)."""
    if hasattr(user, "_access_principal"):
        del user._access_principal


# --- Registration --------------------------------------------------------------------------


def visibility(model: type[models.Model]) -> Callable[[VisibilityRule], VisibilityRule]:
    """Register a visibility rule for ``model`` (decorator). Rules of one model are OR-ed."""

    def decorator(rule: VisibilityRule) -> VisibilityRule:
        _visibility[model].append(rule)
        return rule

    return decorator


def action(model: type[models.Model], name: str) -> Callable[[ActionRule], ActionRule]:
    """Register a rule for ``can(user, name, obj)`` on ``model`` (decorator); rules are OR-ed."""

    def decorator(rule: ActionRule) -> ActionRule:
        _actions[(model, name)].append(rule)
        return rule

    return decorator


def section(name: str, *, reason: Any = None) -> Callable[[SectionRule], SectionRule]:
    """Register a rule for ``may_open(user, name)``: who may open a section's pages (a list page,
    a tool, a menu entry's target). Rules of one section are OR-ed; a section nobody registered
    is closed. ``reason`` (a lazy translated sentence) is what a refused person reads on the 403
    page: why, and whom to ask."""

    def decorator(rule: SectionRule) -> SectionRule:
        _sections[name].append(rule)
        if reason is not None:
            _section_reasons[name] = reason
        return rule

    return decorator


def registered_sections() -> list[str]:
    return sorted(_sections)


def registered_models() -> list[type[models.Model]]:
    return list(_visibility)


def registered_actions(model: type[models.Model]) -> list[str]:
    return sorted(name for (m, name) in _actions if m is model)


# --- The questions ---------------------------------------------------------------------------


def _queryset(model_or_qs) -> models.QuerySet:
    if isinstance(model_or_qs, models.QuerySet):
        return model_or_qs
    return model_or_qs._default_manager.all()


def visible_q(user, model: type[models.Model]) -> Q:
    """The filter of ``model``'s rows ``user`` may see."""
    rules = _visibility.get(model)
    if not rules:
        raise ImproperlyConfigured(
            f"No access rule for {model._meta.label}: register one with "
            "assessments.kernel.access.visibility before showing it to users."
        )
    p = principal(user)
    if not p.is_authenticated:
        return NOTHING
    result = None
    for rule in rules:
        q = rule(p)
        if q is not None:
            result = q if result is None else result | q
    return NOTHING if result is None else result


def visible(user, model_or_qs) -> models.QuerySet:
    """The rows of a model (or of a queryset) that ``user`` may see."""
    qs = _queryset(model_or_qs)
    q = visible_q(user, qs.model)
    if q is NOTHING:
        return qs.none()
    # Rules follow foreign keys only (never a to-many relation), so no DISTINCT is needed.
    return qs.filter(q)


def get_visible_or_404(user, model_or_qs, **lookup) -> models.Model:
    """The object matching ``lookup`` among those ``user`` may see; Http404 otherwise (an outsider
    learns nothing about objects of others, not even that they exist)."""
    try:
        return visible(user, model_or_qs).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404


def can(user, action_name: str, obj: models.Model, **context) -> bool:
    """May ``user`` do ``action_name`` on ``obj``? ``"view"`` is visibility itself."""
    p = principal(user)
    if not p.is_authenticated:
        return False
    model = type(obj)
    if action_name == "view":
        return visible(user, model).filter(pk=obj.pk).exists()
    return any(rule(p, obj, **context) for rule in _actions.get((model, action_name), ()))


def require(user, action_name: str, obj: models.Model, **context) -> None:
    """``can`` or PermissionDenied (a 403: the object is visible, the action is not allowed)."""
    if not can(user, action_name, obj, **context):
        raise PermissionDenied


def may_open(user, section_name: str) -> bool:
    """May ``user`` open the pages of ``section_name``? (The navigation shows a section's entry
    exactly when this is True, and the section's views refuse exactly when it is False.)"""
    p = principal(user)
    if not p.is_authenticated:
        return False
    return any(rule(p) for rule in _sections.get(section_name, ()))


def require_section(user, section_name: str) -> None:
    """``may_open`` or PermissionDenied carrying the section's reason (shown on the 403 page)."""
    if not may_open(user, section_name):
        reason = _section_reasons.get(section_name)
        raise PermissionDenied(str(reason) if reason is not None else "")


# --- Building blocks for rules of any model tied to bodies -----------------------------------

SUBUNIT_DEPTH = 3


def subtree_q(ids: frozenset[int] | set[int], prefix: str) -> Q:
    """Organisations (through ``prefix``) in ``ids`` or below one of them."""
    if not ids:
        return NOTHING
    ids = sorted(ids)
    q = Q(**{f"{prefix}pk__in": ids})
    path = prefix
    for _ in range(SUBUNIT_DEPTH):
        path += "parent__"
        q |= Q(**{f"{path}pk__in": ids})
    return q


def bodies_q(user, prefix: str = "") -> Q:
    """Filter on Organisation (through ``prefix``, e.g. ``"body__"``): bodies the user may see."""
    p = principal(user)
    if not p.is_authenticated:
        return NOTHING
    if p.sees_every_body:
        return EVERYTHING if not prefix else Q(**{f"{prefix}pk__isnull": False})
    q = subtree_q(p.body_ids, prefix) | Q(**{f"{prefix}pk__in": sorted(p.org_ids())})
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        q |= p.rules.bodies_q(evaluator_id, direction, prefix)
    return q


def body_direction_q(user, *, body: str = "body", direction: str = "direction") -> Q:
    """Filter for objects of one body × direction (reports, scores, conclusions): the body's
    staff see all its directions, an evaluating body's people only the directions they work on,
    for the bodies their organisation evaluates."""
    p = principal(user)
    if not p.is_authenticated:
        return NOTHING
    if p.sees_every_body:
        return EVERYTHING
    q = subtree_q(p.body_ids, f"{body}__")
    for evaluator_id, d in sorted(p.evaluator_scopes):
        q |= Q(**{direction: d}) & p.rules.bodies_q(evaluator_id, d, f"{body}__")
    return q


def direction_bodies_q(user, direction: str, prefix: str = "") -> Q:
    """Filter on Organisation (through ``prefix``): the bodies whose objects on ``direction``
    the user may see — ``body_direction_q`` for one direction, for pages listing body ×
    direction pairs that need not have a row of their own yet (the cycle's overview)."""
    p = principal(user)
    if not p.is_authenticated:
        return NOTHING
    if p.sees_every_body:
        return EVERYTHING if not prefix else Q(**{f"{prefix}pk__isnull": False})
    q = subtree_q(p.body_ids, prefix)
    for evaluator_id, d in sorted(p.evaluator_scopes):
        if d == direction:
            q |= p.rules.bodies_q(evaluator_id, d, prefix)
    return q


def evaluates(user, body: Organisation, direction: str) -> bool:
    """Whether the user works for the body that evaluates ``body`` on ``direction``."""
    p = principal(user)
    evaluator_id = p.rules.evaluator_id(chain(body), direction)
    return evaluator_id is not None and (evaluator_id, direction) in p.evaluator_scopes
