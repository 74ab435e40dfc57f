"""Access rules of reports, evidence, imports, openness scoring and notifications.

* A report is seen by its body's staff (all directions) and by the evaluating body's people on
  that direction (``access.body_direction_q``); the same for its documents.
* The body's submitter and head edit a draft or returned report; the evaluator of the automation
  criterion (the Ministry) completes the automation data while reviewing it (annex 5) — only its
  assessors assigned to the body and their unit head (issue 16).
* Submitting is the head's, or a submitter's where the body allows it (SubmissionPolicy).
* Reviewing (start, return, accept) is for the evaluating body's assessors and unit heads on the
  direction (p.12).
* Closing a report the body never submitted ("не представлен") and reopening it is the
  evaluating body's unit head's on the direction.
* Imports are seen and made by the evaluating bodies that receive the data (p.31, p.39, p.53,
  p.80) and by administrators.
"""

from __future__ import annotations

from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, NOTHING, Principal
from assessments.kernel.evaluators import chain
from assessments.models import (
    Direction,
    Evidence,
    ImportBatch,
    ImportKind,
    Notification,
    OpennessAssessment,
    OpennessScore,
    Organisation,
    PublicService,
    Report,
    Role,
    SubmissionPolicy,
)

REVIEW_ROLES = (Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD)

# Which evaluating bodies receive each kind of imported data (p.31, p.37–39, p.53, p.80).
IMPORT_KIND_EVALUATORS: dict[str, tuple[str, ...]] = {
    ImportKind.MONITORING: (Organisation.EvaluatorRole.AGENCY,),
    ImportKind.SATISFACTION: (Organisation.EvaluatorRole.AGENCY,),
    ImportKind.INSPECTIONS: (Organisation.EvaluatorRole.AGENCY,),
    ImportKind.IS_FAILURES: (
        Organisation.EvaluatorRole.AGENCY, Organisation.EvaluatorRole.DIGITAL_MINISTRY,
    ),
    ImportKind.EGOV_INCIDENTS: (Organisation.EvaluatorRole.DIGITAL_MINISTRY,),
    ImportKind.MEDIA_SURVEY: (Organisation.EvaluatorRole.INFORMATION_MINISTRY,),
    ImportKind.POPULATION_SURVEY: (Organisation.EvaluatorRole.INFORMATION_MINISTRY,),
}


def _is_body_staff(p: Principal, body_id: int) -> bool:
    return p.has_role(Role.BODY_SUBMITTER, organisation=body_id) or p.has_role(
        Role.BODY_HEAD, organisation=body_id
    )


def _reviews(p: Principal, report: Report) -> bool:
    if p.is_admin:
        return True
    if not any(p.has_role(role, direction=report.direction) for role in REVIEW_ROLES):
        return False
    evaluator_id = p.rules.evaluator_id(chain(report.body), report.direction)
    return evaluator_id is not None and any(
        p.has_role(role, organisation=evaluator_id, direction=report.direction)
        for role in REVIEW_ROLES
    )


@access.visibility(Report)
def _reports(p: Principal) -> Q:
    return access.body_direction_q(p)


@access.action(Report, "edit")
def _report_edit(p: Principal, report: Report, **context) -> bool:
    if report.state in (Report.State.DRAFT, Report.State.RETURNED):
        return _is_body_staff(p, report.body_id)
    if report.state == Report.State.UNDER_REVIEW and report.direction == Direction.AUTOMATION:
        return _changes(p, report)
    return False


def _changes(p: Principal, report: Report) -> bool:
    """The automation data completed while the report is reviewed (annex 5) is the body's
    assessment: only the assessors assigned to the body on the direction, their unit head and
    administrators change it (issue 16); the other reviewers read it."""
    if p.is_admin:
        return True
    evaluator_id = p.rules.evaluator_id(chain(report.body), report.direction)
    return evaluator_id is not None and p.changes_assessment(
        evaluator_id=evaluator_id, cycle_id=report.cycle_id, body_id=report.body_id,
        direction=report.direction)


@access.action(Report, "attach")
def _report_attach(p: Principal, report: Report, **context) -> bool:
    return _report_edit(p, report)


@access.action(Report, "submit")
def _report_submit(p: Principal, report: Report, **context) -> bool:
    if report.state != Report.State.DRAFT:
        return False
    if p.has_role(Role.BODY_HEAD, organisation=report.body_id):
        return True
    if p.has_role(Role.BODY_SUBMITTER, organisation=report.body_id):
        return SubmissionPolicy.objects.filter(
            body_id=report.body_id, submitters_may_submit=True
        ).exists()
    return False


@access.action(Report, "review")
def _report_review(p: Principal, report: Report, **context) -> bool:
    return _reviews(p, report)


@access.action(Report, "close")
def _report_close(p: Principal, report: Report, **context) -> bool:
    """Closing a report as not submitted, and reopening it: the evaluating body's unit head on
    the direction (p.12), or an administrator."""
    if p.is_admin:
        return True
    if not p.has_role(Role.ASSESSOR_UNIT_HEAD, direction=report.direction):
        return False
    evaluator_id = p.rules.evaluator_id(chain(report.body), report.direction)
    return evaluator_id is not None and p.has_role(
        Role.ASSESSOR_UNIT_HEAD, organisation=evaluator_id, direction=report.direction)


@access.visibility(Evidence)
def _evidence(p: Principal) -> Q:
    """A document in quarantine or held for its classification (issue 16) is seen only by its
    body's staff and administrators; the evaluators see it once accepted."""
    if p.is_admin:
        return EVERYTHING
    seen = access.body_direction_q(p, body="report__body", direction="report__direction")
    own = access.subtree_q(p.body_ids, "report__body__") if p.body_ids else NOTHING
    return (seen & Q(check_state=Evidence.CheckState.ACCEPTED)) | own


@access.action(Evidence, "confirm_classification")
def _evidence_confirm(p: Principal, evidence: Evidence, **context) -> bool:
    """A held picture or scan: its body's head confirms it carries no restrictive stamp."""
    return p.is_admin or p.has_role(Role.BODY_HEAD, organisation=evidence.report.body_id)


@access.action(Evidence, "remove_unaccepted")
def _evidence_remove(p: Principal, evidence: Evidence, **context) -> bool:
    """A document not accepted (its check failed, or it waits): its body's staff remove it."""
    return evidence.check_state != Evidence.CheckState.ACCEPTED and _is_body_staff(
        p, evidence.report.body_id)


def _openness_q(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    q = access.subtree_q(p.body_ids, "body__")
    for evaluator_id, direction in sorted(p.evaluator_scopes):
        if direction == Direction.OPENNESS:
            q |= p.rules.bodies_q(evaluator_id, direction, "body__")
    return q


@access.visibility(OpennessScore)
def _openness_scores(p: Principal) -> Q:
    return _openness_q(p)


@access.visibility(OpennessAssessment)
def _openness_assessments(p: Principal) -> Q:
    return _openness_q(p)


@access.action(Organisation, "score_openness")
def _score_openness(p: Principal, body: Organisation, *, cycle=None, **context) -> bool:
    """Score a body's openness: its evaluating body's openness unit head, or an openness
    assessor assigned to the body in the cycle (issue 16); without a cycle (the page's link),
    any assessor of the direction may open the workspace, but saving asks with the cycle."""
    if p.is_admin:
        return True
    evaluator_id = p.rules.evaluator_id(chain(body), Direction.OPENNESS)
    if evaluator_id is None:
        return False
    if cycle is None:
        return any(p.has_role(role, organisation=evaluator_id, direction=Direction.OPENNESS)
                   for role in REVIEW_ROLES)
    return p.changes_assessment(evaluator_id=evaluator_id, cycle_id=getattr(cycle, "pk", cycle),
                                body_id=body.pk, direction=Direction.OPENNESS)


def import_kinds_for(p: Principal) -> list[str]:
    """Kinds of data the user may import (their evaluating body receives them)."""
    p = access.principal(p)
    if p.is_admin:
        return list(ImportKind.values)
    roles = {m.organisation.evaluator_role for m in p.memberships
             if m.role in (Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD, Role.SIGNATORY)}
    return [kind for kind, evaluators in IMPORT_KIND_EVALUATORS.items()
            if roles & set(evaluators)]


@access.visibility(ImportBatch)
def _imports(p: Principal) -> Q:
    if p.sees_every_body:
        return EVERYTHING
    kinds = import_kinds_for(p)
    return Q(kind__in=kinds) if kinds else NOTHING


@access.action(ImportBatch, "apply")
def _import_apply(p: Principal, batch: ImportBatch, **context) -> bool:
    return batch.kind in import_kinds_for(p)


@access.visibility(Notification)
def _notifications(p: Principal) -> Q:
    return Q(user_id=p.user.pk)


@access.visibility(PublicService)
def _public_services(p: Principal) -> Q:
    return EVERYTHING


@access.visibility(SubmissionPolicy)
def _policies(p: Principal) -> Q:
    return access.bodies_q(p, "body__")


@access.action(SubmissionPolicy, "change")
def _policy_change(p: Principal, policy: SubmissionPolicy, **context) -> bool:
    return p.is_admin or p.has_role(Role.BODY_HEAD, organisation=policy.body_id)
