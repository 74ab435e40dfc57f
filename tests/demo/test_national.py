"""The national data generator (demo/national.py, ``manage.py generate_national_data``): the
registry's structure, two cycles whose sheets are the engine's, reports and conclusions at their
stages, "Мониторинг" rows; idempotent, and replaced when its parameters change."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from assessments.kernel.evaluators import RuleTable, chain, reference_day
from assessments.models import (
    Conclusion,
    Cycle,
    ImportRecord,
    Organisation,
    PublicService,
    Report,
    ScoreSheet,
)
from assessments.scores.services.sheets import sheets_from_result
from assessments.scoring import score_case_dict
from demo.national import CYCLE_PREFIX, generated_bodies_q

BODIES = 250


@pytest.fixture
def world(db):
    call_command("generate_national_data", bodies=BODIES, services=40, monitoring_rows=3000,
                 seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_world(world):
    _structure()
    _cycles_sheets_reports_conclusions()
    _monitoring_rows()


def _structure():
    evaluated = Organisation.objects.filter(is_evaluated=True, kind__in=["central", "local"])
    assert evaluated.count() == BODIES
    generated = Organisation.objects.filter(generated_bodies_q())
    kinds = Counter(generated.filter(is_evaluated=True).values_list("kind", flat=True))
    assert kinds["central"] >= 15 and kinds["local"] >= 150
    # central bodies of each type, each with a committee and a territorial unit not evaluated
    assert set(generated.filter(is_evaluated=True, kind="central")
               .values_list("central_type", flat=True)) == {"ministry", "agency", "other_body"}
    for sub in ("committee", "territorial"):
        units = generated.filter(central_type=sub)
        assert units.count() == kinds["central"]
        assert not units.filter(is_evaluated=True).exists()
        assert not units.filter(parent=None).exists()
    # local bodies of every level below the regions' akimats, in every region
    levels = Counter(generated.filter(kind="local").values_list("level", flat=True))
    assert set(levels) == {"district", "oblast_city", "city_district", "town", "settlement",
                           "village", "rural_okrug"}
    assert levels["rural_okrug"] > levels["district"]
    assert generated.filter(kind="local").values("region").distinct().count() == 20
    for body in generated.filter(level__in=["rural_okrug", "village", "town", "settlement"]):
        assert body.parent.level == "district" and body.parent.region_id == body.region_id
    for body in generated.filter(level__in=["district", "oblast_city", "city_district"]):
        assert body.parent.level in ("oblast", "capital", "republican_city")
    # the evaluating bodies of the real registry are there
    roles = set(Organisation.objects.exclude(evaluator_role="")
                .values_list("evaluator_role", flat=True))
    assert {"agency", "digital_ministry", "information_ministry", "legal_statistics",
            "presidential_administration", "prime_minister_office"} <= roles
    assert PublicService.objects.filter(code__startswith="7").count() == 40


def _cycles_sheets_reports_conclusions():
    cycles = list(Cycle.objects.filter(code__startswith=CYCLE_PREFIX).order_by("year"))
    assert len(cycles) == 2
    older, current = cycles
    assert current.is_current and not older.is_current and older.year == current.year - 1
    assert current.milestones.exists()
    for cycle in cycles:
        sheets = ScoreSheet.objects.filter(cycle=cycle, is_current=True).select_related(
            "scoring_input")
        assert sheets.count() == 4 * BODIES
        by_input: dict = {}
        for s in sheets:
            by_input.setdefault(s.scoring_input, {})[s.direction] = s
        assert len(by_input) == BODIES
        for si, stored in by_input.items():  # every sheet is the engine's on its input
            expected = sheets_from_result(score_case_dict(si.case))
            assert {d: x.digest for d, x in expected.items()} == {
                d: s.digest for d, s in stored.items()}
    # the older cycle: every report accepted, every conclusion final, a block per body
    assert set(Report.objects.filter(cycle=older).values_list("state", flat=True)) == {
        "accepted"}
    assert set(Conclusion.objects.filter(cycle=older).values_list("state", flat=True)) == {
        "final"}
    assert Conclusion.objects.filter(cycle=older, direction="block").count() == BODIES
    centrals = Organisation.objects.filter(is_evaluated=True, kind="central").count()
    assert Conclusion.objects.filter(cycle=older).count() == 4 * BODIES + centrals
    # the current one in progress: reports and conclusions at many stages
    assert len(set(Report.objects.filter(cycle=current).values_list("state", flat=True))) >= 5
    states = set(Conclusion.objects.filter(cycle=current).values_list("state", flat=True))
    assert {"draft", "issued", "final"} <= states and len(states) >= 6
    # each conclusion issued by the body's evaluator, with its annex and its sheet's values
    rules = RuleTable.load(reference_day(current))
    for c in Conclusion.objects.filter(cycle=current).select_related("body__parent",
                                                                     "score_sheet")[:300]:
        direction = "services" if c.direction == "block" else c.direction
        assert c.evaluator_id == rules.evaluator_id(chain(c.body), direction)
        if c.direction in ("services", "openness", "complaints"):
            assert c.values == c.score_sheet.values and c.score_sheet.is_current


def _monitoring_rows():
    current = Cycle.objects.get(is_current=True)
    rows = ImportRecord.objects.filter(cycle=current, kind="monitoring")
    assert rows.count() == 3000
    assert rows.values("row_key").distinct().count() == 3000
    row = rows.select_related("body", "service").first()
    assert row.row_key == f"{row.body.bin}|{row.service.code}|{row.day.isoformat()}"
    assert row.data["rendered"] >= row.data["late"]
    assert row.batch.state == "applied"


def test_idempotent_and_replaced(world):
    counts = (ScoreSheet.objects.count(), Conclusion.objects.count(), Organisation.objects.count())
    call_command("generate_national_data", bodies=BODIES, services=40, monitoring_rows=3000,
                 seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (ScoreSheet.objects.count(), Conclusion.objects.count(),
                      Organisation.objects.count())
    call_command("generate_national_data", bodies=60, cycles=1, services=40, monitoring_rows=0,
                 seed=8, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Cycle.objects.filter(code__startswith=CYCLE_PREFIX).count() == 1
    assert Organisation.objects.filter(is_evaluated=True,
                                       kind__in=["central", "local"]).count() == 60
    assert ScoreSheet.objects.filter(is_current=True).count() == 4 * 60
    call_command("generate_national_data", remove=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Organisation.objects.filter(generated_bodies_q()).exists()
    assert not Cycle.objects.filter(code__startswith=CYCLE_PREFIX).exists()
