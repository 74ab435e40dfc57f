"""Guard: a conclusion is approved and signed only with the body's current scores.

A conclusion snapshots the printed scores it was drafted from (``values``). When the body's
stored scores change afterwards (a later import, an accepted report, a commission's decision,
the re-verification's deduction), what the signatory would approve is no longer what the
system holds: approval and every signature are refused until the conclusion is redrafted from
the current scores (``conclusion_redraft``), and the page says why (``stale_scores_reason``).
A signed or delivered conclusion is never touched: a change after signing is a correction.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.conclusions.services.common import AUTOMATION_CODES, SHEET_DIRECTION
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, ConclusionDirection, ConclusionState, ScoreSheet

# States in which the content may still follow the scores (nothing signed yet).
GUARDED_STATES = (ConclusionState.DRAFT, ConclusionState.IN_REVIEW, ConclusionState.APPROVED)


def current_sheets(cycle_id: int, body_ids) -> dict[int, dict[str, ScoreSheet]]:
    """``{body id: {direction: current sheet}}`` in one query (for lists of conclusions)."""
    out: dict[int, dict[str, ScoreSheet]] = {}
    for sheet in ScoreSheet.objects.filter(cycle=cycle_id, body_id__in=list(body_ids),
                                           is_current=True).defer("explain"):
        out.setdefault(sheet.body_id, {})[sheet.direction] = sheet
    return out


def current_values(c: Conclusion, sheets: dict[str, ScoreSheet] | None = None) -> dict | None:
    """The values ``c`` would be drafted with now, from the current score sheets (``sheets``:
    the body's, by direction, when the caller read them already; no scoring is run here);
    None when the direction has no current scores."""
    if sheets is None:
        sheets = current_sheets(c.cycle_id, [c.body_id]).get(c.body_id, {})
    if c.direction == ConclusionDirection.BLOCK:
        out = {}
        for direction in ("services", "openness", "complaints"):
            sheet = sheets.get(direction)
            if sheet is None or not sheet.values:
                return None
            out[direction] = sheet.values.get("final")
        overall = sheets.get("overall")
        if overall is None or not overall.values:
            return None
        return {**out, "overall": overall.values.get("overall"),
                "band": overall.values.get("band")}
    sheet = sheets.get(SHEET_DIRECTION[c.direction])
    if sheet is None or sheet.final is None or not sheet.values:
        return None
    if c.direction == ConclusionDirection.AUTOMATION:
        return {code: sheet.values[code] for code in AUTOMATION_CODES if code in sheet.values}
    return dict(sheet.values)


def changed_codes(c: Conclusion, sheets: dict[str, ScoreSheet] | None = None) -> list[str] | None:
    """The printed codes whose stored value changed since ``c`` was drafted ([] when it is
    current or already signed; None when the direction has no current scores at all)."""
    if c.state not in GUARDED_STATES:
        return []
    current = current_values(c, sheets)
    if current is None:
        return None
    drafted = c.values or {}
    return [code for code in dict.fromkeys([*drafted, *current])
            if drafted.get(code) != current.get(code)]


def stale_scores_reason(c: Conclusion, sheets: dict[str, ScoreSheet] | None = None) -> str:
    """Why ``c`` may not be approved or signed because of its scores ("" when they are
    current): the page shows it next to the actions."""
    codes = changed_codes(c, sheets)
    if codes == []:
        return ""
    if codes is None:
        return _("Текущих баллов органа по этому направлению нет (они пересчитываются или "
                 "данные неполны): согласование и подписание невозможны, пока баллы не "
                 "рассчитаны и заключение не пересформировано.")
    return _("Баллы органа изменились после формирования заключения (%(codes)s): согласовать "
             "и подписать можно только заключение, пересформированное из текущих баллов.") % {
        "codes": ", ".join(codes)}


def require_current_scores(c: Conclusion) -> None:
    """Refuse (DomainError ``stale_scores``) while ``c``'s scores are not the current ones."""
    reason = stale_scores_reason(c)
    if reason:
        raise DomainError(reason, code="stale_scores")
