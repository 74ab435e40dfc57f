"""The re-verification's facts and the incompleteness facts recorded at submission share one
deduction per direction (p.17–20): 0.2 per untrue fact, 2 per missing element, at most 5; an
element the act names as missing and the submission already counted is counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.reverification.services import (
    findings_complete,
    reconciliation_act_issue,
    reconciliation_act_sign,
)
from assessments.scores.services.assembly import penalty_facts
from assessments.scores.services.scoring_inputs import (
    scoring_input_current,
    scoring_input_load_case,
)
from assessments.scores.services.sheets import score_body
from assessments.submission.services.reports import report_get_or_create, report_submit
from tests.worlds.reverification import PASSPHRASE, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """The assembly a recorded fact queues runs in this process."""

EXAMPLE = Path(__file__).resolve().parents[1] / "scoring" / "example_case.json"
SERVICES_TABLE = "Данные по видам государственных услуг"


def test_act_and_submission_facts_under_one_cap_the_same_element_once(
        personas, cycle2025, credentials, selected, when, django_capture_on_commit_callbacks):
    p, r = personas, personas.registry
    case = json.loads(EXAMPLE.read_text())
    case["penalties"] = {}
    scoring_input_load_case(cycle=cycle2025, body=r.ministry, case=case, actor=None,
                            reason="test")
    score_body(cycle=cycle2025, body=r.ministry)
    # the body submits its services report without its services table (confirmed): one fact
    report = report_get_or_create(cycle=cycle2025, body=r.ministry, direction="services")
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=p.head, report=report, confirm_missing=True)
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 0, "incomplete_facts": 1}
    # the act: one untrue fact, and the same missing table again — counted once
    record(selected, p.assessor, "unreliable", 1, section="Таблица T1")
    record(selected, p.assessor, "incomplete", 1, section=SERVICES_TABLE)
    findings_complete(actor=p.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=p.assessor, reverification=selected)
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    counts = penalty_facts(cycle=cycle2025, body=r.ministry)["services"]
    assert (counts["unreliable"], counts["incomplete"], counts["act"]) == (1, 1, (1, 1))
    assert counts["facts"] == []  # the act's own fact names the element: not twice
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 1, "incomplete_facts": 1}
    assert si.sources["penalties.services.incomplete_facts"]["ref"] == str(act.pk)
    sheets = score_body(cycle=cycle2025, body=r.ministry)
    assert sheets["services"].values["penalty"] == "2.20"


def test_facts_beyond_five_points_are_capped(
        personas, cycle2025, credentials, selected, when, django_capture_on_commit_callbacks):
    p, r = personas, personas.registry
    case = json.loads(EXAMPLE.read_text())
    case["penalties"] = {}
    scoring_input_load_case(cycle=cycle2025, body=r.ministry, case=case, actor=None,
                            reason="test")
    report = report_get_or_create(cycle=cycle2025, body=r.ministry, direction="services")
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=p.head, report=report, confirm_missing=True)
    record(selected, p.assessor, "unreliable", 3, section="Таблица T1")
    record(selected, p.assessor, "incomplete", 2, section="Таблица T2")
    findings_complete(actor=p.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=p.assessor, reverification=selected)
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    # 3 untrue (0.6) + 2 missing from the act + 1 from the submission (6) = 6.6 → 5
    assert si.case["penalties"]["services"] == {"unreliable_facts": 3, "incomplete_facts": 3}
    sheets = score_body(cycle=cycle2025, body=r.ministry)
    assert sheets["services"].values["penalty"] == "5.00"
    assert sheets["services"].values["final"] == format(
        max(0, float(sheets["services"].values["total"]) - 5), ".2f")
