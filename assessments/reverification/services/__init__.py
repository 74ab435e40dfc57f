"""Re-verification of reported data (chapter 2, p.12–21), the reconciliation act (annex 1).

Every write has the same shape: ``transaction.atomic()`` → the row locked with
``select_for_update()`` → the actor's permission (``assessments.kernel.access``) and the clock
checked → the django-fsm transition → ``save()`` → a log row (``StateLog`` for transitions,
``AuditEntry`` for other changes, who/when/why) → notifications and tasks on commit. Refusals raise
``DomainError`` (or ``PermissionDenied``) with a translated message.

The API (keyword arguments only):

Risk-based selection (p.13)
    RISK_FACTORS, risk_method_for, risk_method_save, risk_population, risk_ranking,
    risk_sample_draw, risk_sample_redraw, reverification_select, reverification_cancel
Re-verification (p.14–16)
    document_request_create, document_request_withdraw, confirming_document_upload,
    system_check_record, finding_record, finding_update, finding_withdraw, findings_complete,
    reverification_deduction, deduction_of
The act (p.19–20, annex 1)
    reconciliation_act_issue, reconciliation_act_sign, reverification_close,
    reverification_reopen, act_signing_status; the body's term (``body_sign_due_on``, the
    cycle's ``act_signing_working_days``), ``reconciliation_act_remarks`` (disagreement without
    signing), ``reconciliation_act_close_unsigned`` (past the term: "not signed by the body"),
    ``act_close_unsigned_blocker``, ``act_actions``, ``act_terms_job`` (beat: reminders)
Reads
    findings_for(*, cycle, body, direction) -> list[Finding]   (the conclusion's p.21 facts)
    act_blocker(*, cycle, body, direction) -> str   (why no conclusion may be drafted yet)

The package is cut by procedure: ``common`` (who is who, the lock and the checks every write
makes), ``selection``, ``requests``, ``findings`` and ``act`` (the deduction, the act and the
reads); the API and the names other modules read are importable from here, as before.
"""

from __future__ import annotations

from assessments.reverification.services.act import (
    ACT_DOCUMENT_KIND,
    BODY_SLOT_ROLE,
    EVALUATOR_SLOT_ROLE,
    ActSigningStatus,
    Deduction,
    act_actions,
    act_blocker,
    act_close_unsigned_blocker,
    act_signing_status,
    act_terms_job,
    body_sign_due_on,
    current_act,
    deduction_of,
    fact_points,
    findings_for,
    reconciliation_act_close_unsigned,
    reconciliation_act_issue,
    reconciliation_act_remarks,
    reconciliation_act_sign,
    reconciliation_act_signature_recorded,
    reverification_close,
    reverification_deduction,
    reverification_reopen,
)
from assessments.reverification.services.common import EditConflict, is_body_staff, works_on
from assessments.reverification.services.findings import (
    InvalidFinding,
    finding_record,
    finding_update,
    finding_withdraw,
    findings_complete,
)
from assessments.reverification.services.requests import (
    DEFAULT_REQUEST_WORKING_DAYS,
    MAX_REQUEST_WORKING_DAYS,
    confirming_document_upload,
    document_request_create,
    document_request_withdraw,
    system_check_record,
)
from assessments.reverification.services.selection import (
    RISK_FACTORS,
    InvalidWeights,
    RiskRow,
    reverification_cancel,
    reverification_select,
    risk_method_for,
    risk_method_save,
    risk_population,
    risk_ranking,
    risk_sample_draw,
    risk_sample_redraw,
    risk_weights,
)

__all__ = [
    "ACT_DOCUMENT_KIND",
    "BODY_SLOT_ROLE",
    "DEFAULT_REQUEST_WORKING_DAYS",
    "EVALUATOR_SLOT_ROLE",
    "MAX_REQUEST_WORKING_DAYS",
    "RISK_FACTORS",
    "ActSigningStatus",
    "Deduction",
    "EditConflict",
    "InvalidFinding",
    "InvalidWeights",
    "RiskRow",
    "act_actions",
    "act_blocker",
    "act_close_unsigned_blocker",
    "act_signing_status",
    "act_terms_job",
    "body_sign_due_on",
    "confirming_document_upload",
    "current_act",
    "deduction_of",
    "document_request_create",
    "document_request_withdraw",
    "fact_points",
    "finding_record",
    "finding_update",
    "finding_withdraw",
    "findings_complete",
    "findings_for",
    "is_body_staff",
    "reconciliation_act_close_unsigned",
    "reconciliation_act_issue",
    "reconciliation_act_remarks",
    "reconciliation_act_sign",
    "reconciliation_act_signature_recorded",
    "reverification_cancel",
    "reverification_close",
    "reverification_deduction",
    "reverification_reopen",
    "reverification_select",
    "risk_method_for",
    "risk_method_save",
    "risk_population",
    "risk_ranking",
    "risk_sample_draw",
    "risk_sample_redraw",
    "risk_weights",
    "system_check_record",
    "works_on",
]
