"""Access rules of the registry: bodies and their names, cycles and their schedules, assessors'
assignments, memberships, and the audit log (registered with ``assessments.kernel.access``)."""

from __future__ import annotations

from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, Principal
from assessments.kernel.evaluators import chain as evaluation_chain
from assessments.models import (
    AssessorAssignment,
    AuditEntry,
    Cycle,
    Membership,
    Milestone,
    Organisation,
    OrganisationName,
    Role,
)


@access.visibility(Organisation)
def _organisations(p: Principal) -> Q:
    return access.bodies_q(p)


@access.action(Organisation, "change")
def _organisation_change(p: Principal, obj, **context) -> bool:
    return p.is_admin


@access.visibility(OrganisationName)
def _organisation_names(p: Principal) -> Q:
    return access.bodies_q(p, "organisation__")


@access.visibility(Cycle)
def _cycles(p: Principal) -> Q:
    # The schedule is public to everyone taking part: every page that depends on it shows it.
    return EVERYTHING


@access.action(Cycle, "edit_schedule")
def _cycle_edit_schedule(p: Principal, cycle, **context) -> bool:
    return p.is_admin or p.is_coordinator


@access.action(Cycle, "assign_assessor")
def _cycle_assign(p: Principal, cycle, *, body=None, direction=None, **context) -> bool:
    """Admins and the coordinator assign anywhere; a unit head or signatory of the evaluating
    body assigns on the bodies × directions it evaluates (``body`` and ``direction`` given)."""
    if p.is_admin or p.is_coordinator:
        return True
    if body is None or direction is None:
        return bool(p.roles & {Role.ASSESSOR_UNIT_HEAD, Role.SIGNATORY})
    evaluator_id = p.rules.evaluator_id(evaluation_chain(body), direction)
    return evaluator_id is not None and (
        p.has_role(Role.ASSESSOR_UNIT_HEAD, organisation=evaluator_id, direction=direction)
        or p.has_role(Role.SIGNATORY, organisation=evaluator_id)
    )


@access.visibility(Milestone)
def _milestones(p: Principal) -> Q:
    return EVERYTHING


@access.action(Milestone, "change")
def _milestone_change(p: Principal, milestone, **context) -> bool:
    return p.is_admin or p.is_coordinator


@access.visibility(AssessorAssignment)
def _assignments(p: Principal) -> Q:
    return access.body_direction_q(p) | Q(assessor_id=p.user.pk)


@access.action(AssessorAssignment, "remove")
def _assignment_remove(p: Principal, assignment, **context) -> bool:
    return _cycle_assign(p, assignment.cycle, body=assignment.body,
                         direction=assignment.direction)


@access.visibility(Membership)
def _memberships(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    return Q(user_id=p.user.pk) | Q(organisation_id__in=sorted(p.org_ids()))


@access.visibility(AuditEntry)
def _audit_entries(p: Principal) -> Q | None:
    # The whole log is for administrators; others read an object's history on its page.
    return EVERYTHING if p.is_admin else None

