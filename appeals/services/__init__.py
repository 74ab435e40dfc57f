"""The appeal procedure (chapter 7, p.109–122; annex 14), one module per procedure:

``filing`` — the window, objections and the "no objections" notice (p.109–112):
    window_carrier(conclusion) -> Conclusion | None   (annex 5's window is its annex 3's)
    services_conclusion_of(c) / automation_conclusion_of(c) -> Conclusion | None
    objection_window(conclusion, moment=None) -> dict
    evaluator_conclusion_for(conclusion, subject_or_path) -> str
    objection_file(*, conclusion, actor, rows, passphrase=None, documents=None) -> Objection
    objection_filed_sign(*, objection, user, passphrase) -> preparation | signature
    objection_filed_signature_recorded(signed_document, signature, complete)  (annex 14 v1)
    objection_lapse_if_due(objection, actor=None) -> Objection; objections_lapse_job() -> dict
    objection_late_refuse(*, conclusion, actor) -> str              (a POST after the window)
    row_document_add(*, row, actor, upload, original_name, classification) -> RowDocument
    no_objection_notify(*, conclusion, actor) -> NoObjectionNotice
    conclusion_appeal_actions(user, conclusion) -> frozenset[str]   (the conclusion's page)

``commission`` — the special commission and its decision (p.113–115):
    commission_get_or_create(*, cycle, evaluator, chair, secretary, actor) -> SpecialCommission
    sitting_candidates(objection, user_ids) -> list[Eligibility]
    sitting_convene(*, objection, members, held_on, actor) -> Sitting
    sitting_attendance(*, sitting, present, actor) -> Sitting
    objection_decide(*, objection, actor, rulings, votes) -> Objection
    objection_chair_sign(*, objection, user, passphrase) -> Objection
    objection_acknowledge(*, objection, user, passphrase) -> Objection
    objection_signature_recorded(signed_document, signature, complete)  (annex 14's hook)
    correction_issue_blocker(correction) -> str     (answers conclusions' correction_issue_check)
    correction_issued(*, correction, actor)         (answers conclusions' correction_issued)
    services_chain_settle(*, cycle, body) -> Conclusion | None   (annex 5 first, then annex 3)
    services_chains_job(*, today=None) -> dict                   (beat, with objections_due)
    objection_actions(user, objection) -> frozenset[str]            (what a page offers)

``handover`` — after the decision (p.110, p.116–122):
    handover_route(conclusion) -> (str, bool) | None
    handover_record(*, handover, actor) -> Handover
    block_ready(cycle, body) -> bool
    objections_due_job(*, today=None) -> dict                       (beat)
    handovers_job(*, today=None, cycle=None) -> dict                (beat)
    appeals_ended_on(cycle, body, direction="") -> date | None
    result_check_open(*, cycle, body, actor, text, lodged_on=None, direction="") -> ResultCheck
    result_check_close(*, check, actor, outcome) -> ResultCheck

``common`` — shared helpers, ``value_problem`` and ``ProposedValueError``.

Every write: ``transaction.atomic()`` → lock (``kernel.transitions.lock``) → permission
(``require``; the rules are in ``appeals/access_rules.py``) → state and clock (``DomainError``
with a translated message) → the fsm transition (django-fsm-log with by/description) → audit →
notifications and tasks on commit. Conclusions never call this package: ``appeals.receivers``
answers the events of ``assessments.conclusions.signals``.
"""

from appeals.services.commission import (
    commission_get_or_create,
    correction_issue_blocker,
    correction_issued,
    objection_acknowledge,
    objection_action_waits,
    objection_actions,
    objection_chair_sign,
    objection_decide,
    objection_signature_recorded,
    services_chain_settle,
    services_chains_job,
    sitting_attendance,
    sitting_candidates,
    sitting_convene,
)
from appeals.services.common import ProposedValueError, value_problem
from appeals.services.filing import (
    automation_conclusion_of,
    conclusion_appeal_actions,
    evaluator_conclusion_for,
    no_objection_notify,
    objection_file,
    objection_filed_sign,
    objection_filed_signature_recorded,
    objection_lapse_if_due,
    objection_late_refuse,
    objection_window,
    objections_lapse_job,
    row_document_add,
    services_conclusion_of,
    window_carrier,
)
from appeals.services.handover import (
    appeals_ended_on,
    block_ready,
    handover_record,
    handover_route,
    handovers_job,
    objections_due_job,
    result_check_close,
    result_check_open,
)

__all__ = [
    "ProposedValueError",
    "appeals_ended_on",
    "automation_conclusion_of",
    "block_ready",
    "commission_get_or_create",
    "conclusion_appeal_actions",
    "correction_issue_blocker",
    "correction_issued",
    "evaluator_conclusion_for",
    "handover_record",
    "handover_route",
    "handovers_job",
    "no_objection_notify",
    "objection_acknowledge",
    "objection_action_waits",
    "objection_actions",
    "objection_chair_sign",
    "objection_decide",
    "objection_file",
    "objection_filed_sign",
    "objection_filed_signature_recorded",
    "objection_lapse_if_due",
    "objection_late_refuse",
    "objection_signature_recorded",
    "objection_window",
    "objections_due_job",
    "objections_lapse_job",
    "result_check_close",
    "result_check_open",
    "row_document_add",
    "services_chain_settle",
    "services_chains_job",
    "services_conclusion_of",
    "sitting_attendance",
    "sitting_candidates",
    "sitting_convene",
    "value_problem",
    "window_carrier",
]
