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
    reverification_reopen, act_signing_status
Reads
    findings_for(*, cycle, body, direction) -> list[Finding]   (the conclusion's p.21 facts)
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import (
    MAIN_DIRECTIONS,
    AssessorAssignment,
    Classification,
    ConfirmingDocument,
    Cycle,
    DocumentRequest,
    Finding,
    Membership,
    Organisation,
    ReconciliationAct,
    Reverification,
    RiskMethod,
    RiskSample,
    Role,
    SystemCheck,
    User,
)
from assessments.models.evidence import REFUSED_CLASSIFICATIONS
from assessments.models.people import BODY_ROLES
from assessments.registry.services.cycles import milestone_due
from assessments.scoring import load_edition, score_case_dict

S = Reverification.State
ACT_DOCUMENT_KIND = "annex1"  # reporting.annexes: the reconciliation act
EVALUATOR_SLOT_ROLE = "reverification_evaluator"
BODY_SLOT_ROLE = "reverification_body"
DEFAULT_REQUEST_WORKING_DAYS = 5
MAX_REQUEST_WORKING_DAYS = 30


class EditConflict(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


def _directions_ok(direction: str) -> str:
    if direction not in MAIN_DIRECTIONS:
        raise DomainError(
            _("Перепроверка проводится по направлениям оценки: госуслуги, открытость, жалобы.")
        )
    return str(direction)


# --- Who is who ----------------------------------------------------------------------------------


def works_on(user, reverification: Reverification) -> bool:
    """The user works for the evaluating body on the re-verification's direction (an assessor,
    a unit head or a signatory), or is an administrator."""
    p = access.principal(user)
    if not p.is_authenticated:
        return False
    if p.is_admin:
        return True
    return (reverification.evaluator_id, reverification.direction) in p.evaluator_scopes


def is_body_staff(user, reverification: Reverification) -> bool:
    p = access.principal(user)
    return any(
        m.role in BODY_ROLES and m.organisation_id == reverification.body_id
        for m in p.memberships
    )


def is_body_head(user, reverification: Reverification) -> bool:
    p = access.principal(user)
    return p.has_role(Role.BODY_HEAD, organisation=reverification.body_id)


def _body_staff(reverification: Reverification) -> list[User]:
    ids = Membership.objects.filter(
        organisation_id=reverification.body_id, role__in=BODY_ROLES
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _body_heads(reverification: Reverification) -> list[User]:
    ids = Membership.objects.filter(
        organisation_id=reverification.body_id, role=Role.BODY_HEAD
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _assessors(reverification: Reverification) -> list[User]:
    """The assessors assigned to the body × direction, else the evaluating body's assessors of
    the direction."""
    assigned = AssessorAssignment.objects.filter(
        cycle_id=reverification.cycle_id, body_id=reverification.body_id,
        direction=reverification.direction, removed_at__isnull=True,
    ).values("assessor_id")
    users = list(User.objects.filter(pk__in=assigned, is_active=True))
    if users:
        return users
    ids = Membership.objects.filter(
        organisation_id=reverification.evaluator_id, role__in=[Role.ASSESSOR],
        direction__in=[reverification.direction, ""],
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _link(reverification: Reverification) -> str:
    return reverse("reverification:reverification_detail", args=[reverification.pk])


def _lock(reverification: Reverification) -> Reverification:
    return (
        Reverification.objects.select_for_update()
        .select_related("cycle", "body", "evaluator")
        .get(pk=reverification.pk)
    )


def _require_work(actor, reverification: Reverification) -> None:
    access.require(actor, "work", reverification)


def _require_open(reverification: Reverification) -> None:
    if not reverification.is_open:
        raise DomainError(
            _("Акт сверки уже сформирован: чтобы изменить факты, откройте перепроверку для "
              "новой версии акта."),
            code="state",
        )


# --- Deduction (p.20): asked of the scoring engine, never computed here --------------------------


@dataclass(frozen=True)
class Deduction:
    """The deduction of a direction for some facts: the plain ``sum`` of points, the ``value``
    that counts (the engine caps it at ``cap``), and whether the cap applied."""

    unreliable: int
    incomplete: int
    sum: Decimal
    value: Decimal
    cap: Decimal
    capped: bool
    points_unreliable: Decimal
    points_incomplete: Decimal


def fact_points(edition: str) -> dict[str, Decimal]:
    """Points per fact of each kind in the edition (2023: 0.2 and 2, p.20)."""
    pen = load_edition(str(edition)).penalty
    return {
        Finding.Kind.UNRELIABLE: Decimal(pen["unreliable"].text),
        Finding.Kind.INCOMPLETE: Decimal(pen["incomplete"].text),
    }


def deduction_of(*, edition: str, kind: str, unreliable: int, incomplete: int) -> Deduction:
    """The deduction the scoring engine gives for these fact counts (min(cap, Σ), p.20).

    The engine's penalty is the one formula: it is asked through its public API with a case
    holding only the counts (an empty complaints direction, whose penalty is the same rule).
    """
    result = score_case_dict({
        "edition": str(edition),
        "body": {"kind": kind},
        "complaints": {
            "handled": 0, "handled_late": 0, "court_upheld": 0, "received": 0,
            "redirected_late": 0, "disciplinary_actions": 0, "excused": 0,
        },
        "penalties": {"complaints": {"unreliable_facts": unreliable,
                                     "incomplete_facts": incomplete}},
    })
    entry = result["explain"]["complaints.penalty"]
    points = fact_points(edition)
    pen = load_edition(str(edition)).penalty
    return Deduction(
        unreliable=unreliable,
        incomplete=incomplete,
        sum=points[Finding.Kind.UNRELIABLE] * unreliable
        + points[Finding.Kind.INCOMPLETE] * incomplete,
        value=Decimal(result["complaints"]["penalty"]),
        cap=Decimal(pen["cap"].text),
        capped=bool(entry["rules"]),
        points_unreliable=points[Finding.Kind.UNRELIABLE],
        points_incomplete=points[Finding.Kind.INCOMPLETE],
    )


def _body_kind(body: Organisation) -> str:
    return "central" if body.kind == Organisation.Kind.CENTRAL else "local"


def reverification_deduction(reverification: Reverification) -> Deduction:
    """The running deduction of the re-verification's active findings."""
    counts = {Finding.Kind.UNRELIABLE: 0, Finding.Kind.INCOMPLETE: 0}
    for kind in reverification.findings.filter(withdrawn_at__isnull=True).values_list(
        "kind", flat=True
    ):
        counts[kind] += 1
    return deduction_of(
        edition=reverification.cycle.edition, kind=_body_kind(reverification.body),
        unreliable=counts[Finding.Kind.UNRELIABLE], incomplete=counts[Finding.Kind.INCOMPLETE],
    )


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


def _weights(method: RiskMethod) -> dict[str, Decimal]:
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
        return self.reverification is not None and self.reverification.state != S.CANCELLED

    @property
    def cancellable(self) -> bool:
        return self.reverification is not None and self.reverification.state in (
            S.SELECTED, S.DOCUMENTS_REQUESTED, S.DOCUMENTS_RECEIVED)


def risk_ranking(
    *, cycle: Cycle, evaluator: Organisation, direction: str, method: RiskMethod | None = None,
    bodies: list[Organisation] | None = None,
) -> list[RiskRow]:
    """Every body of the population with its risk score (0..100) and each factor's contribution,
    highest risk first (ties in BIN order); with its re-verification, if any. A constant number
    of queries whatever the number of bodies."""
    direction = _directions_ok(direction)
    method = method or risk_method_for(cycle=cycle, evaluator=evaluator, direction=direction)
    weights = _weights(method)
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
        if rv.state != S.CANCELLED:
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
    if rv.state not in (S.SELECTED, S.DOCUMENTS_REQUESTED, S.DOCUMENTS_RECEIVED):
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
    seed: str | None = None, reason: str = "",
) -> RiskSample:
    """Draw ``size`` bodies at random (default: the method's sample size) among the population
    not selected yet, with a recorded seed (given, or a fresh random one), and select them."""
    direction = _directions_ok(direction)
    _require_select(actor, cycle, evaluator, direction)
    method = risk_method_for(cycle=cycle, evaluator=evaluator, direction=direction)
    size = method.sample_size if size is None else size
    if size < 1:
        raise DomainError(_("Размер выборки должен быть не меньше 1."), code="size")
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise DomainError(_("Начальное значение — не длиннее 64 символов."), code="seed")
    taken = set(
        Reverification.objects.filter(cycle=cycle, direction=direction)
        .exclude(state=S.CANCELLED).values_list("body_id", flat=True)
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


# --- Document requests and the body's answers (p.14, p.16) ---------------------------------------


def _classification_refused(classification: str) -> bool:
    return classification in REFUSED_CLASSIFICATIONS


def _document_check(content: bytes, classification: str):
    """The same classification and stamp check as the report's evidence (p.16)."""
    from assessments.submission.services.evidence import document_check

    return document_check(content, classification=classification)


def _stamp_in(text: str) -> str | None:
    from assessments.submission.services.evidence import find_stamp

    return find_stamp(text)


def request_due_on(working_days: int, *, today: date | None = None) -> date:
    """The due date of a request: the ``working_days``-th working day after today."""
    return calendar.add_working_days(today or clock.today(), working_days)


@transaction.atomic
def document_request_create(
    *, actor, reverification: Reverification, document_kind: str, title: str,
    classification: str, report_section: str = "",
    working_days: int = DEFAULT_REQUEST_WORKING_DAYS,
) -> DocumentRequest:
    """Request electronic copies of confirming documents from the body (p.14, p.16), due on the
    ``working_days``-th working day after today (the calendar service).

    A request names a document type whose classification is open: secret and "Для служебного
    пользования" documents are never requested (p.16), nor documents whose title says so.
    """
    rv = _lock(reverification)
    _require_work(actor, rv)
    _require_open(rv)
    if document_kind not in DocumentRequest.DocumentKind.values:
        raise DomainError(_("Выберите вид документа."), code="kind")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Укажите, какие документы запрашиваются."), code="title")
    if classification not in Classification.values:
        raise DomainError(_("Укажите гриф (пометку) документа."), code="classification")
    if _classification_refused(classification):
        raise DomainError(
            _("Документы с грифом секретности или пометкой «Для служебного пользования» не "
              "запрашиваются (п.16)."),
            code="classified",
        )
    stamp = _stamp_in(f"{title} {report_section}")
    if stamp:
        raise DomainError(
            _("Запрос называет документ с пометкой «%(stamp)s»: такие документы не "
              "запрашиваются (п.16).") % {"stamp": stamp},
            code="classified",
        )
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_REQUEST_WORKING_DAYS:
        raise DomainError(
            _("Срок — от 1 до %(n)s рабочих дней.") % {"n": MAX_REQUEST_WORKING_DAYS},
            code="due",
        )
    due_on = request_due_on(working_days)
    deadline = milestone_due(rv.cycle, "reverification", rv.direction)
    if deadline is not None and due_on > deadline:
        raise DomainError(
            _("Срок запроса (%(due)s) позже завершения перепроверки по Графику (%(end)s).")
            % {"due": due_on.strftime("%d.%m.%Y"), "end": deadline.strftime("%d.%m.%Y")},
            code="due",
        )
    request = DocumentRequest.objects.create(
        reverification=rv, document_kind=document_kind, title=title[:500],
        report_section=report_section[:255], classification=classification, due_on=due_on,
        requested_by=actor, requested_at=clock.now(),
    )
    description = _("Запрошены документы: %(title)s, срок %(due)s") % {
        "title": title, "due": due_on.strftime("%d.%m.%Y")}
    if rv.state != S.DOCUMENTS_REQUESTED:
        rv.request_documents(by=actor, description=description)
        rv.save()
    audit_record(actor=actor, obj=rv, action="document_request",
                 changes={"request": (None, f"{request.get_document_kind_display()}: {title}"),
                          "due_on": (None, due_on)})
    notify(
        _body_staff(rv),
        _("Уполномоченный орган запросил подтверждающие документы по перепроверке «%(rv)s» "
          "до %(due)s.") % {"rv": rv, "due": due_on.strftime("%d.%m.%Y")},
        _link(rv),
    )
    return request


def _maybe_received(rv: Reverification, actor) -> None:
    """documents_requested → documents_received once no request is open."""
    if rv.state == S.DOCUMENTS_REQUESTED and not rv.requests.filter(
        state=DocumentRequest.State.OPEN
    ).exists():
        rv.receive_documents(by=actor, description=_("Ответы на все запросы получены"))
        rv.save()
        notify(_assessors(rv), _("Органом представлены документы по перепроверке «%(rv)s».")
               % {"rv": rv}, _link(rv))


@transaction.atomic
def document_request_withdraw(*, actor, request: DocumentRequest, reason: str) -> DocumentRequest:
    request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    rv = _lock(request.reverification)
    _require_work(actor, rv)
    if request.state != DocumentRequest.State.OPEN:
        raise DomainError(_("Отозвать можно только запрос, ожидающий ответа."), code="state")
    if not reason.strip():
        raise DomainError(_("Укажите причину отзыва запроса."), code="reason")
    request.state = DocumentRequest.State.WITHDRAWN
    request.withdrawn_at = clock.now()
    request.withdrawn_reason = reason[:500]
    request.save(update_fields=["state", "withdrawn_at", "withdrawn_reason"])
    audit_record(actor=actor, obj=rv, action="document_request_withdraw",
                 changes={"request": (str(request), None)}, reason=reason)
    _maybe_received(rv, actor)
    notify(_body_staff(rv), _("Запрос «%(r)s» отозван.") % {"r": request}, _link(rv))
    return request


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    from assessments.submission.services.evidence import MAX_EVIDENCE_BYTES

    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        chunks.append(chunk)
        if total > MAX_EVIDENCE_BYTES + 1:
            break
    return b"".join(chunks)


def confirming_document_upload(
    *, actor, request: DocumentRequest, upload, original_name: str, classification: str,
) -> ConfirmingDocument:
    """The body uploads a document in answer to a request. Checked like evidence (p.16): the
    declared classification must be open, the type is read from the content, and a text
    carrying a "ДСП"/secret stamp is refused; a refusal is logged with its reason. The first
    upload answers the request; when no request is left open, the documents are received."""
    from assessments.submission.services.evidence import DocumentRefused

    rv = request.reverification
    access.require(actor, "respond", rv)
    content = _read(upload)
    try:
        checked = _document_check(content, classification)
    except DocumentRefused as refusal:
        with transaction.atomic():
            audit_record(actor=actor, obj=rv, action="confirming_document_refused",
                         changes={"file": (None, original_name[:255])}, reason=refusal.message)
        raise
    with transaction.atomic():
        request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        rv = _lock(request.reverification)
        access.require(actor, "respond", rv)
        if request.state == DocumentRequest.State.WITHDRAWN:
            raise DomainError(_("Запрос отозван: документы по нему не принимаются."),
                              code="state")
        if not rv.is_open:
            raise DomainError(_("Перепроверка завершена: документы не принимаются."),
                              code="state")
        document = ConfirmingDocument(
            request=request, original_name=original_name[:255], file_type=checked.file_type,
            size=checked.size, sha256=checked.sha256, classification=classification,
            uploaded_by=actor, uploaded_at=clock.now(),
        )
        name = document.file.field.upload_to(document, original_name)
        storage = document.file.storage
        if storage.exists(name):
            document.file.name = name  # the same bytes are stored already: never rewrite them
        else:
            document.file.save(name, ContentFile(checked.content), save=False)
        document.save()
        if request.state == DocumentRequest.State.OPEN:
            request.state = DocumentRequest.State.ANSWERED
            request.answered_at = document.uploaded_at
            request.save(update_fields=["state", "answered_at"])
        audit_record(actor=actor, obj=rv, action="confirming_document_upload",
                     changes={"document": (None, f"{original_name[:120]} "
                                                 f"{checked.sha256[:12]}")})
        _maybe_received(rv, actor)
        return document


@transaction.atomic
def system_check_record(
    *, actor, reverification: Reverification, system: str, subject: str, result: str,
    checked_on: date | None = None, note: str = "",
) -> SystemCheck:
    """Record a fact checked by viewing an information system (p.14)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    _require_open(rv)
    if not system.strip() or not subject.strip():
        raise DomainError(_("Укажите информационную систему и что проверено."), code="required")
    if result not in SystemCheck.Result.values:
        raise DomainError(_("Укажите результат просмотра."), code="result")
    checked_on = checked_on or clock.today()
    if checked_on > clock.today():
        raise DomainError(_("Дата просмотра не может быть в будущем."), code="date")
    check = SystemCheck.objects.create(
        reverification=rv, system=system.strip()[:255], subject=subject.strip()[:500],
        result=result, note=note, checked_on=checked_on, recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit_record(actor=actor, obj=rv, action="system_check",
                 changes={"system_check": (None, f"{check.system}: {check.subject} — "
                                                 f"{check.get_result_display()}")})
    return check


# --- Findings (p.17–20) --------------------------------------------------------------------------


class InvalidFinding(DomainError):
    """``errors = {field: message}``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Исправьте ошибки в выделенных полях."), code="invalid")
        self.errors = errors


def _finding_errors(rv: Reverification, *, kind, description, report_section, origin, source_url,
                    document, system_check) -> dict[str, str]:
    errors = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = _("Выберите вид факта.")
    if not (description or "").strip():
        errors["description"] = _("Опишите факт.")
    if not (report_section or "").strip():
        errors["report_section"] = _("Укажите раздел отчётной информации, которого касается "
                                     "факт.")
    if origin not in Finding.Origin.values:
        errors["origin"] = _("Укажите, где представлена информация.")
    elif origin == Finding.Origin.PUBLISHED and not (source_url or "").strip():
        errors["source_url"] = _("Для размещённой органом информации укажите ссылку (п.17).")
    if document is not None and document.request.reverification_id != rv.pk:
        errors["document"] = _("Документ относится к другой перепроверке.")
    if system_check is not None and system_check.reverification_id != rv.pk:
        errors["system_check"] = _("Просмотр относится к другой перепроверке.")
    return errors


@transaction.atomic
def finding_record(
    *, actor, reverification: Reverification, kind: str, description: str, report_section: str,
    origin: str = Finding.Origin.SUBMITTED, source_url: str = "",
    document: ConfirmingDocument | None = None, system_check: SystemCheck | None = None,
) -> Finding:
    """Record one fact: untrue information (0.2 points) or a missing annex, section or table of
    the report (2 points), in what the body submitted or published (p.17–20)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    _require_open(rv)
    errors = _finding_errors(rv, kind=kind, description=description,
                             report_section=report_section, origin=origin,
                             source_url=source_url, document=document, system_check=system_check)
    if errors:
        raise InvalidFinding(errors)
    now = clock.now()
    finding = Finding.objects.create(
        reverification=rv, kind=kind, description=description.strip(),
        report_section=report_section.strip()[:255], origin=origin,
        source_url=(source_url or "").strip()[:500], document=document,
        system_check=system_check, points=fact_points(rv.cycle.edition)[kind],
        recorded_by=actor, recorded_at=now, updated_at=now,
    )
    audit_record(actor=actor, obj=rv, action="finding_record",
                 changes={f"finding.{finding.pk}": (None, f"{finding.get_kind_display()}: "
                                                          f"{finding.description[:200]}")})
    return finding


@transaction.atomic
def finding_update(
    *, actor, finding: Finding, revision: int, kind: str, description: str, report_section: str,
    origin: str = Finding.Origin.SUBMITTED, source_url: str = "",
) -> Finding:
    """Change a finding; ``revision`` is the one the editor read (a concurrent change is
    reported, never overwritten)."""
    rv = _lock(finding.reverification)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _require_work(actor, rv)
    _require_open(rv)
    if finding.withdrawn_at is not None:
        raise DomainError(_("Факт исключён и не изменяется."), code="state")
    if finding.revision != revision:
        raise EditConflict(
            _("Факт уже изменил другой пользователь: обновите страницу. Ваши изменения не "
              "сохранены.")
        )
    errors = _finding_errors(rv, kind=kind, description=description,
                             report_section=report_section, origin=origin,
                             source_url=source_url, document=None, system_check=None)
    if errors:
        raise InvalidFinding(errors)
    before = {"kind": finding.kind, "description": finding.description,
              "report_section": finding.report_section, "origin": finding.origin,
              "source_url": finding.source_url}
    finding.kind = kind
    finding.description = description.strip()
    finding.report_section = report_section.strip()[:255]
    finding.origin = origin
    finding.source_url = (source_url or "").strip()[:500]
    finding.points = fact_points(rv.cycle.edition)[kind]
    finding.revision += 1
    finding.updated_at = clock.now()
    finding.save()
    changes = {f"finding.{finding.pk}.{k}": (v, getattr(finding, k))
               for k, v in before.items() if v != getattr(finding, k)}
    audit_record(actor=actor, obj=rv, action="finding_update", changes=changes)
    return finding


@transaction.atomic
def finding_withdraw(*, actor, finding: Finding, reason: str) -> Finding:
    """Exclude a finding (kept, marked withdrawn with the reason)."""
    rv = _lock(finding.reverification)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _require_work(actor, rv)
    _require_open(rv)
    if not reason.strip():
        raise DomainError(_("Укажите причину исключения факта."), code="reason")
    if finding.withdrawn_at is not None:
        return finding
    finding.withdrawn_at = clock.now()
    finding.withdrawn_by = actor
    finding.withdrawn_reason = reason[:500]
    finding.revision += 1
    finding.save()
    audit_record(actor=actor, obj=rv, action="finding_withdraw",
                 changes={f"finding.{finding.pk}": (finding.description[:200], None)},
                 reason=reason)
    return finding


@transaction.atomic
def findings_complete(*, actor, reverification: Reverification, note: str = "") -> Reverification:
    """The assessor has recorded every fact (possibly none): → findings_recorded. Refused while a
    request is still open (withdraw it or wait for the answer)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    if rv.state == S.FINDINGS_RECORDED:
        return rv
    if rv.state not in (S.SELECTED, S.DOCUMENTS_REQUESTED, S.DOCUMENTS_RECEIVED):
        _require_open(rv)
        raise DomainError(_("Перепроверка не в том состоянии."), code="state")
    if rv.requests.filter(state=DocumentRequest.State.OPEN).exists():
        raise DomainError(
            _("Есть запросы без ответа: дождитесь документов или отзовите запрос."),
            code="open_requests",
        )
    deduction = reverification_deduction(rv)
    rv.record_findings(
        by=actor,
        description=note or _("Зафиксировано фактов: недостоверных %(u)s, неполноты %(i)s")
        % {"u": deduction.unreliable, "i": deduction.incomplete},
    )
    rv.save()
    return rv


# --- The act (annex 1) ---------------------------------------------------------------------------


def current_act(reverification: Reverification) -> ReconciliationAct | None:
    return (
        reverification.acts.filter(superseded_at__isnull=True)
        .select_related("signed_document", "rendered_document")
        .order_by("-version")
        .first()
    )


def _fact_rows(findings: Iterable[Finding]) -> list[dict]:
    return [
        {
            "number": number,
            "finding": f.pk,
            "kind": f.kind,
            "description": f.description,
            "section": f.report_section,
            "origin": f.origin,
            "source_url": f.source_url,
            "points": str(f.points),
        }
        for number, f in enumerate(findings, start=1)
    ]


def _signatories():
    from reporting.signing.blocks import SIGNATURE_BLOCKS
    from reporting.signing.roles import Signatory

    (_r1, evaluator_position), (_r2, body_position) = SIGNATURE_BLOCKS[1]
    return [
        Signatory(role=EVALUATOR_SLOT_ROLE, position=evaluator_position),
        Signatory(role=BODY_SLOT_ROLE, position=body_position),
    ]


@transaction.atomic
def reconciliation_act_issue(*, actor, reverification: Reverification) -> ReconciliationAct:
    """Generate the act (annex 1) from the findings: numbered facts, points per fact, the total
    deduction; render it to PDF (the reporting service) and freeze it for signing by a
    representative of the evaluating body, then one of the body (p.19, annex 1)."""
    from reporting.services import document_request as render_request
    from reporting.signing.services import signed_document_freeze

    rv = _lock(reverification)
    _require_work(actor, rv)
    if rv.state != S.FINDINGS_RECORDED:
        raise DomainError(_("Сначала зафиксируйте факты перепроверки."), code="state")
    findings = list(rv.findings.filter(withdrawn_at__isnull=True).order_by("recorded_at", "pk"))
    deduction = reverification_deduction(rv)
    previous = rv.acts.order_by("-version").first()
    version = (previous.version + 1) if previous else 1
    now = clock.now()
    act = ReconciliationAct.objects.create(
        reverification=rv, version=version, facts=_fact_rows(findings),
        unreliable_facts=deduction.unreliable, incomplete_facts=deduction.incomplete,
        points_sum=deduction.sum, deduction=deduction.value, issued_by=actor, issued_at=now,
    )
    rendered = render_request(kind=ACT_DOCUMENT_KIND, subject=act, version=version,
                              requested_by=actor, render_now=True)
    signed = signed_document_freeze(
        rendered_document=rendered, signatories=_signatories(),
        title=str(_("Акт сверки: %(body)s, %(direction)s")
                  % {"body": rv.body.name_ru, "direction": rv.get_direction_display()}),
        created_by=actor,
    )
    act.rendered_document = rendered
    act.signed_document = signed
    act.save(update_fields=["rendered_document", "signed_document"])
    rv.issue_act(
        by=actor,
        description=_("Акт сверки, версия %(v)s: вычет %(d)s") % {"v": version,
                                                                  "d": deduction.value},
    )
    rv.save()
    link = reverse("reverification:reverification_act", args=[act.pk])
    notify(_assessors(rv) + _body_heads(rv),
           _("Акт сверки по перепроверке «%(rv)s» сформирован и ожидает подписей.") % {"rv": rv},
           link)
    return act


@dataclass
class ActSigningStatus:
    """Where the act stands for the page: each slot with its signature and its check."""

    act: ReconciliationAct
    slots: list = field(default_factory=list)
    report: object = None
    turn: object = None


def act_signing_status(act: ReconciliationAct, user=None, *, verify: bool = True):
    """The act's signature slots (each with its signature, if any), the verification of the
    stored file now, and the user's turn."""
    from reporting.signing.services import signed_document_verify, signing_turn

    document = act.signed_document
    slots = list(document.slots.select_related("user", "signature").order_by("order"))
    report = signed_document_verify(document) if verify else None
    turn = signing_turn(signed_document=document, user=user) if user is not None else None
    return ActSigningStatus(act=act, slots=slots, report=report, turn=turn)


def _write_penalties(rv: Reverification, act: ReconciliationAct, actor) -> None:
    """The signed act's fact counts enter the body's scoring input (p.20; the engine caps)."""
    from assessments.scores.services.scoring_inputs import scoring_input_set

    base = f"penalties.{rv.direction}"
    label = str(_("Акт сверки, версия %(v)s") % {"v": act.version})
    source = {"kind": "finding", "ref": str(act.pk), "label": label}
    scoring_input_set(
        cycle=rv.cycle, body=rv.body,
        values={f"{base}.unreliable_facts": act.unreliable_facts,
                f"{base}.incomplete_facts": act.incomplete_facts},
        sources={f"{base}.unreliable_facts": source, f"{base}.incomplete_facts": source},
        actor=actor,
        reason=str(_("Перепроверка: %(label)s подписан сторонами") % {"label": label}),
    )


@transaction.atomic
def reconciliation_act_sign(
    *, actor, act: ReconciliationAct, passphrase: str, remarks: str = "",
):
    """Sign the act in the signing service: the evaluating body's representative first, then
    the body's head (annex 1; whose turn it is, and why not, is the signing service's to say).
    The body may sign with remarks: they go into its PAdES signature (the reason, covered by that
    signature) and onto the act's page. What follows each signature — the act standing once both
    signed — is :func:`reconciliation_act_signature_recorded`, which the signing service calls
    however the act was signed."""
    from reporting.models import SignedDocument
    from reporting.signing.services import signed_document_sign

    # Lock order of every signing path: the document, then the act, then the re-verification.
    document_id = ReconciliationAct.objects.values_list("signed_document_id", flat=True).get(
        pk=act.pk)
    SignedDocument.objects.select_for_update().filter(pk=document_id).exists()
    act = ReconciliationAct.objects.select_for_update().get(pk=act.pk)
    rv = _lock(act.reverification)
    if act.superseded_at is not None:
        raise DomainError(_("Эта версия акта заменена новой и не подписывается."), code="state")
    if rv.state != S.ACT_ISSUED:
        raise DomainError(_("Акт не ожидает подписей."), code="state")
    if not access.can(actor, "view", act):
        raise PermissionDenied
    remarks = (remarks or "").strip()
    slot = act.signed_document.slots.filter(signature__isnull=True).order_by("order").first()
    if remarks and not (slot is not None and slot.role == BODY_SLOT_ROLE):
        raise DomainError(_("Замечания к акту вносит оцениваемый орган при подписании."),
                          code="remarks")
    if remarks:
        act.body_remarks = remarks
        act.save(update_fields=["body_remarks"])
        reason = str(_("Подписано с замечаниями: %(remarks)s") % {"remarks": remarks})[:1000]
    else:
        reason = str(_("Акт сверки подписан"))
    return signed_document_sign(
        signed_document=act.signed_document, user=actor, passphrase=passphrase, reason=reason,
    )


def reconciliation_act_signature_recorded(signed_document, signature, *, complete: bool) -> None:
    """After each signature of an act (the signing service's hook, inside its transaction):
    log it and tell the next signatory; after the last one the act stands — the re-verification
    moves to ``act_signed`` and the act's fact counts enter the body's scoring input, and so its
    stored scores (p.20). A superseded act is refused (raising undoes the signature)."""
    from reporting.signing.errors import SigningRefused

    act = (
        ReconciliationAct.objects.select_for_update()
        .filter(signed_document_id=signed_document.pk)
        .first()
    )
    if act is None:
        return
    rv = _lock(act.reverification)
    if act.superseded_at is not None or rv.state != S.ACT_ISSUED:
        raise SigningRefused(_("Эта версия акта сверки заменена новой или не ожидает подписей."))
    signer = signature.signer
    by_body = signature.slot.role == BODY_SLOT_ROLE
    audit_record(actor=signer, obj=rv, action="act_sign",
                 changes={f"act.{act.version}": (None, signature.printed_name)},
                 reason=act.body_remarks if by_body else "")
    link = reverse("reverification:reverification_act", args=[act.pk])
    if not complete:
        notify(_body_heads(rv),
               _("Акт сверки по перепроверке «%(rv)s» подписан уполномоченным органом и ожидает "
                 "подписи органа.") % {"rv": rv},
               link)
        return
    act.signed_at = signature.signed_at
    act.save(update_fields=["signed_at"])
    rv.unreliable_facts, rv.incomplete_facts = act.unreliable_facts, act.incomplete_facts
    rv.deduction = act.deduction
    rv.record_act_signed(
        by=signer,
        description=_("Акт сверки, версия %(v)s, подписан сторонами") % {"v": act.version},
    )
    rv.save()
    _write_penalties(rv, act, signer)
    notify(_assessors(rv) + _body_staff(rv),
           _("Акт сверки по перепроверке «%(rv)s» подписан обеими сторонами.") % {"rv": rv},
           link)


@transaction.atomic
def reverification_close(
    *, actor, reverification: Reverification, note: str = ""
) -> Reverification:
    rv = _lock(reverification)
    _require_work(actor, rv)
    if rv.state != S.ACT_SIGNED:
        raise DomainError(_("Завершить можно после подписания акта обеими сторонами."),
                          code="state")
    rv.close(by=actor, description=note or _("Перепроверка завершена"))
    rv.save()
    return rv


@transaction.atomic
def reverification_reopen(*, actor, reverification: Reverification, reason: str) -> Reverification:
    """Reopen the findings after the act was issued or signed: the act stays as it is (a signed
    version is never changed) and is marked superseded; the next act is a new version. Until the
    new act is signed, the body's scoring input keeps the last signed act's facts."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    if not reason.strip():
        raise DomainError(_("Укажите причину изменения акта."), code="reason")
    if rv.state not in (S.ACT_ISSUED, S.ACT_SIGNED, S.CLOSED):
        raise DomainError(_("Акт ещё не сформирован: факты можно менять и так."), code="state")
    act = current_act(rv)
    if act is not None:
        act.superseded_at = clock.now()
        act.superseded_reason = reason[:500]
        act.save(update_fields=["superseded_at", "superseded_reason"])
    rv.reopen(by=actor, description=reason)
    rv.save()
    audit_record(actor=actor, obj=rv, action="act_supersede",
                 changes={"act": (act.version if act else None, None)}, reason=reason)
    notify(_body_heads(rv),
           _("Акт сверки по перепроверке «%(rv)s» будет заменён новой версией: %(reason)s")
           % {"rv": rv, "reason": reason}, _link(rv))
    return rv


# --- Reads ---------------------------------------------------------------------------------------


def findings_for(*, cycle: Cycle, body: Organisation, direction: str) -> list[Finding]:
    """The findings of the body's signed reconciliation act on ``direction`` in ``cycle`` — what
    the conclusion's "Выводы и рекомендации" are prefilled with (p.21). Empty when the body was not
    re-verified on it or no act is signed yet; the latest signed version counts."""
    act = (
        ReconciliationAct.objects.filter(
            reverification__cycle=cycle, reverification__body=body,
            reverification__direction=direction, signed_at__isnull=False,
        )
        .order_by("-version")
        .first()
    )
    if act is None:
        return []
    ids = [row["finding"] for row in act.facts]
    by_id = Finding.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


__all__ = [
    "ACT_DOCUMENT_KIND",
    "RISK_FACTORS",
    "ActSigningStatus",
    "Deduction",
    "EditConflict",
    "InvalidFinding",
    "InvalidWeights",
    "RiskRow",
    "act_signing_status",
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
    "reconciliation_act_issue",
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
    "system_check_record",
]
