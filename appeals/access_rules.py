"""Access rules of the appeals (p.109–121), registered with ``assessments.kernel.access``.

Who sees an objection (and its rows, documents, sitting, members, votes, completed table):
administrators, the Agency's coordinator and the Commission's working body; the objecting body's
staff; the evaluating body's people on the direction (assessors, unit heads, signatories); the
members of that evaluating body's special commission (its chair, secretary, members) and anyone
named a member of the objection's sitting.

Who does what:
* file objections, notify "no objections", acknowledge the completed table — the body's head
  (its representative, p.109, p.112; annex 14's last line); sign the table drawn up (which files
  it) — the head who drew it up; a table not filed yet is seen by the body's staff (and those
  who see every body) only;
* attach supporting documents while the objection is filed — the body's staff;
* form the commission — the evaluating body's signatory, an administrator or the coordinator
  (and the chair or secretary named in it, to change it);
* convene the sitting, record attendance, record the decision — the commission's chair or
  secretary;
* sign the completed table — the commission's chair;
* record a hand-over — the evaluating body's people on the direction, or the coordinator;
* open and close checks of individual results (p.110) — the working body (or an administrator).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from appeals.models import (
    LODGED_STATES,
    DisagreementRow,
    Handover,
    NoObjectionNotice,
    Objection,
    ObjectionRefusal,
    ObjectionState,
    ResultCheck,
    ResultCheckState,
    RowDocument,
    Sitting,
    SittingMember,
    SittingState,
    SpecialCommission,
    Vote,
)
from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, NOTHING, Principal, subtree_q
from assessments.models import Conclusion, Cycle, Role
from assessments.models.people import BODY_ROLES
from reporting.models import SignedDocument

# The slot of annex 14 signed by the objecting body's representative (its head).
BODY_SLOT_ROLE = "appeal_body_representative"


def objections_q(p: Principal, prefix: str = "") -> Q:
    """The objections ``p`` may see (through ``prefix`` from another model). A table the body
    has not filed (awaiting its head's signature, withdrawn, lapsed) is the body's own: the
    evaluating body and its commission see only filed objections (p.109)."""
    if p.sees_every_body:
        return EVERYTHING
    q = subtree_q(p.body_ids, f"{prefix}body__")
    outside = NOTHING
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        outside |= Q(**{f"{prefix}evaluator_id": evaluator_id, f"{prefix}direction": direction})
    if p.commission_org_ids:
        outside |= Q(**{f"{prefix}evaluator_id__in": sorted(p.commission_org_ids)})
    sat = SittingMember.objects.filter(user_id=p.user.pk).values("sitting__objection_id")
    outside |= Q(**{f"{prefix}pk__in": sat})
    return q | (outside & Q(**{f"{prefix}state__in": LODGED_STATES}))


@access.visibility(Objection)
def _objections(p: Principal) -> Q:
    return objections_q(p)


@access.visibility(DisagreementRow)
def _rows(p: Principal) -> Q:
    return objections_q(p, "objection__")


@access.visibility(RowDocument)
def _row_documents(p: Principal) -> Q:
    """A document in quarantine is seen by its uploader only — a held picture also by the
    body's head who confirms it (issue 16); once accepted, wherever the objection is."""
    from assessments.submission.services.quarantine import visible_q

    return objections_q(p, "row__objection__") & visible_q(
        p, body_head_of="row__objection__body_id")


@access.action(RowDocument, "confirm_classification")
def _row_document_confirm(p: Principal, document: RowDocument, **context) -> bool:
    """A held picture or scan: the body's head confirms it carries no restrictive stamp."""
    return document.check_state == RowDocument.CheckState.HELD and p.has_role(
        Role.BODY_HEAD, organisation=document.row.objection.body_id)


@access.visibility(Sitting)
def _sittings(p: Principal) -> Q:
    return objections_q(p, "objection__")


@access.visibility(SittingMember)
def _members(p: Principal) -> Q:
    return objections_q(p, "sitting__objection__")


@access.visibility(Vote)
def _votes(p: Principal) -> Q:
    return objections_q(p, "sitting__objection__")


def _conclusions_q(p: Principal, prefix: str) -> Q:
    visible = access.visible(p, Conclusion).values("pk")
    return Q(**{f"{prefix}conclusion_id__in": visible})


@access.visibility(NoObjectionNotice)
def _notices(p: Principal) -> Q:
    return EVERYTHING if p.sees_every_body else _conclusions_q(p, "")


@access.visibility(ObjectionRefusal)
def _refusals(p: Principal) -> Q:
    return EVERYTHING if p.sees_every_body else _conclusions_q(p, "")


@access.visibility(Handover)
def _handovers(p: Principal) -> Q:
    return EVERYTHING if p.sees_every_body else _conclusions_q(p, "")


@access.visibility(SpecialCommission)
def _commissions(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    evaluators = {e for e, _d in p.evaluator_scopes} | set(p.commission_org_ids)
    q = Q(evaluator_id__in=sorted(evaluators)) if evaluators else NOTHING
    return q | Q(chair_id=p.user.pk) | Q(secretary_id=p.user.pk)


@access.visibility(ResultCheck)
def _result_checks(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    return subtree_q(p.body_ids, "body__")


@access.visibility(SignedDocument)
def _tables(p: Principal) -> Q:
    visible = Objection.objects.filter(objections_q(p)).values("pk")
    return Q(subject_type=ContentType.objects.get_for_model(Objection), subject_id__in=visible)


# --- Building blocks -------------------------------------------------------------------------


def is_body_head(p: Principal, body_id: int) -> bool:
    return p.has_role(Role.BODY_HEAD, organisation=body_id)


def is_body_staff(p: Principal, body_id: int) -> bool:
    return any(m.role in BODY_ROLES and m.organisation_id == body_id for m in p.memberships)


def commission_of(objection: Objection) -> SpecialCommission | None:
    sitting = getattr(objection, "_sitting_cache", None)
    if sitting is not None:
        return sitting.commission
    return SpecialCommission.objects.filter(cycle_id=objection.cycle_id,
                                            evaluator_id=objection.evaluator_id).first()


def runs_commission(p: Principal, objection: Objection) -> bool:
    """The chair or secretary of the commission hearing ``objection``."""
    commission = commission_of(objection)
    return commission is not None and p.user.pk in (commission.chair_id, commission.secretary_id)


def chairs_commission(p: Principal, objection: Objection) -> bool:
    commission = commission_of(objection)
    return commission is not None and p.user.pk == commission.chair_id


# --- Actions ---------------------------------------------------------------------------------


@access.action(Conclusion, "file_objection")
def _file(p: Principal, c: Conclusion, **context) -> bool:
    """File objections or notify that there are none (p.109, p.112): the body's head."""
    return is_body_head(p, c.body_id)


def _hearing(p: Principal, c: Conclusion) -> bool:
    objection = Objection.objects.lodged().filter(conclusion_id=c.pk).first()
    return objection is not None and runs_commission(p, objection)


@access.action(Conclusion, "decide")
def _conclusion_decide(p: Principal, c: Conclusion, **context) -> bool:
    """Confirm the conclusion after every row was rejected: the hearing commission's chair or
    secretary."""
    return _hearing(p, c)


@access.action(Conclusion, "correct")
def _conclusion_correct(p: Principal, c: Conclusion, **context) -> bool:
    """Draft the corrected version after accepted rows: the hearing commission's chair or
    secretary."""
    return _hearing(p, c)


@access.action(Objection, "documents")
def _documents(p: Principal, o: Objection, **context) -> bool:
    return o.state == ObjectionState.FILED and is_body_staff(p, o.body_id)


@access.action(Objection, "sign_filed")
def _sign_filed(p: Principal, o: Objection, **context) -> bool:
    """Sign (and so file) the table drawn up: the body's head who drew it up, while it awaits
    the signature."""
    return (o.state == ObjectionState.AWAITING_SIGNATURE and p.user.pk == o.filed_by_id
            and is_body_head(p, o.body_id))


@access.action(Objection, "convene")
def _convene(p: Principal, o: Objection, **context) -> bool:
    return runs_commission(p, o)


@access.action(Objection, "decide")
def _decide(p: Principal, o: Objection, **context) -> bool:
    return runs_commission(p, o)


@access.action(Objection, "chair_sign")
def _chair_sign(p: Principal, o: Objection, **context) -> bool:
    return chairs_commission(p, o)


@access.action(Objection, "acknowledge")
def _acknowledge(p: Principal, o: Objection, **context) -> bool:
    return is_body_head(p, o.body_id)


@access.action(Sitting, "attendance")
def _attendance(p: Principal, s: Sitting, **context) -> bool:
    return s.state == SittingState.PLANNED and p.user.pk in (
        s.commission.chair_id, s.commission.secretary_id)


@access.action(Cycle, "form_commission")
def _form_commission(p: Principal, cycle: Cycle, *, evaluator=None, **context) -> bool:
    if p.is_admin or p.is_coordinator:
        return True
    if evaluator is None:
        return False
    # The evaluating body's signatory, the coordinator or an administrator (docs/appeals.md):
    # never the commission's own chair or secretary, who could otherwise appoint themselves.
    return p.has_role(Role.SIGNATORY, organisation=getattr(evaluator, "pk", evaluator))


@access.action(Handover, "record")
def _handover_record(p: Principal, h: Handover, **context) -> bool:
    c = h.conclusion
    return p.is_coordinator or p.is_admin or (c.evaluator_id, c.work_direction) in (
        p.evaluator_scopes)


@access.action(Cycle, "result_check")
def _result_check(p: Principal, cycle: Cycle, **context) -> bool:
    return p.is_admin or Role.WORKING_BODY_REP in p.roles


@access.action(ResultCheck, "close")
def _result_check_close(p: Principal, check: ResultCheck, **context) -> bool:
    return check.state == ResultCheckState.OPEN and (
        p.is_admin or Role.WORKING_BODY_REP in p.roles)


# --- Who may sign annex 14's body slot (reporting.signing.roles) -----------------------------


def _body_representative(user, signed_document, slot) -> bool:
    objection = signed_document.subject
    if not isinstance(objection, Objection):
        return False
    return is_body_head(access.principal(user), objection.body_id)


def _register_signatory_roles() -> None:
    from reporting.signing.roles import register_signatory_role

    register_signatory_role(BODY_SLOT_ROLE)(_body_representative)


_register_signatory_roles()


# The annex 14 document kind: its context provider and signing hook.
from appeals import documents as _documents_module  # noqa: E402, F401
