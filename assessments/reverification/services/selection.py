"""Risk-based selection (p.13): the risk factors, the evaluating body's method (weights and
sample size), the ranking, picking and removing bodies, the random sample."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import (
    Cycle,
    DocumentRequest,
    Organisation,
    Reverification,
    RiskMethod,
    RiskSample,
)
from assessments.reverification.services.common import (
    EditConflict,
    _body_staff,
    _directions_ok,
    _link,
    _lock,
)
from assessments.scoring import load_edition

# --- Risk-based selection (p.13) -----------------------------------------------------------------
#
# The official "Методика определения государственных органов, отчетная информация которых
# подлежит перепроверке на основе системы управления рисками" is not part of the seed. Our method,
# shown on the selection page: four factors computed from data the system holds, each normalised
# to [0, 1]; the risk score is 100 × Σ weight × factor / Σ weight. Weights are the evaluating
# body's to edit. A random sample drawn with a recorded seed is added (reproducible).


@dataclass(frozen=True)
class FactorValue:
    normalised: Decimal  # 0..1
    text: str  # what was found, for the page ("2 раза возвращался", "нет данных")


@dataclass(frozen=True)
class RiskFactor:
    code: str
    label: str
    description: str
    default_weight: Decimal
    compute: Callable[[Cycle, str, list[int]], dict[int, FactorValue]]


ONE = Decimal(1)
ZERO = Decimal(0)
SCORE_JUMP_SCALE = Decimal(20)  # points of a direction's final score that count as a full jump
DISCIPLINE_SCALE = Decimal(3)  # late + returns that count as full risk


def _q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The cycle of the reporting period before ``cycle``'s (its latest run, if several)."""
    return (
        Cycle.objects.filter(year=cycle.year - 1).order_by("-is_current", "-created_at", "-pk")
        .first()
    )


def _factor_previous_penalties(cycle: Cycle, direction: str, body_ids: list[int]):
    """Deduction of the previous cycle's signed act (0..cap), normalised by the cap (p.20)."""
    previous = previous_cycle(cycle)
    found: dict[int, Decimal] = {}
    if previous is not None:
        found = dict(
            Reverification.objects.filter(
                cycle=previous, direction=direction, body_id__in=body_ids,
                deduction__isnull=False,
            ).values_list("body_id", "deduction")
        )
    cap = Decimal(load_edition(cycle.edition).penalty["cap"].text)
    out = {}
    for body_id in body_ids:
        if previous is None:
            out[body_id] = FactorValue(ZERO, _("нет предыдущего цикла"))
        elif body_id in found:
            value = found[body_id]
            out[body_id] = FactorValue(
                _q4(min(ONE, value / cap)), _("вычет %(v)s балла") % {"v": value}
            )
        else:
            out[body_id] = FactorValue(ZERO, _("не перепроверялся или без вычета"))
    return out


def _factor_report_discipline(cycle: Cycle, direction: str, body_ids: list[int]):
    """The report of this cycle submitted late and/or returned for rework: (late + returns) / 3,
    at most 1."""
    from assessments.models import Report

    rows = {
        body_id: (late, returned)
        for body_id, late, returned in Report.objects.filter(
            cycle=cycle, direction=direction, body_id__in=body_ids
        ).values_list("body_id", "late", "returned_times")
    }
    out = {}
    for body_id in body_ids:
        if body_id not in rows:
            out[body_id] = FactorValue(ZERO, _("отчёта нет"))
            continue
        late, returned = rows[body_id]
        n = Decimal(int(late) + returned)
        parts = []
        if late:
            parts.append(_("представлен с нарушением срока"))
        if returned:
            parts.append(_("возвращался %(n)s раз") % {"n": returned})
        out[body_id] = FactorValue(
            _q4(min(ONE, n / DISCIPLINE_SCALE)), "; ".join(parts) or _("в срок, без возврата")
        )
    return out


def _finals(cycle: Cycle | None, direction: str, body_ids: list[int]) -> dict[int, Decimal]:
    if cycle is None:
        return {}
    from assessments.models import ScoreSheet

    rows = (
        ScoreSheet.objects.filter(cycle=cycle, direction=direction, body_id__in=body_ids,
                                  is_current=True)
        .exclude(final__isnull=True)
        .order_by("body_id", "-pk")
        .values_list("body_id", "final")
    )
    out: dict[int, Decimal] = {}
    for body_id, final in rows:
        out.setdefault(body_id, Decimal(str(final)))
    return out


def _factor_score_jump(cycle: Cycle, direction: str, body_ids: list[int]):
    """|final this cycle − final of the previous cycle| / 20 points, at most 1."""
    now = _finals(cycle, direction, body_ids)
    before = _finals(previous_cycle(cycle), direction, body_ids)
    out = {}
    for body_id in body_ids:
        if body_id in now and body_id in before:
            jump = now[body_id] - before[body_id]
            out[body_id] = FactorValue(
                _q4(min(ONE, abs(jump) / SCORE_JUMP_SCALE)),
                _("%(before)s → %(now)s") % {"before": before[body_id], "now": now[body_id]},
            )
        else:
            out[body_id] = FactorValue(ZERO, _("нет оценок двух циклов"))
    return out


# Source kinds that a system other than the body's own report confirms.
_CONFIRMED_SOURCES = frozenset({"import", "assessor", "finding", "peer_average", "decision"})


def _factor_unconfirmed_share(cycle: Cycle, direction: str, body_ids: list[int]):
    """Share of the direction's numbers in the body's scoring input that only the body's report
    gives (no import from another system, no assessor's own score)."""
    from assessments.scores.services.scoring_inputs import (
        flatten,
        full_case,
        scoring_inputs_current,
        source_of,
    )

    inputs = {si.body_id: si for si in scoring_inputs_current(cycle=cycle, body_ids=body_ids)}
    out = {}
    for body_id in body_ids:
        si = inputs.get(body_id)
        block = full_case(si).get(direction) if si is not None else None
        leaves = flatten(block, direction) if isinstance(block, dict) and block else {}
        if not leaves:
            out[body_id] = FactorValue(ZERO, _("нет данных"))
            continue
        own = sum(
            1 for path in leaves
            if (source_of(si.sources, path) or {}).get("kind") not in _CONFIRMED_SOURCES
        )
        share = Decimal(own) / Decimal(len(leaves))
        out[body_id] = FactorValue(
            _q4(share), _("%(own)s из %(all)s показателей") % {"own": own, "all": len(leaves)}
        )
    return out


RISK_FACTORS: dict[str, RiskFactor] = {
    f.code: f
    for f in (
        RiskFactor(
            "previous_penalties", gettext_lazy("Штрафные баллы прошлого цикла"),
            gettext_lazy("Вычет по акту сверки за предыдущий период ÷ 5 (п.20)."),
            Decimal("0.35"), _factor_previous_penalties,
        ),
        RiskFactor(
            "report_discipline", gettext_lazy("Нарушение срока и возвраты отчёта"),
            gettext_lazy("(Представлен с нарушением срока: 1) + число возвратов, ÷ 3, не более 1."),
            Decimal("0.20"), _factor_report_discipline,
        ),
        RiskFactor(
            "score_jump", gettext_lazy("Скачок оценки против прошлого цикла"),
            gettext_lazy("|Итоговая оценка − оценка прошлого цикла| ÷ 20 баллов, не более 1."),
            Decimal("0.20"), _factor_score_jump,
        ),
        RiskFactor(
            "unconfirmed_share", gettext_lazy("Доля неподтверждённых показателей"),
            gettext_lazy("Доля показателей направления, которые даёт только отчёт органа "
                         "(не подтверждены другой системой или экспертом)."),
            Decimal("0.25"), _factor_unconfirmed_share,
        ),
    )
}


def default_weights() -> dict[str, str]:
    return {code: str(f.default_weight) for code, f in RISK_FACTORS.items()}


def risk_method_for(*, cycle: Cycle, evaluator: Organisation, direction: str) -> RiskMethod:
    """The stored method, or the default one (unsaved, revision 0)."""
    method = RiskMethod.objects.filter(
        cycle=cycle, evaluator=evaluator, direction=direction
    ).first()
    if method is None:
        method = RiskMethod(
            cycle=cycle, evaluator=evaluator, direction=direction, weights=default_weights(),
            sample_size=1, revision=0, updated_at=clock.now(),
        )
    return method


def risk_weights(method: RiskMethod) -> dict[str, Decimal]:
    stored = method.weights or {}
    return {code: Decimal(str(stored.get(code, f.default_weight)))
            for code, f in RISK_FACTORS.items()}


class InvalidWeights(DomainError):
    """``errors = {factor code or "sample_size": message}``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Исправьте ошибки в выделенных полях."), code="invalid")
        self.errors = errors


@transaction.atomic
def risk_method_save(
    *, actor, cycle: Cycle, evaluator: Organisation, direction: str,
    weights: Mapping[str, object], sample_size: int, revision: int, reason: str = "",
) -> RiskMethod:
    """Save the evaluating body's weights and sample size (p.13). ``revision`` is the one the
    editor read: a save by someone else in between is reported, never overwritten."""
    direction = _directions_ok(direction)
    if not access.can(actor, "edit_risk_method", cycle, evaluator=evaluator, direction=direction):
        raise PermissionDenied
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for code in RISK_FACTORS:
        raw = weights.get(code)
        try:
            value = Decimal(str(raw).replace(",", ".").strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[code] = _("Введите число, например 0.25.")
            continue
        if value < 0 or value > 100:
            errors[code] = _("Вес — число от 0 до 100.")
            continue
        clean[code] = format(value.normalize(), "f")
    if not errors and not any(Decimal(v) > 0 for v in clean.values()):
        errors["__all__"] = _("Хотя бы один вес должен быть больше нуля.")
    if not isinstance(sample_size, int) or sample_size < 0 or sample_size > 100:
        errors["sample_size"] = _("Размер выборки — целое число от 0 до 100.")
    if errors:
        raise InvalidWeights(errors)
    method = (
        RiskMethod.objects.select_for_update()
        .filter(cycle=cycle, evaluator=evaluator, direction=direction)
        .first()
    )
    current = method.revision if method else 0
    if current != revision:
        raise EditConflict(
            _("Веса уже изменил другой пользователь (%(who)s). Обновите страницу: ваши "
              "значения не сохранены.")
            % {"who": method.updated_by if method and method.updated_by else "—"}
        )
    before = dict(method.weights) if method else default_weights()
    before_size = method.sample_size if method else 1
    if method is None:
        method = RiskMethod(cycle=cycle, evaluator=evaluator, direction=direction)
    method.weights = clean
    method.sample_size = sample_size
    method.revision = current + 1
    method.updated_at = clock.now()
    method.updated_by = actor
    method.save()
    changes = {
        f"weight.{code}": (before.get(code), clean[code])
        for code in RISK_FACTORS if str(before.get(code)) != clean[code]
    }
    if before_size != sample_size:
        changes["sample_size"] = (before_size, sample_size)
    audit_record(actor=actor, obj=method, action="risk_method_save", changes=changes,
                 reason=reason)
    return method


def risk_population(*, cycle: Cycle, evaluator: Organisation, direction: str) -> list[Organisation]:
    """The evaluated bodies ``evaluator`` assesses on ``direction`` in ``cycle``, in BIN order."""
    from assessments.registry.services.evaluators import evaluated_bodies_q

    day = cycle.period_end
    bodies = (
        Organisation.objects.filter(is_evaluated=True)
        .filter(evaluated_bodies_q(evaluator, direction, cycle=cycle))
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=day))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=cycle.period_start))
        .order_by("bin", "pk")
    )
    return list(bodies)


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str
    weight: Decimal
    normalised: Decimal
    contribution: Decimal  # points of the 0..100 score
    text: str


@dataclass
class RiskRow:
    body: Organisation
    score: Decimal
    contributions: list[Contribution]
    rank: int = 0
    reverification: Reverification | None = None

    @property
    def selected(self) -> bool:
        return (self.reverification is not None
                and self.reverification.state != Reverification.State.CANCELLED)

    @property
    def cancellable(self) -> bool:
        return self.reverification is not None and self.reverification.state in (
            Reverification.State.SELECTED, Reverification.State.DOCUMENTS_REQUESTED,
            Reverification.State.DOCUMENTS_RECEIVED)


def risk_ranking(
    *, cycle: Cycle, evaluator: Organisation, direction: str, method: RiskMethod | None = None,
    bodies: list[Organisation] | None = None,
) -> list[RiskRow]:
    """Every body of the population with its risk score (0..100) and each factor's contribution,
    highest risk first (ties in BIN order); with its re-verification, if any. A constant number
    of queries whatever the number of bodies."""
    direction = _directions_ok(direction)
    method = method or risk_method_for(cycle=cycle, evaluator=evaluator, direction=direction)
    weights = risk_weights(method)
    total_weight = sum(weights.values(), ZERO)
    bodies = bodies if bodies is not None else risk_population(
        cycle=cycle, evaluator=evaluator, direction=direction
    )
    ids = [b.pk for b in bodies]
    values = {code: f.compute(cycle, direction, ids) for code, f in RISK_FACTORS.items()}
    existing = {
        rv.body_id: rv
        for rv in Reverification.objects.filter(cycle=cycle, direction=direction, body_id__in=ids)
    }
    rows = []
    for body in bodies:
        contributions = []
        for code, f in RISK_FACTORS.items():
            v = values[code][body.pk]
            share = (
                weights[code] * v.normalised * 100 / total_weight if total_weight else ZERO
            )
            contributions.append(
                Contribution(code, str(f.label), weights[code], v.normalised,
                             share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), v.text)
            )
        score = sum((c.contribution for c in contributions), ZERO)
        rows.append(RiskRow(body, score, contributions, reverification=existing.get(body.pk)))
    rows.sort(key=lambda r: (-r.score, r.body.bin, r.body.pk))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def _require_select(actor, cycle: Cycle, evaluator: Organisation, direction: str) -> None:
    if not access.can(actor, "reverification_select", cycle, evaluator=evaluator,
                      direction=direction):
        raise PermissionDenied


@transaction.atomic
def reverification_select(
    *, actor, cycle: Cycle, body: Organisation, direction: str, evaluator: Organisation,
    reason: str = "", basis: str = Reverification.Basis.RISK, sample: RiskSample | None = None,
) -> Reverification:
    """Pick ``body`` for re-verification on ``direction`` (p.13), recording the reason and its
    risk score at the time. A body removed earlier is picked again (its record is kept)."""
    direction = _directions_ok(direction)
    if actor is not None:
        _require_select(actor, cycle, evaluator, direction)
    population = {b.pk: b for b in risk_population(cycle=cycle, evaluator=evaluator,
                                                   direction=direction)}
    if body.pk not in population:
        raise DomainError(
            _("Орган «%(body)s» не оценивается этим уполномоченным органом по этому "
              "направлению.") % {"body": body}
        )
    # Lock the body row: two assessors picking the same body at once make one record.
    Organisation.objects.select_for_update().filter(pk=body.pk).exists()
    row = risk_ranking(cycle=cycle, evaluator=evaluator, direction=direction, bodies=[body])[0]
    snapshot = {
        "score": str(row.score),
        "factors": {c.code: {"weight": str(c.weight), "value": str(c.normalised),
                             "contribution": str(c.contribution), "text": c.text}
                    for c in row.contributions},
    }
    if basis == Reverification.Basis.RISK and not reason.strip():
        reason = _("Балл риска %(score)s") % {"score": row.score}
    rv = (
        Reverification.objects.select_for_update()
        .filter(cycle=cycle, body=body, direction=direction)
        .first()
    )
    now = clock.now()
    if rv is not None:
        if rv.state != Reverification.State.CANCELLED:
            raise DomainError(_("Этот орган уже отобран для перепроверки по этому направлению."),
                              code="duplicate")
        rv.reselect(by=actor, description=reason)
        rv.basis, rv.reason, rv.sample = basis, reason, sample
        rv.risk_score, rv.risk_factors = row.score, snapshot
        rv.selected_at, rv.selected_by = now, actor if getattr(actor, "pk", None) else None
        rv.save()
    else:
        rv = Reverification.objects.create(
            cycle=cycle, body=body, direction=direction, evaluator=evaluator, basis=basis,
            reason=reason, risk_score=row.score, risk_factors=snapshot, sample=sample,
            selected_at=now, selected_by=actor if getattr(actor, "pk", None) else None,
        )
    audit_record(actor=actor, obj=rv, action="reverification_select",
                 changes={"basis": (None, basis), "risk_score": (None, str(row.score))},
                 reason=reason)
    return rv


@transaction.atomic
def reverification_cancel(*, actor, reverification: Reverification, reason: str) -> Reverification:
    """Remove a body from the selection (before any finding is recorded), with the reason; its
    open requests are withdrawn."""
    rv = _lock(reverification)
    _require_select(actor, rv.cycle, rv.evaluator, rv.direction)
    if not reason.strip():
        raise DomainError(_("Укажите причину исключения органа из отбора."), code="reason")
    if rv.state not in (Reverification.State.SELECTED, Reverification.State.DOCUMENTS_REQUESTED,
                        Reverification.State.DOCUMENTS_RECEIVED):
        raise DomainError(
            _("Исключить из отбора можно только до фиксации фактов."), code="state"
        )
    if rv.findings.filter(withdrawn_at__isnull=True).exists():
        raise DomainError(
            _("По органу уже зафиксированы факты: сначала исключите их."), code="state"
        )
    now = clock.now()
    withdrawn = rv.requests.filter(state=DocumentRequest.State.OPEN).update(
        state=DocumentRequest.State.WITHDRAWN, withdrawn_at=now,
        withdrawn_reason=reason[:500],
    )
    rv.cancel(by=actor, description=reason)
    rv.save()
    audit_record(actor=actor, obj=rv, action="reverification_cancel",
                 changes={"requests_withdrawn": (None, withdrawn)}, reason=reason)
    if withdrawn:
        notify(_body_staff(rv), _("Запрос документов по перепроверке «%(rv)s» отозван.")
               % {"rv": rv}, _link(rv))
    return rv


def _population_key(bodies: Iterable[Organisation]) -> list[int]:
    return [b.pk for b in bodies]


def risk_sample_redraw(sample: RiskSample) -> list[int]:
    """The bodies the sample's seed draws from its recorded population (its reproduction)."""
    rng = random.Random(sample.seed)
    population = list(sample.population)
    return rng.sample(population, min(sample.size, len(population)))


@transaction.atomic
def risk_sample_draw(
    *, actor, cycle: Cycle, evaluator: Organisation, direction: str, size: int | None = None,
    reason: str = "",
) -> RiskSample:
    """Draw ``size`` bodies at random (default: the method's sample size) among the population
    not selected yet, and select them. The seed comes from the server (``secrets``), never from
    the person drawing — a chosen seed would choose the bodies — and is recorded with the
    population, so :func:`risk_sample_redraw` reproduces the draw afterwards."""
    direction = _directions_ok(direction)
    _require_select(actor, cycle, evaluator, direction)
    method = risk_method_for(cycle=cycle, evaluator=evaluator, direction=direction)
    size = method.sample_size if size is None else size
    if size < 1:
        raise DomainError(_("Размер выборки должен быть не меньше 1."), code="size")
    seed = secrets.token_hex(16)
    taken = set(
        Reverification.objects.filter(cycle=cycle, direction=direction)
        .exclude(state=Reverification.State.CANCELLED).values_list("body_id", flat=True)
    )
    bodies = [b for b in risk_population(cycle=cycle, evaluator=evaluator, direction=direction)
              if b.pk not in taken]
    if not bodies:
        raise DomainError(_("Все органы уже отобраны: выбирать не из кого."), code="empty")
    sample = RiskSample(
        cycle=cycle, evaluator=evaluator, direction=direction, seed=seed, size=size,
        population=_population_key(bodies), drawn_at=clock.now(),
        drawn_by=actor if getattr(actor, "pk", None) else None,
    )
    sample.drawn = risk_sample_redraw(sample)
    sample.save()
    by_id = {b.pk: b for b in bodies}
    text = reason.strip() or _("Случайная выборка, seed %(seed)s") % {"seed": seed}
    for body_id in sample.drawn:
        reverification_select(
            actor=actor, cycle=cycle, body=by_id[body_id], direction=direction,
            evaluator=evaluator, reason=text, basis=Reverification.Basis.SAMPLE, sample=sample,
        )
    audit_record(actor=actor, obj=sample, action="risk_sample_draw",
                 changes={"seed": (None, seed), "drawn": (None, sample.drawn)}, reason=reason)
    return sample
