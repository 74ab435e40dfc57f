"""The overview's scene: the registry's bodies with reports, conclusions and score sheets in two
cycles, made straight in the tables (the pages only read them)."""

from __future__ import annotations

from decimal import Decimal

from assessments.kernel import clock
from assessments.models import Conclusion, Cycle, Milestone, Report, ScoreSheet, ScoringInput
from tests.worlds.scores import case_for, make_body

BAND_OF = [(Decimal("90"), "high"), (Decimal("70"), "medium"), (Decimal("50"), "low"),
           (Decimal("0"), "ineffective")]


def band(final: Decimal) -> str:
    return next(b for edge, b in BAND_OF if final >= edge)


def sheet(cycle: Cycle, body, direction: str, final) -> ScoreSheet:
    final = Decimal(str(final))
    si = ScoringInput.objects.filter(cycle=cycle, body=body).first()
    if si is None:
        si = ScoringInput.objects.create(cycle=cycle, body=body, version=1, case=case_for(body),
                                         created_at=clock.now())
    values = ({"overall": f"{final:.2f}", "band": band(final)} if direction == "overall"
              else {"K1": f"{final / 2:.2f}", "total": f"{final:.2f}", "final": f"{final:.2f}"})
    return ScoreSheet.objects.create(
        cycle=cycle, body=body, direction=direction, scoring_input=si, values=values,
        final=final, band=band(final), digest=f"{body.pk}-{direction}-{final}",
        computed_at=clock.now())


def conclusion(cycle: Cycle, body, direction: str, state: str, *, evaluator, version: int = 1,
               **extra) -> Conclusion:
    now = clock.now()
    return Conclusion.objects.create(
        cycle=cycle, body=body, direction=direction, version=version, state=state,
        annex={"services": 3, "openness": 8, "complaints": 12, "block": 15}[direction],
        evaluator=evaluator, values={}, created_at=now, updated_at=now, **extra)


def report(cycle: Cycle, body, direction: str, state: str, **extra) -> Report:
    return Report.objects.create(cycle=cycle, body=body, direction=direction, state=state,
                                 **extra)


def milestones(cycle: Cycle, **dates) -> None:
    for code, due in dates.items():
        Milestone.objects.create(cycle=cycle, code=code, name_ru=code, name_kk=code, due_on=due)


def more_bodies(n: int, kind: str = "local", prefix: str = "Акимат") -> list:
    return [make_body(f"{prefix} {i:04d}", kind=kind) for i in range(n)]
