"""Conclusions: drafting from the stored scores, review, signature, issue, and the objection
window's outcomes (p.21, p.109–122; annexes 3, 4, 5, 8, 12, 15).

    conclusion_draft(*, cycle, body, direction, actor) -> Conclusion              drafting
    conclusion_update(*, conclusion, actor, analysis, recommendations, revision)  drafting
    conclusion_redraft(*, conclusion, actor) -> Conclusion  (scores changed)      drafting
    conclusion_submit(*, conclusion, actor) -> Conclusion                         review
    conclusion_approve(*, conclusion, actor) -> Conclusion                        review
    conclusion_return(*, conclusion, actor, comments) -> Conclusion               review
    conclusion_preview(*, conclusion, actor, language="ru") -> RenderedDocument   review
    conclusion_sign(*, conclusion, user, passphrase) -> Conclusion                signature
    conclusion_issue(*, conclusion, actor) -> Conclusion                          issue
    conclusion_finalise(*, conclusion, actor=None, reason) -> Conclusion          issue
    conclusion_open_appeal(*, conclusion, actor) -> Conclusion                    issue
    conclusion_draft_correction(*, conclusion, actor, reason) -> Conclusion       issue
    conclusion_supersede(*, conclusion, actor, by) -> Conclusion                  issue
    conclusion_windows_close(*, today=None) -> list[Conclusion]   (the beat job)  issue
    conclusion_window_close_if_due(conclusion) -> Conclusion   (on read)          issue
    objection_window_closes_on(conclusion) -> date | None                         common
    stale_scores_reason(conclusion) -> str    (why approve/sign wait)             guard_scores
    report_refusal(cycle, body, direction) -> str   (why drafting waits)          guard_report
    conclusion_actions(user, conclusion) -> frozenset[str]    (what a page offers) actions

Every write has one shape (EXAMPLES.md §1): ``transaction.atomic()`` → the row locked
(``kernel.transitions.lock``) → the actor's permission (``require``; PermissionDenied) and the
state and clock (``DomainError`` with a translated message) → the fsm transition → ``save()`` →
the log row (django-fsm-log ``StateLog`` with who and why; ``audit_record`` for edits) → tasks
and e-mails queued with ``transaction.on_commit``. What follows a corrected version's issue is
announced through ``assessments.conclusions.signals``.
"""

from assessments.conclusions.services.actions import conclusion_actions
from assessments.conclusions.services.common import (
    AUTOMATION_CODES as AUTOMATION_CODES,  # the pages' constants, outside __all__ as before
)
from assessments.conclusions.services.common import (
    CRITERIA,
    OBJECTION_WINDOW_WORKING_DAYS,
    annex_for,
    objection_window_closes_on,
    window_is_open,
)
from assessments.conclusions.services.common import SHEET_DIRECTION as SHEET_DIRECTION
from assessments.conclusions.services.common import SIGNED_OR_LATER as SIGNED_OR_LATER
from assessments.conclusions.services.drafting import (
    conclusion_draft,
    conclusion_redraft,
    conclusion_update,
)
from assessments.conclusions.services.guard_report import report_refusal
from assessments.conclusions.services.guard_scores import stale_scores_reason
from assessments.conclusions.services.issue import (
    conclusion_draft_correction,
    conclusion_finalise,
    conclusion_issue,
    conclusion_open_appeal,
    conclusion_supersede,
    conclusion_window_close_if_due,
    conclusion_windows_close,
    issue_blocker,
)
from assessments.conclusions.services.review import (
    conclusion_approve,
    conclusion_preview,
    conclusion_return,
    conclusion_submit,
)
from assessments.conclusions.services.signature import (
    conclusion_sign,
    conclusion_signature_recorded,
    sign_blocker,
)

__all__ = [
    "CRITERIA",
    "OBJECTION_WINDOW_WORKING_DAYS",
    "annex_for",
    "conclusion_actions",
    "conclusion_approve",
    "conclusion_draft",
    "conclusion_draft_correction",
    "conclusion_finalise",
    "conclusion_issue",
    "conclusion_open_appeal",
    "conclusion_preview",
    "conclusion_redraft",
    "conclusion_return",
    "conclusion_sign",
    "conclusion_signature_recorded",
    "conclusion_submit",
    "conclusion_supersede",
    "conclusion_update",
    "conclusion_window_close_if_due",
    "conclusion_windows_close",
    "issue_blocker",
    "objection_window_closes_on",
    "report_refusal",
    "sign_blocker",
    "stale_scores_reason",
    "window_is_open",
]
