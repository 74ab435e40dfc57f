"""The appeal procedure (chapter 7, p.109–122; annex 14): objections, the special commission's
sittings and decisions, the completed disagreement table, hand-over, checks of results.

    objection_window(conclusion, moment=None) -> dict
    evaluator_conclusion_for(conclusion, subject_or_path) -> str
    objection_file(*, conclusion, actor, rows, documents=None) -> Objection
    row_document_add(*, row, actor, upload, original_name, classification) -> RowDocument
    no_objection_notify(*, conclusion, actor) -> NoObjectionNotice
    commission_get_or_create(*, cycle, evaluator, chair, secretary, actor) -> SpecialCommission
    sitting_candidates(objection, user_ids) -> list[Eligibility]
    sitting_convene(*, objection, members, held_on, actor) -> Sitting
    sitting_attendance(*, sitting, present, actor) -> Sitting
    objection_decide(*, objection, actor, rulings, votes) -> Objection
    objection_chair_sign(*, objection, user, passphrase) -> Objection
    objection_acknowledge(*, objection, user, passphrase) -> Objection
    objections_due_job(*, today=None) -> dict                       (beat)
    handovers_job(*, today=None) -> dict                            (beat)
    handover_record(*, handover, actor) -> Handover
    block_ready(cycle, body) -> bool
    result_check_open(*, cycle, body, actor, text, lodged_on=None, direction="") -> ResultCheck
    result_check_close(*, check, actor, outcome) -> ResultCheck
    objection_actions(user, objection) -> frozenset[str]            (what a page offers)

Every write: ``transaction.atomic()`` → lock → permission (``assessments.access``; the rules
are in ``appeals/access_rules.py``) → state and clock (``DomainError`` with a translated
message) → the fsm transition (django-fsm-log with by/description) → audit → notifications and
tasks on commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from appeals import rules
from appeals.models import (
    Handover,
    NoObjectionNotice,
    Objection,
    ResultCheck,
    RowDocument,
    Sitting,
    SpecialCommission,
)
from assessments.models import Conclusion

__all__ = [
    "block_ready",
    "commission_get_or_create",
    "evaluator_conclusion_for",
    "handover_record",
    "handovers_job",
    "no_objection_notify",
    "objection_acknowledge",
    "objection_actions",
    "objection_chair_sign",
    "objection_decide",
    "objection_file",
    "objection_window",
    "objections_due_job",
    "result_check_close",
    "result_check_open",
    "row_document_add",
    "sitting_attendance",
    "sitting_candidates",
    "sitting_convene",
]


# --- The window (p.109, p.111, p.112) ---------------------------------------------------------


def objection_window(conclusion: Conclusion, moment: datetime | None = None) -> dict[str, Any]:
    """The objection window of ``conclusion``: ``{"last_day", "closes_at", "open",
    "time_left"}`` (``rules.TimeLeft``). Only version 1 of a direction conclusion has one,
    from its receipt (issue): annexes 5 and 15 and corrected versions have none (p.115) —
    then every value is None / False."""
    last_day = conclusion.objection_deadline
    if last_day is None or not conclusion.has_window:
        return {"last_day": None, "closes_at": None, "open": False, "time_left": None}
    left = rules.time_left(last_day, moment)
    return {"last_day": last_day, "closes_at": left.closes_at, "open": left.is_open,
            "time_left": left}


def evaluator_conclusion_for(conclusion: Conclusion, subject_or_path: str) -> str:
    """The evaluator's conclusion on what a row disputes, to prefill the row: the analysis of
    the criterion named in ``subject_or_path`` (a criterion code such as ``K2``, or a scoring
    input path under it) with its printed score; the direction's score otherwise."""
    raise NotImplementedError


# --- Filing ------------------------------------------------------------------------------------


def objection_file(*, conclusion: Conclusion, actor, rows: list[dict],
                   documents: list[dict] | None = None) -> Objection:
    """The body's head files objections to version 1 of a direction conclusion within its window
    (p.109): the disagreement table's ``rows`` (``subject``, ``objection_text``, optional
    ``input_path``, ``proposed_value``, ``evaluator_conclusion`` — prefilled from the conclusion
    when not given) and supporting ``documents`` (``[{"row": number, "upload": bytes | file,
    "original_name", "classification"}]``, each checked like evidence). The conclusion goes
    under appeal (``conclusion_open_appeal``); the evaluating body is notified; the decision is
    due 15 calendar days after the day of arrival.

    After the window (p.111) the filing is refused with the closing date in the message, and the
    refusal is recorded (``ObjectionRefusal`` and an audit entry) in its own transaction, so it
    stays although the filing failed."""
    raise NotImplementedError


def row_document_add(*, row, actor, upload, original_name: str,
                     classification: str) -> RowDocument:
    """Attach a supporting document to a row while the objection is ``filed`` (the body's
    staff). Checked by ``assessments.services.evidence.document_check``: type by content, size,
    declared classification and stamps ("ДСП"/secret refused, p.16); a refusal is audited."""
    raise NotImplementedError


def no_objection_notify(*, conclusion: Conclusion, actor) -> NoObjectionNotice:
    """The body notifies that it has no objections (p.112) while the window is open: the
    notice is recorded, the evaluating body is notified and the conclusion becomes final."""
    raise NotImplementedError


# --- The special commission (p.113–115) -----------------------------------------------------


def commission_get_or_create(*, cycle, evaluator, chair, secretary, actor) -> SpecialCommission:
    """The evaluating body's special commission for the cycle (one per cycle × evaluator), with
    its chair and secretary (different people, both employees of the evaluating body). An
    existing commission is returned; a different chair or secretary updates it (audited)."""
    raise NotImplementedError


def sitting_candidates(objection: Objection, user_ids) -> list:
    """The composition rule (p.113) for ``user_ids`` on ``objection``:
    ``[appeals.composition.Eligibility]`` — group, or the reason of a refusal."""
    raise NotImplementedError


def sitting_convene(*, objection: Objection, members: list[tuple[Any, str]], held_on: date,
                    actor) -> Sitting:
    """The chair or secretary convenes the sitting on ``objection`` for ``held_on`` with
    ``members`` (``[(user, capacity)]``; the chair must be one of them). Every member must pass
    the composition rule — an ineligible one refuses the whole list with the reason (e.g. the
    assessor who assessed the body) — and there must be at least 5. The objection moves
    ``filed → under_consideration``. Re-convening a planned sitting replaces its members."""
    raise NotImplementedError


def sitting_attendance(*, sitting: Sitting, present, actor) -> Sitting:
    """Record who is present (``present``: user ids; every other member is absent), by the chair
    or secretary, while the sitting is planned."""
    raise NotImplementedError


def objection_decide(*, objection: Objection, actor, rulings: dict, votes: dict) -> Objection:
    """The collegial decision (p.114), by the chair or secretary on the sitting day.

    ``votes``: ``{row_id: {user_id: "accept" | "reject"}}`` — every present member on every row;
    ``rulings``: ``{row_id: {"reasoning": str, "applied_value": any | None}}``. Refused unless at
    least 5 are present and more than half of the sitting's members. Each row is decided by
    ``rules.tally`` (majority of the present, the chair breaks a tie). Accepted rows with an
    ``input_path`` change the scoring input (source kind ``decision``), the engine recomputes,
    and a corrected conclusion (version 2) is drafted (``outcome = "corrected"``); if every row
    is rejected the conclusion becomes final (``outcome = "confirmed"``). The sitting is held,
    the objection ``decided`` with ``decided_on`` = the sitting's day and the hand-over of the
    final conclusion is scheduled."""
    raise NotImplementedError


def objection_chair_sign(*, objection: Objection, user, passphrase: str) -> Objection:
    """The chair signs the completed table (annex 14, with "Общий балл с учетом итогов
    обжалования"): rendered through the annex registry, frozen with the chair's and the body's
    representative's slots, PAdES-signed; ``decided → signed_by_chair``; the body is notified
    (with the corrected conclusion once issued, p.115)."""
    raise NotImplementedError


def objection_acknowledge(*, objection: Objection, user, passphrase: str) -> Objection:
    """The body's head (representative) signs the same document "С итогами обжалования
    ознакомлен": ``signed_by_chair → acknowledged``."""
    raise NotImplementedError


# --- The clock's jobs -------------------------------------------------------------------------


def objections_due_job(*, today: date | None = None) -> dict:
    """Beat job (idempotent): reminds the commission's chair and secretary on
    ``rules.reminder_days(decision_due)`` and, once an undecided objection is past its due
    date, escalates it to the Agency's coordinator (once: ``escalated_at``). Returns counts."""
    raise NotImplementedError


def handovers_job(*, today: date | None = None) -> dict:
    """Beat job (idempotent): reminds those who hand a final conclusion over to the Agency on the
    working day before ``due_on`` and on it, and tells the coordinator once it is overdue."""
    raise NotImplementedError


def handover_record(*, handover: Handover, actor) -> Handover:
    """Record that the final conclusion was handed over to the Agency (p.116–121) — the
    evaluating body's people; idempotent. When the body's three directions are handed over or
    final, the Agency is told the block conclusion may be drafted."""
    raise NotImplementedError


def block_ready(cycle, body) -> bool:
    """Whether the body's three direction conclusions (services, openness, complaints) are final
    — the Agency may draft the block conclusion (annex 15, ``conclusion_draft(direction=
    "block")``)."""
    raise NotImplementedError


# --- Checks of individual results (p.110) ---------------------------------------------------


def result_check_open(*, cycle, body, actor, text: str, lodged_on: date | None = None,
                      direction: str = "") -> ResultCheck:
    """The Commission's working body opens a check of individual results on the body's
    complaint lodged on ``lodged_on`` (default today) — refused after
    ``rules.check_complaint_last_day`` of the day the body's appeal procedures ended."""
    raise NotImplementedError


def result_check_close(*, check: ResultCheck, actor, outcome: str) -> ResultCheck:
    """The working body records the outcome: ``open → closed``."""
    raise NotImplementedError


# --- What a page offers -----------------------------------------------------------------------


def objection_actions(user, objection: Objection) -> frozenset[str]:
    """The actions ``user`` may take on ``objection`` now, among ``"documents"`` (attach to rows),
    ``"convene"``, ``"attendance"``, ``"decide"``, ``"chair_sign"``, ``"acknowledge"``."""
    raise NotImplementedError
