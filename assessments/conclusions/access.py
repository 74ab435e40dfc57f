"""Access rules of the conclusions (p.21, p.109–115), registered with ``assessments.kernel.access``.

* administrators, the coordinator and the working body see every conclusion;
* the people of the evaluating body see the conclusions it issues on their direction (the
  Agency's services people also the block, annex 15, and every signed automation conclusion,
  annex 5, which feeds criterion 3 of annex 3);
* the body's staff see their conclusions once delivered (issued and after), never a draft;
* the special commission of the evaluating body sees the delivered conclusions it may hear.
A signed document whose subject is a conclusion is visible to whoever sees the conclusion.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, Principal, subtree_q
from assessments.models import Conclusion, Direction, Role
from assessments.models.conclusions import DELIVERED_STATES, ConclusionState
from assessments.models.people import BODY_ROLES
from reporting.models import SignedDocument

CONCLUSION_DIRECTIONS_FOR = {
    Direction.SERVICES: ("services", "block"),
    Direction.AUTOMATION: ("automation",),
    Direction.OPENNESS: ("openness",),
    Direction.COMPLAINTS: ("complaints",),
}
_SIGNED_OR_LATER = (ConclusionState.SIGNED, *DELIVERED_STATES)


@access.visibility(Conclusion)
def _conclusions(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    q = subtree_q(p.body_ids, "body__") & Q(state__in=DELIVERED_STATES)
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        q |= Q(evaluator_id=evaluator_id, direction__in=CONCLUSION_DIRECTIONS_FOR[direction])
        if direction == Direction.SERVICES:
            q |= (
                Q(direction="automation", state__in=_SIGNED_OR_LATER)
                & p.rules.bodies_q(evaluator_id, Direction.SERVICES, "body__")
            )
    if p.commission_org_ids:
        q |= Q(evaluator_id__in=sorted(p.commission_org_ids), state__in=DELIVERED_STATES)
    return q


def _writes(p: Principal, c: Conclusion) -> bool:
    """Drafts are written by the assessors assigned to the body on the direction and by the
    direction's unit head (issue 16); other assessors of the direction only read them."""
    return p.changes_assessment(evaluator_id=c.evaluator_id, cycle_id=c.cycle_id,
                                body_id=c.body_id, direction=c.work_direction)


def _reviews(p: Principal, c: Conclusion) -> bool:
    return p.has_role(Role.ASSESSOR_UNIT_HEAD, organisation=c.evaluator_id,
                      direction=c.work_direction)


def _signs(p: Principal, c: Conclusion) -> bool:
    from assessments.conclusions.signing import holds_slot_role
    from reporting.signing.blocks import SIGNATURE_BLOCKS

    return any(holds_slot_role(p, c, role) for role, _position in SIGNATURE_BLOCKS[c.annex])


def _body_staff(p: Principal, c: Conclusion) -> bool:
    return any(m.role in BODY_ROLES and m.organisation_id == c.body_id for m in p.memberships)


def _commission(p: Principal, c: Conclusion) -> bool:
    return p.is_admin or c.evaluator_id in p.commission_org_ids or (
        Role.WORKING_BODY_REP in p.roles
    )


@access.action(Conclusion, "write")
def _conclusion_write(p: Principal, c: Conclusion, **context) -> bool:
    """Draft, edit and submit: the evaluating body's assessor or head of unit (direction)."""
    return _writes(p, c)


@access.action(Conclusion, "review")
def _conclusion_review(p: Principal, c: Conclusion, **context) -> bool:
    """Approve or return: the head of the evaluating body's unit for the direction."""
    return _reviews(p, c)


@access.action(Conclusion, "sign")
def _conclusion_sign(p: Principal, c: Conclusion, **context) -> bool:
    """Sign: a holder of a slot of the annex's block (the order is the signing service's)."""
    return _signs(p, c)


@access.action(Conclusion, "issue")
def _conclusion_issue(p: Principal, c: Conclusion, **context) -> bool:
    """Deliver to the body: the evaluating body's people of the direction or its signatories."""
    return _writes(p, c) or _signs(p, c)


@access.action(Conclusion, "accept")
def _conclusion_accept(p: Principal, c: Conclusion, **context) -> bool:
    """Notify that there are no objections (p.112): the body's staff."""
    return _body_staff(p, c)


@access.action(Conclusion, "object")
def _conclusion_object(p: Principal, c: Conclusion, **context) -> bool:
    """Object within the window (p.109): the body's staff (through the appeals service)."""
    return _body_staff(p, c) or p.is_admin


@access.action(Conclusion, "decide")
def _conclusion_decide(p: Principal, c: Conclusion, **context) -> bool:
    """Confirm after the commission rejected every row: its commission, the working body."""
    return _commission(p, c)


@access.action(Conclusion, "correct")
def _conclusion_correct(p: Principal, c: Conclusion, **context) -> bool:
    """Draft the corrected version (p.115): the evaluating body's people or its commission."""
    return _writes(p, c) or _commission(p, c)


@access.visibility(SignedDocument)
def _conclusion_documents(p: Principal) -> Q:
    visible = access.visible(p, Conclusion).values("pk")
    return Q(subject_type=ContentType.objects.get_for_model(Conclusion), subject_id__in=visible)
