"""Guard: a conclusion is drafted only from a report the evaluating body has settled.

No conclusion is drafted for a direction (services, automation, openness, complaints) whose
report is neither accepted nor closed as not submitted by the evaluating body (p.17–20: a body
that never submits is assessed from what the system holds once its submission is closed). The
block (annex 15) is not a report's: it waits for the three final direction conclusions instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.kernel.errors import DomainError
from assessments.models import ConclusionDirection, Cycle, Organisation, Report

# The report states a conclusion may be drafted from: accepted, or closed as not submitted
# (the closure's state, when the submission feature has it).
ELIGIBLE_REPORT_STATES = frozenset({"accepted", "not_submitted"})


def report_refusal(cycle: Cycle, body: Organisation, direction: str) -> str:
    """Why no conclusion may be drafted for ``direction`` now ("" when it may)."""
    if direction == ConclusionDirection.BLOCK:
        return ""
    report = Report.objects.filter(cycle=cycle, body=body, direction=direction).first()
    if report is None:
        return _("Отчёт органа по направлению «%(direction)s» не поступил: заключение "
                 "формируется после принятия отчёта или закрытия его представления как "
                 "«не представлен».") % {"direction": ConclusionDirection(direction).label}
    if report.state in ELIGIBLE_REPORT_STATES:
        return ""
    return _("Отчёт органа по направлению «%(direction)s» в состоянии «%(state)s»: заключение "
             "формируется после принятия отчёта или закрытия его представления как "
             "«не представлен».") % {"direction": ConclusionDirection(direction).label,
                                     "state": report.get_state_display()}


def require_report_settled(cycle: Cycle, body: Organisation, direction: str) -> None:
    """Refuse (DomainError ``report_not_settled``) while the direction's report is open."""
    refusal = report_refusal(cycle, body, direction)
    if refusal:
        raise DomainError(refusal, code="report_not_settled")
