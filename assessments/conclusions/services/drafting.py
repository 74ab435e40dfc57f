"""Drafting a conclusion from the stored scores and editing its text (p.21, p.107–108; the seed's
forms): the annex's values, the block's numbers (annex 15), the re-verification facts that start
"Выводы и рекомендации", and the assessor's edits with their revision check.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.conclusions.services.common import (
    AUTOMATION_CODES,
    CRITERIA,
    SHEET_DIRECTION,
    _link,
    _lock,
    _require,
    _state_refused,
    _writers,
    annex_for,
)
from assessments.conclusions.services.guard_report import require_report_settled
from assessments.conclusions.services.guard_scores import changed_codes
from assessments.kernel import clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import (
    Conclusion,
    ConclusionDirection,
    ConclusionState,
    Cycle,
    Organisation,
    ScoreSheet,
)
from assessments.registry.services.evaluators import evaluator_for
from assessments.reverification.services import act_blocker, findings_for

# --- The scores a conclusion is drafted from -------------------------------------------------


def _current_sheet(cycle: Cycle, body: Organisation, direction: str) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(cycle=cycle, body=body, direction=direction, is_current=True)
        .select_related("scoring_input")
        .first()
    )


def _sheet_for(cycle: Cycle, body: Organisation, direction: str, actor) -> ScoreSheet:
    """The current score sheet the conclusion is drafted from (scored now if missing)."""
    from assessments.scores.services.sheets import score_body

    sheet_direction = SHEET_DIRECTION[direction]
    sheet = _current_sheet(cycle, body, sheet_direction)
    if sheet is None:
        score_body(cycle=cycle, body=body, actor=actor)
        sheet = _current_sheet(cycle, body, sheet_direction)
    if sheet is None or sheet.final is None or not sheet.values:
        raise DomainError(
            _("Оценка органа по этому направлению ещё не рассчитана: заключение формируется "
              "из рассчитанных баллов."),
            code="no_scores",
        )
    return sheet


def _values(direction: str, sheet: ScoreSheet) -> dict:
    if direction == ConclusionDirection.AUTOMATION:
        return {code: sheet.values[code] for code in AUTOMATION_CODES if code in sheet.values}
    return dict(sheet.values)


def _block_values(cycle: Cycle, body: Organisation, actor) -> dict:
    """The block's numbers (annex 15): the three directions' final conclusions and the overall
    score the engine computes from them (p.107–108, p.121–122)."""
    from assessments.scores.services.sheets import score_body

    finals = {}
    for direction in CRITERIA[15]:
        latest = (
            Conclusion.objects.filter(cycle=cycle, body=body, direction=direction)
            .order_by("-version")
            .first()
        )
        if latest is None or latest.state != ConclusionState.FINAL:
            raise DomainError(
                _("Заключение по блоку формируется, когда окончательны заключения по всем трём "
                  "направлениям; нет окончательного заключения по направлению «%(direction)s».")
                % {"direction": ConclusionDirection(direction).label},
                code="block_not_ready",
            )
        finals[direction] = latest.values.get("final")
    sheets = score_body(cycle=cycle, body=body, actor=actor)
    overall = sheets.get("overall")
    for direction, final in finals.items():
        sheet = sheets.get(direction)
        if sheet is None or sheet.values.get("final") != final:
            raise DomainError(
                _("Баллы органа изменились после окончательного заключения по направлению "
                  "«%(direction)s»: сначала выпустите скорректированное заключение.")
                % {"direction": ConclusionDirection(direction).label},
                code="block_mismatch",
            )
    if overall is None or not overall.values:
        raise DomainError(_("Общая оценка органа ещё не рассчитана."), code="no_scores")
    return {**finals, "overall": overall.values["overall"], "band": overall.values["band"]}


def _recommendations_from_findings(cycle, body, direction) -> str:
    """"Выводы и рекомендации" prefilled with the facts of p.17–21: the re-verification's (the
    signed act's) and the elements missing from the body's report (recorded at submission, or
    all of them when the report was closed as not submitted)."""
    from assessments.submission.services.incompleteness import counted_facts

    if direction == ConclusionDirection.BLOCK:
        return ""
    lines = []
    for finding in findings_for(cycle=cycle, body=body, direction=direction):
        kind = getattr(finding, "kind", "")
        label = (
            _("Недостоверные сведения") if kind == "unreliable" else _("Неполные сведения")
        )
        section = getattr(finding, "report_section", "") or ""
        text = getattr(finding, "description", "") or str(finding)
        lines.append(f"{label}{f' ({section})' if section else ''}: {text}")
    facts = ([] if direction == ConclusionDirection.AUTOMATION
             else counted_facts(cycle=cycle, body=body, direction=direction))
    closed = {f.report_id: f.report for f in facts if f.origin == "closure"}
    for report in closed.values():
        lines.append(_("Отчёт «%(r)s» не представлен (закрыт %(d)s: %(reason)s); все его "
                       "элементы считаются отсутствующими (п.18).")
                     % {"r": report.get_direction_display(),
                        "d": report.closed_at.astimezone(clock.ZONE).strftime("%d.%m.%Y")
                        if report.closed_at else "—", "reason": report.closed_reason})
    for fact in facts:
        lines.append(_("Неполные сведения (%(element)s): элемент отчёта не представлен, "
                       "версия отчёта %(v)s.") % {"element": fact.title, "v": fact.report_version})
    if not lines:
        return ""
    header = _("По итогам перепроверки и представления отчётности выявлены факты представления "
               "недостоверной и (или) неполной отчётной информации (п.17–21 Методики):")
    return "\n".join([header, *(f"{i}. {line}" for i, line in enumerate(lines, start=1))])


# --- Drafting and editing --------------------------------------------------------------------


def _require_act_closed(cycle: Cycle, body: Organisation, direction: str) -> None:
    """A direction under re-verification is concluded only once its reconciliation act is
    closed — signed, or closed as not signed by the body past its term (p.19–20)."""
    blocker = act_blocker(cycle=cycle, body=body, direction=direction)
    if blocker:
        raise DomainError(blocker, code="act_open")


def _require_inputs(cycle: Cycle, body: Organisation, direction: str) -> None:
    """Never a silent zero (p.18): while an input of the direction that no source holds (a
    report closed as not submitted, a section missing) waits for the assessor, no conclusion is
    drafted from it — the engine would read a missing media or dialogue count as 0."""
    from assessments.models import IncompletenessFact
    from assessments.scores.services.entered import missing_inputs

    if direction == ConclusionDirection.BLOCK:
        return
    sheet_direction = SHEET_DIRECTION[direction]
    # Only where the body's report lacks something (a missing element or a closure): numbers
    # that other sources owe (imports, the ministry's automation data) keep their own checks.
    if not IncompletenessFact.objects.filter(report__cycle=cycle, report__body=body,
                                             direction=sheet_direction).exists():
        return
    waiting = [m for m in missing_inputs(cycle=cycle, body=body)
               if m.path.split(".", 1)[0] == sheet_direction]
    if waiting:
        items = "; ".join(m.label for m in waiting)
        sheet = _current_sheet(cycle, body, sheet_direction)
        if sheet is None or sheet.final is None:
            message = _("Оценка органа по этому направлению ещё не рассчитана: нет исходных "
                        "данных, которых не содержит ни один источник: %(items)s. Эксперт вносит "
                        "их с указанием источника на странице исходных данных оценки.")
        else:
            message = _("Нет исходных данных, которых не содержит ни один источник: %(items)s. "
                        "Эксперт вносит их с указанием источника на странице исходных данных "
                        "оценки.")
        raise DomainError(message % {"items": items}, code="inputs_missing")


def conclusion_draft(*, cycle: Cycle, body: Organisation, direction: str, actor) -> Conclusion:
    """Draft version 1 of the body's conclusion on ``direction`` from its stored scores.

    Idempotent: an existing version 1 is returned as it is. The assessor of the evaluating body
    (or the head of its unit) drafts; for the block (annex 15) the Agency's services people,
    once the three direction conclusions are final. "Выводы и рекомендации" start with the
    re-verification findings (p.21). Refused while the direction's report is neither accepted
    nor closed as not submitted.
    """
    direction = ConclusionDirection(direction)
    existing = Conclusion.objects.filter(
        cycle=cycle, body=body, direction=direction, version=1
    ).first()
    if existing is not None:
        return existing
    annex = annex_for(direction, body)
    evaluator = evaluator_for(
        body, "services" if direction == ConclusionDirection.BLOCK else direction, cycle
    )
    if evaluator is None:
        raise DomainError(_("Этот орган не оценивается по этому направлению."), code="scope")
    probe = Conclusion(cycle=cycle, body=body, direction=direction, evaluator=evaluator,
                       annex=annex)
    _require(actor, "write", probe)
    require_report_settled(cycle, body, direction)
    _require_act_closed(cycle, body, direction)
    _require_inputs(cycle, body, direction)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=body.pk).first()
        existing = Conclusion.objects.filter(
            cycle=cycle, body=body, direction=direction, version=1
        ).first()
        if existing is not None:
            return existing
        if direction == ConclusionDirection.BLOCK:
            sheet, values = None, _block_values(cycle, body, actor)
        else:
            sheet = _sheet_for(cycle, body, direction, actor)
            values = _values(direction, sheet)
        now = clock.now()
        conclusion = Conclusion.objects.create(
            cycle=cycle, body=body, direction=direction, version=1, annex=annex,
            evaluator=evaluator, score_sheet=sheet, values=values,
            analysis={code: "" for code in CRITERIA[annex]},
            recommendations=_recommendations_from_findings(cycle, body, direction),
            created_by=actor, created_at=now, updated_at=now,
        )
        audit_record(actor=actor, obj=conclusion, action="conclusion_draft",
                     changes={"values": (None, values)},
                     reason=_("Проект заключения сформирован из рассчитанных баллов"))
    return conclusion


def conclusion_redraft(*, conclusion: Conclusion, actor) -> Conclusion:
    """Redraft ``conclusion`` from the body's current scores, once they changed after it was
    drafted (a later import, an accepted report, a decision): its values and score sheet are
    taken anew, its analysis and "Выводы и рекомендации" kept for the assessor to revise.

    A draft is redrafted by its writers; one in review or approved (not yet signed by all) by
    the head of the unit, and it goes back to draft — an approved one loses its frozen PDF and
    any signature already given (the signatories sign the redrafted text). Refused while the
    scores are current."""
    with transaction.atomic():
        c = _lock(conclusion)
        if c.state == ConclusionState.DRAFT:
            _require(actor, "write", c)
        elif c.state in (ConclusionState.IN_REVIEW, ConclusionState.APPROVED):
            _require(actor, "review", c)
        else:
            raise _state_refused(c, _("пересформировать заключение"))
        codes = changed_codes(c)
        if codes == []:
            raise DomainError(_("Баллы заключения совпадают с текущими баллами органа: "
                                "пересформировывать нечего."), code="current")
        if c.direction == ConclusionDirection.BLOCK:
            sheet, values = None, _block_values(c.cycle, c.body, actor)
        else:
            sheet = _sheet_for(c.cycle, c.body, c.direction, actor)
            values = _values(c.direction, sheet)
        reason = _("Пересформировано из текущих баллов органа (изменились: %(codes)s)") % {
            "codes": ", ".join(codes or sorted(set(c.values) | set(values)))}
        if c.state == ConclusionState.IN_REVIEW:
            c.send_back(by=actor, description=reason)
        elif c.state == ConclusionState.APPROVED:
            c.reopen_for_redraft(by=actor, description=reason)
            c.rendered_document = None
            c.signed_document = None
            c.approved_by = None
        old_values = c.values
        c.score_sheet = sheet
        c.values = values
        c.revision += 1
        c.updated_at = clock.now()
        c.save()
        audit_record(actor=actor, obj=c, action="conclusion_redraft",
                     changes={"values": (old_values, values)}, reason=reason)
        _discard_previews(c)
        notify([u for u in _writers(c) if u.pk != getattr(actor, "pk", None)],
               _("Заключение пересформировано из текущих баллов: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_update(
    *, conclusion: Conclusion, actor, analysis: dict, recommendations: str, revision: int
) -> Conclusion:
    """Save the assessor's analysis per criterion and "Выводы и рекомендации" (draft only).

    ``revision`` is the one the editor loaded: if someone saved in between, the edit is refused
    (nothing is overwritten) and the page shows the newer text.
    """
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "write", c)
        if c.state != ConclusionState.DRAFT:
            raise _state_refused(c, _("изменить заключение"))
        if int(revision) != c.revision:
            raise DomainError(
                _("Заключение уже изменено другим пользователем (%(who)s): обновите страницу, "
                  "ваши изменения не сохранены.")
                % {"who": _last_editor(c)},
                code="conflict",
            )
        unknown = sorted(set(analysis) - set(CRITERIA[c.annex]))
        if unknown:
            raise DomainError(_("Неизвестные критерии: %(codes)s") % {"codes": ", ".join(unknown)})
        new_analysis = {code: (analysis.get(code, c.analysis.get(code, "")) or "").strip()
                        for code in CRITERIA[c.annex]}
        new_recommendations = (recommendations or "").strip()
        changes = {}
        if new_analysis != c.analysis:
            changes["analysis"] = (c.analysis, new_analysis)
        if new_recommendations != c.recommendations:
            changes["recommendations"] = (c.recommendations, new_recommendations)
        if not changes:
            return c
        c.analysis = new_analysis
        c.recommendations = new_recommendations
        c.revision += 1
        c.updated_at = clock.now()
        c.save(update_fields=["analysis", "recommendations", "revision", "updated_at"])
        audit_record(actor=actor, obj=c, action="conclusion_edit", changes=changes)
        _discard_previews(c)
    return c


def _last_editor(c: Conclusion) -> str:
    from django.contrib.contenttypes.models import ContentType

    from assessments.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Conclusion), object_id=c.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return str(entry.actor) if entry and entry.actor else "—"


def _discard_previews(c: Conclusion) -> None:
    """Draft previews show the text as it was; after an edit they are rendered anew."""
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    RenderedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Conclusion), subject_id=c.pk, draft=True
    ).delete()
