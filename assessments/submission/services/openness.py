"""The assessors' scoring of openness (annex 10): scores per indicator and language column,
the special-rule flags, the indicators not assessed and the subordinate organisations'
penalties. Maxima, indicator keys and allowed flags come from the cycle's edition
(``load_edition``); nothing here repeats a number of the methodology.

Two assessors may split a body's tables: each cell is its own row with its own version, so
they never overwrite each other; a stale edit of the same cell is refused (EditConflict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.models import Cycle, OpennessAssessment, OpennessScore, Organisation
from assessments.scoring import load_edition
from assessments.submission.report_schema import COLUMNS
from assessments.submission.services.reports import EditConflict, body_kind, schedule_assembly


@dataclass(frozen=True)
class IndicatorRow:
    criterion: str
    indicator: str
    maximum: Decimal
    computed: bool
    number: str = ""  # the row's number in annex 10 ("3.", "5.1)")
    name: str = ""  # annex 10's wording (Russian, the methodology's text)


def _decimal(param) -> Decimal:
    return Decimal(param.n) / Decimal(param.d)


def criteria_for(cycle: Cycle, body: Organisation):
    return load_edition(cycle.edition).criteria[body_kind(body)]


def annex10_names(kind: str, caps: dict[str, Decimal] | None = None
                  ) -> dict[tuple[str, str], tuple[str, str]]:
    """``{(criterion, indicator): (number, wording)}`` as annex 10's tables 1–7 print them for a
    body of ``kind`` (``reporting/annexes/labels.py``, the texts of the annex PDF): a sub-row
    is numbered under its group ("5.1)"), footnote marks are dropped and ``{cap}`` is the
    criterion's cap from the edition."""
    from reporting.annexes.labels import ANNEX10_TABLES

    wanted = {"central": ("1", "2", "4", "6", "7"), "local": ("1", "3", "5", "6", "7")}[kind]
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for number in wanted:
        spec = ANNEX10_TABLES[number]
        criterion, group = spec["criterion"], ""
        for num, key, label in spec["rows"]:
            if key is None:
                group = num
                continue
            if num.endswith(".") and group:
                group = ""
            cap = (caps or {}).get(criterion)
            text = label.replace("{cap}", format(cap.normalize(), "f") if cap else "…")
            text = re.sub(r"\s\*+(?=$|\.|\s)", "", text).strip()
            names[(criterion, key)] = (f"{group}{num}" if group else num, text)
    return names


def indicator_rows(cycle: Cycle, body: Organisation) -> list[IndicatorRow]:
    """Every indicator of tables 1–7 for this body's kind, in table order, with its maximum and
    annex 10's number and wording."""
    criteria = criteria_for(cycle, body)
    names = annex10_names(body_kind(body), {n: _decimal(t.cap) for n, t in criteria.items()})
    rows = []
    for name, table in criteria.items():
        for indicator, maximum in table.indicators:
            number, text = names.get((name, indicator), ("", ""))
            rows.append(IndicatorRow(name, indicator, _decimal(maximum),
                                     indicator not in table.scorable, number, text))
    return rows


def allowed_flags(cycle: Cycle, body: Organisation) -> dict[str, list[str]]:
    return {name: sorted(table.flags) for name, table in criteria_for(cycle, body).items()
            if table.flags}


def subordinate_penalty_keys(cycle: Cycle) -> list[tuple[str, Decimal]]:
    subs = load_edition(cycle.edition).raw["openness"]["subordinates"]["penalties"]
    return [(key, Decimal(value)) for key, value in subs.items()]


def _parse_value(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("Введите число, например 1.5."), code="value")
    if not value.is_finite():
        raise DomainError(_("Введите число, например 1.5."), code="value")
    return value


def _locked_cell(cell: dict) -> OpennessScore | None:
    return OpennessScore.objects.select_for_update().select_related("scored_by").filter(
        **cell).first()


def _cell_conflict(score: OpennessScore | None) -> EditConflict:
    if score is None:
        return EditConflict(_("Балл уже удалён или изменён другим экспертом."))
    return EditConflict(
        _("Этот балл уже изменил(а) %(who)s в %(when)s (сейчас %(value)s). Ваше значение "
          "не сохранено.") % {"who": score.scored_by, "value": score.value,
                              "when": score.scored_at.astimezone(clock.ZONE).strftime("%H:%M")})


@transaction.atomic
def openness_score_set(*, actor, cycle: Cycle, body: Organisation, criterion: str,
                       indicator: str, column: str, value, comment: str = "",
                       expected_version: int | None = None) -> OpennessScore:
    """Score one indicator in one language column, within its maximum (annex 10)."""
    access.require(actor, "score_openness", body, cycle=cycle)
    table = criteria_for(cycle, body).get(criterion)
    if table is None or indicator not in table.maxima:
        raise DomainError(_("Такого показателя нет в таблицах приложения 10."), code="indicator")
    if indicator not in table.scorable:
        raise DomainError(_("Этот показатель вычисляется, а не выставляется экспертом."),
                          code="computed")
    if column not in COLUMNS:
        raise DomainError(_("Неизвестная языковая версия."), code="column")
    value = _parse_value(value)
    maximum = _decimal(table.maxima[indicator])
    if value < 0 or value > maximum:
        raise DomainError(_("Балл должен быть от 0 до %(max)s.") % {"max": maximum},
                          code="value")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("Не более двух знаков после запятой."), code="value")
    cell = {"cycle": cycle, "body": body, "criterion": criterion, "indicator": indicator,
            "column": column}
    score = _locked_cell(cell)
    now = clock.now()
    if score is None:
        if expected_version not in (None, 0):
            raise EditConflict(_("Балл уже удалён или изменён другим экспертом."))
        try:
            with transaction.atomic():
                score = OpennessScore.objects.create(
                    **cell, value=value, comment=comment, scored_by=actor, scored_at=now)
        except IntegrityError:
            # Another assessor's first score of the same cell committed after our read: the
            # cell was empty for both, so whichever came second is told, never overwrites.
            raise _cell_conflict(_locked_cell(cell)) from None
        before = None
    else:
        if expected_version is not None and score.version != expected_version:
            raise _cell_conflict(score)
        if score.value == value and score.comment == comment:
            return score
        before = f"{score.value} ({score.scored_by})"
        score.value, score.comment = value, comment
        score.scored_by, score.scored_at = actor, now
        score.version += 1
        score.save()
    audit_record(actor=actor, obj=score, action="score",
                 changes={f"{criterion}.{indicator}.{column}": (before, str(value))},
                 reason=comment)
    schedule_assembly(cycle.pk, body.pk)
    return score


@transaction.atomic
def openness_assessment_update(*, actor, cycle: Cycle, body: Organisation, flags: dict,
                               not_assessed: list[str], subordinate_penalties: dict,
                               expected_version: int | None = None,
                               reason: str = "") -> OpennessAssessment:
    """Set the special-rule flags (p.62, p.67, p.71, annex 10 notes), the budget indicators
    not assessed (secret or ДСП budget, p.67) and the subordinates' penalties (tables 9–11)."""
    access.require(actor, "score_openness", body, cycle=cycle)
    criteria = criteria_for(cycle, body)
    allowed = allowed_flags(cycle, body)
    clean_flags = {}
    for criterion, items in flags.items():
        unknown = set(items) - set(allowed.get(criterion, ()))
        if unknown:
            raise DomainError(_("Недопустимое правило: %(f)s.") % {"f": ", ".join(unknown)},
                              code="flags")
        if items:
            clean_flags[criterion] = sorted(set(items))
    budget = criteria["open_budget"]
    unknown = set(not_assessed) - set(budget.scorable)
    if unknown:
        raise DomainError(_("Недопустимый показатель: %(i)s.") % {"i": ", ".join(unknown)},
                          code="not_assessed")
    penalties = {}
    keys = dict(subordinate_penalty_keys(cycle))
    for key, columns in subordinate_penalties.items():
        if key not in keys:
            raise DomainError(_("Неизвестный штраф: %(k)s.") % {"k": key}, code="penalties")
        if any(columns.get(c) for c in COLUMNS):
            if body_kind(body) != "central":
                raise DomainError(_("Штрафы подведомственных организаций применяются только к "
                                    "центральным государственным органам."), code="penalties")
            penalties[key] = {c: bool(columns.get(c)) for c in COLUMNS}
    assessment, _created = OpennessAssessment.objects.select_for_update().get_or_create(
        cycle=cycle, body=body)
    if expected_version is not None and assessment.version != expected_version:
        raise EditConflict(_("Отметки уже изменил(а) %(who)s; обновите страницу.")
                           % {"who": assessment.updated_by})
    before = (assessment.flags, assessment.not_assessed, assessment.subordinate_penalties)
    after = (clean_flags, sorted(set(not_assessed)), penalties)
    if before == after:
        return assessment
    assessment.flags, assessment.not_assessed, assessment.subordinate_penalties = after
    assessment.version += 1
    assessment.updated_by, assessment.updated_at = actor, clock.now()
    assessment.save()
    audit_record(actor=actor, obj=assessment, action="openness:rules",
                 changes={"flags": (before[0], after[0]), "not_assessed": (before[1], after[1]),
                          "subordinate_penalties": (before[2], after[2])}, reason=reason)
    schedule_assembly(cycle.pk, body.pk)
    return assessment
