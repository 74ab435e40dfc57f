"""From the body's accepted reports to its score sheets, at the service level: the akimat's
three reports accepted, the evaluators' imports applied, MIOD's assessors' openness scores set
→ the scoring input assembled (with the source of each number) → recomputed → score sheets
whose numbers the test checks by hand and against the engine run on the assembled case."""

from decimal import Decimal

import pytest

from assessments.models import ImportBatch, OpennessScore, Report, ScoreSheet
from assessments.scores.services.assembly import case_from_values, scoring_values
from assessments.scores.services.scoring_inputs import scoring_input_current
from assessments.scores.services.sheets import score_body
from assessments.scoring import load_edition, score_case_dict
from assessments.submission.services.openness import indicator_rows, openness_score_set
from tests.worlds.samples import MONITORING_HEADER
from tests.worlds.submission_steps import accept, load

# As in tests/assessments/submission/: queued tasks run in this process, the default language
# active again after each test.
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("tasks_in_process", "default_language_after")]


def test_accepted_reports_imports_and_scores_become_score_sheets(
        clock, assigned, cycle, schedule, services_register,
        django_capture_on_commit_callbacks):
    p, r = assigned, assigned.registry
    body, cap = r.akimat, django_capture_on_commit_callbacks
    services_rows = [
        {"service": "00101001", "basis": "own_records", "rendered": 900, "late": 50,
         "unjustified_refusals": 50, "incomplete_package": 0, "extra_documents": 0,
         "justified_complaints": 1},  # "Мониторинг" gives this service's numbers
        {"service": "00601006", "basis": "own_records", "rendered": 1000, "late": 2,
         "unjustified_refusals": 0, "incomplete_package": 1, "extra_documents": 0,
         "justified_complaints": 0},  # not connected: the body's own numbers
    ]
    with cap(execute=True):
        accept(p, cycle, body, "services", p.local_head, p.assessor,
               override={"services": {"rows": services_rows}})
        accept(p, cycle, body, "openness", p.local_head, p.assessor_other_direction)
        accept(p, cycle, body, "complaints", p.local_head, p.committee_assessor)
    bin_ = body.bin
    load(p.assessor, cycle, "monitoring", [
        MONITORING_HEADER,
        [bin_, "00101001", "2025-02-01", 4000, 3, 1, 0, 0],
        [bin_, "00101001", "2025-03-01", 5000, 1, 0, 0, 1]], cap)
    load(p.assessor, cycle, "satisfaction", [
        ["bin", "service_code", "level"], [bin_, "00101001", "4.5"], [bin_, "00601006", "4"]], cap)
    load(p.assessor_other_direction, cycle, "media_survey",
         [["bin", "media_satisfied_percent"], [bin_, "80"]], cap)
    load(p.assessor_other_direction, cycle, "population_survey",
         [["bin", "population_satisfied_percent"], [bin_, "70"]], cap)
    # MIOD's assessor scores every indicator, full marks in both columns
    with cap(execute=True):
        for row in indicator_rows(cycle, body):
            if not row.computed:
                for column in ("kk", "ru"):
                    openness_score_set(actor=p.assessor_other_direction, cycle=cycle,
                                       body=body, criterion=row.criterion,
                                       indicator=row.indicator, column=column,
                                       value=row.maximum)
    # --- the scoring input: complete, each number with its source
    si = scoring_input_current(cycle=cycle, body=body)
    assert si is not None and si.draft == {}
    case, sources = si.case, si.sources
    monitoring = ImportBatch.objects.get(kind="monitoring")
    services_report = Report.objects.get(body=body, direction="services")
    complaints_report = Report.objects.get(body=body, direction="complaints")
    assert case["services"]["rendered"] == 4000 + 5000 + 1000  # Мониторинг + the body's own
    assert case["services"]["late"] == 3 + 1 + 2
    assert sources["services.late"]["kind"] == "import"
    assert sources["services.late"]["ref"] == (
        f"report:{services_report.pk}#services; import:{monitoring.pk}")
    assert sources["services.rendered"] == {
        "kind": "import", "ref": f"report:{services_report.pk}#services; import:{monitoring.pk}",
        "label": "00101001: Мониторинг; 00601006: отчёт органа"}
    satisfaction = ImportBatch.objects.get(kind="satisfaction")
    assert sources["services.satisfaction_levels"]["ref"] == f"import:{satisfaction.pk}"
    assert sources["services.late"]["label"] == "00101001: Мониторинг; 00601006: отчёт органа"
    assert case["services"]["satisfaction_levels"] == ["4.5", "4"]
    assert case["complaints"]["received"] == 5000
    assert sources["complaints.received"] == {
        "kind": "report", "ref": f"report:{complaints_report.pk}#complaints",
        "label": "ИС «Единый учёт обращений», форма 1-ОЛ (п.9)"}
    assert sources["services.justified_complaints"]["ref"] == (
        f"report:{services_report.pk}#services")
    assert case["openness"]["open_data"]["scores"]["published"] == {"kk": "2.50", "ru": "2.50"}
    score = OpennessScore.objects.get(body=body, criterion="open_data", indicator="published",
                                      column="kk")
    assert sources["openness.open_data.scores.published.kk"]["kind"] == "assessor"
    assert sources["openness.open_data.scores.published.kk"]["ref"] in (score.pk, str(score.pk))
    survey = ImportBatch.objects.get(kind="media_survey")
    assert case["openness"]["media"]["media_satisfied_percent"] == "80"
    assert sources["openness.media.media_satisfied_percent"]["ref"] == f"import:{survey.pk}"

    # --- the recompute (queued when the input changed) stored the sheets of this version
    sheets = {s.direction: s for s in ScoreSheet.objects.filter(cycle=cycle, body=body,
                                                                is_current=True)}
    assert set(sheets) == {"services", "openness", "complaints", "overall"}
    assert all(s.scoring_input_id == si.pk for s in sheets.values())
    services = sheets["services"].values
    # by hand (a local body, edition 2023: T1 k=14, T2 k=18, T3 k=14, T4 k=14, P2 k=20, all
    # per 10 000 rendered; p.41–44, p.32–33), 10 000 services rendered:
    assert services["T1"] == "8.00"    # 14 − 6 late
    assert services["T2"] == "17.00"   # 18 − 1 unjustified refusal (Мониторинг)
    assert services["T3"] == "13.00"   # 14 − 1 incomplete package (the body's own service)
    assert services["T4"] == "13.00"   # 14 − 1 extra documents (Мониторинг)
    assert services["P2"] == "19.00"   # 20 − 1 justified complaint
    assert services["P1"] == "8.00"    # satisfaction (4.5 + 4) / 2 = 4.25: band from 4.20 → 8
    assert services["final"] == "78.00"  # (8 + 19) + (8 + 17 + 13 + 13)
    openness = sheets["openness"].values
    # every indicator at its maximum in both columns: each criterion at its cap of 18
    assert [openness[c] for c in ("P1", "P2", "P3", "P5")] == ["18.00"] * 4
    # the engine, run here on what the accepted data assemble to, agrees with every sheet
    edition = load_edition(cycle.edition)
    assert edition.raw["services"]["local"]["T1"]["k"] == "14"
    expected = score_case_dict(case_from_values(scoring_values(cycle=cycle, body=body).values,
                                                body=body, edition=cycle.edition))
    for direction in ("services", "openness", "complaints"):
        stored = sheets[direction].values
        assert stored == {k: v for k, v in expected[direction].items() if k in stored}
        assert {"total", "final"} <= set(stored), direction
        assert sheets[direction].final == Decimal(expected[direction]["final"])
    assert sheets["overall"].final == Decimal(expected["overall"])
    assert sheets["overall"].band == expected["band"]
    # recomputing again changes nothing
    again = score_body(cycle=cycle, body=body)
    assert {d: s.pk for d, s in again.items()} == {d: s.pk for d, s in sheets.items()}
