"""Access rules of re-verification (p.12–21), registered with ``assessments.kernel.access``.

* A re-verification is seen by administrators, the Agency's coordinator and the Commission's
  working body; by the evaluating body's people working on its direction (assessors, unit heads,
  signatories); and by the evaluated body's own staff — only their own body's, and not once it was
  removed from the selection. Document requests, the body's documents and the acts follow it.
* Findings and checks of information systems are the evaluator's working papers (the body reads
  the facts in the act); the risk method and random samples are the evaluating body's.
* The evaluator's assessors assigned to the body and the direction's unit head do the work
  (requests, checks, findings, the act; issue 16), its other people read it; the body's staff
  answer requests; the act is signed by an evaluator's person on the direction, then by the
  body's head (annex 1), in the signing service's order.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, NOTHING, Principal
from assessments.models import (
    ConfirmingDocument,
    Cycle,
    DocumentRequest,
    Finding,
    ReconciliationAct,
    Reverification,
    RiskMethod,
    RiskSample,
    Role,
    SystemCheck,
)
from assessments.models.people import EVALUATOR_ROLES
from assessments.reverification import services
from reporting.models import SignedDocument

CANCELLED = Reverification.State.CANCELLED


def _evaluator_q(p: Principal, prefix: str = "") -> Q:
    q = NOTHING
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        q |= Q(**{f"{prefix}evaluator_id": evaluator_id, f"{prefix}direction": direction})
    return q


def _body_q(p: Principal, prefix: str = "") -> Q:
    if not p.body_ids:
        return NOTHING
    return Q(**{f"{prefix}body_id__in": sorted(p.body_ids)}) & ~Q(**{f"{prefix}state": CANCELLED})


def reverifications_q(p: Principal, prefix: str = "", *, body_staff: bool = True) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    q = _evaluator_q(p, prefix)
    if body_staff:
        q |= _body_q(p, prefix)
    return q


@access.visibility(Reverification)
def _reverifications(p: Principal) -> Q:
    return reverifications_q(p)


@access.visibility(DocumentRequest)
def _requests(p: Principal) -> Q:
    return reverifications_q(p, "reverification__")


@access.visibility(ConfirmingDocument)
def _documents(p: Principal) -> Q:
    """A document in quarantine is seen by its uploader only — a held picture also by the
    body's head who confirms it (issue 16); once accepted, wherever the request is."""
    from assessments.submission.services.quarantine import visible_q

    return reverifications_q(p, "request__reverification__") & visible_q(
        p, body_head_of="request__reverification__body_id")


@access.action(ConfirmingDocument, "confirm_classification")
def _document_confirm(p: Principal, document: ConfirmingDocument, **context) -> bool:
    """A held picture or scan: the body's head confirms it carries no restrictive stamp."""
    return document.check_state == ConfirmingDocument.CheckState.HELD and p.has_role(
        Role.BODY_HEAD, organisation=document.request.reverification.body_id)


@access.visibility(ReconciliationAct)
def _acts(p: Principal) -> Q:
    return reverifications_q(p, "reverification__")


@access.visibility(Finding)
def _findings(p: Principal) -> Q:
    return reverifications_q(p, "reverification__", body_staff=False)


@access.visibility(SystemCheck)
def _system_checks(p: Principal) -> Q:
    return reverifications_q(p, "reverification__", body_staff=False)


@access.visibility(RiskMethod)
def _risk_methods(p: Principal) -> Q:
    return EVERYTHING if p.sees_every_body else _evaluator_q(p)


@access.visibility(RiskSample)
def _risk_samples(p: Principal) -> Q:
    return EVERYTHING if p.sees_every_body else _evaluator_q(p)


@access.action(Reverification, "work")
def _work(p: Principal, rv: Reverification, **context) -> bool:
    """Requests, checks of information systems, the act (annex 1), closing and reopening: the
    assessors assigned to the body on the direction, the direction's unit head and
    administrators (issue 16, the rule of findings and drafts); the other people of the
    evaluating body read the work."""
    if rv.state == CANCELLED:
        return False
    return p.is_admin or p.changes_assessment(evaluator_id=rv.evaluator_id, cycle_id=rv.cycle_id,
                                              body_id=rv.body_id, direction=rv.direction)


@access.action(Reverification, "change_findings")
def _change_findings(p: Principal, rv: Reverification, **context) -> bool:
    """Findings (the facts that change the scores) are recorded and changed by the assessors
    assigned to the body on the direction and by the direction's unit head (issue 16); the
    other people of the evaluating body read them."""
    if rv.state == CANCELLED:
        return False
    return p.is_admin or p.changes_assessment(evaluator_id=rv.evaluator_id, cycle_id=rv.cycle_id,
                                              body_id=rv.body_id, direction=rv.direction)


@access.action(Reverification, "respond")
def _respond(p: Principal, rv: Reverification, **context) -> bool:
    return rv.state != CANCELLED and services.is_body_staff(p, rv)


@access.action(ReconciliationAct, "sign")
def _sign(p: Principal, act: ReconciliationAct, **context) -> bool:
    from reporting.signing.services import signing_turn

    if act.signed_document_id is None or act.superseded_at is not None:
        return False
    return signing_turn(signed_document=act.signed_document, user=p.user).may_sign


def _evaluator_person(p: Principal, evaluator, direction: str, roles=EVALUATOR_ROLES) -> bool:
    evaluator_id = getattr(evaluator, "pk", evaluator)
    return any(
        m.role in roles and m.organisation_id == evaluator_id and m.direction in ("", direction)
        for m in p.memberships
    )


@access.action(Cycle, "reverification_select")
def _select(p: Principal, cycle: Cycle, *, evaluator=None, direction=None, **context) -> bool:
    """Pick and remove bodies, draw samples: the evaluating body's people on the direction."""
    if p.is_admin:
        return True
    if evaluator is None or direction is None:
        return False
    return _evaluator_person(p, evaluator, direction)


@access.action(Cycle, "edit_risk_method")
def _edit_method(p: Principal, cycle: Cycle, *, evaluator=None, direction=None, **context) -> bool:
    """The weights are the evaluating body's: its unit head on the direction or its signatory."""
    if p.is_admin:
        return True
    if evaluator is None or direction is None:
        return False
    return _evaluator_person(p, evaluator, direction,
                             roles=(Role.ASSESSOR_UNIT_HEAD, Role.SIGNATORY))


# The signed act is visible wherever the act is (the signing service's own rule names only the
# people of user slots; the act's slots are role slots).
@access.visibility(SignedDocument)
def _signed_acts(p: Principal) -> Q | None:
    visible_acts = ReconciliationAct.objects.filter(
        reverifications_q(p, "reverification__")
    ).values("pk")
    return Q(
        subject_type=ContentType.objects.get_for_model(ReconciliationAct),
        subject_id__in=visible_acts,
    )


# --- Who may sign the act's slots (reporting.signing.roles) ------------------------------------


def _act_of(signed_document) -> ReconciliationAct | None:
    subject = signed_document.subject
    return subject if isinstance(subject, ReconciliationAct) else None


def _evaluator_representative(user, signed_document, slot) -> bool:
    """A person of the evaluating body working on the act's direction (not an administrator:
    an administrator does not represent the evaluating body)."""
    act = _act_of(signed_document)
    if act is None:
        return False
    rv = act.reverification
    p = access.principal(user)
    return (rv.evaluator_id, rv.direction) in p.evaluator_scopes


def _body_representative(user, signed_document, slot) -> bool:
    """The evaluated body's head (Membership doc: the head signs annexes 1 and 14)."""
    act = _act_of(signed_document)
    if act is None:
        return False
    return access.principal(user).has_role(Role.BODY_HEAD,
                                           organisation=act.reverification.body_id)


def _register_signatory_roles() -> None:
    from reporting.signing.roles import register_signatory_role

    register_signatory_role(services.EVALUATOR_SLOT_ROLE)(_evaluator_representative)
    register_signatory_role(services.BODY_SLOT_ROLE)(_body_representative)


_register_signatory_roles()
