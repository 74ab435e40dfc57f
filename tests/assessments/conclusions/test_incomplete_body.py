"""A body that submits one direction with a table missing and never submits another still
reaches a final conclusion in each direction and its block conclusion, with the deductions of
p.17–20 (2 points per missing element) in its scores and its "Выводы и рекомендации" (p.21)."""

from datetime import date

import pytest
from django.utils import timezone

from assessments.conclusions import services as svc
from assessments.kernel.errors import DomainError
from assessments.models import (
    AssessorAssignment,
    Milestone,
    PublicService,
    ReportSection,
    ScoreSheet,
)
from assessments.scores.services.entered import entered_input_set, missing_inputs
from assessments.scores.services.scoring_inputs import scoring_input_current
from assessments.submission.services.reports import (
    report_accept,
    report_close_not_submitted,
    report_get_or_create,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections
from tests.worlds.conclusion_steps import draft, fresh, issued
from tests.worlds.conclusions import org, person
from tests.worlds.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

COMPLAINTS = {"received": 900, "handled": 850, "handled_late": 9, "redirected_late": 4,
              "court_upheld": 1, "disciplinary_actions": 5, "excused": 0}


def _fill(report, actor, leave_out=()):
    for key, data in sample_sections(report.direction, "local").items():
        if key not in leave_out:
            row = ReportSection.objects.filter(report=report, key=key).first()
            report_section_save(actor=actor, report=report, key=key, data=data,
                                expected_version=row.version if row else 0)


def test_missing_table_and_report_never_submitted_to_final_and_block_conclusions(
        signing_world, clock, django_capture_on_commit_callbacks):
    w = signing_world
    run = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    body = org("Акимат города Конаев", name_kk="Қонаев қаласының әкімдігі", kind="local",
               central_type="", level="oblast")
    head = person("konaev_head", body, "body_head")
    submitter = person("konaev_submitter", body, "body_submitter")
    MilestoneFactory(cycle=w.cycle, code=Milestone.Code.SUBMISSION, due_on=date(2026, 1, 20))
    for assessor, direction in ((w.assessor, "services"), (w.miod_assessor, "openness"),
                                (w.committee_assessor, "complaints")):
        AssessorAssignment.objects.create(cycle=w.cycle, body=body, direction=direction,
                                          assessor=assessor, assigned_at=timezone.now())
    for code, monitored in (("00101001", True), ("00601006", False)):
        PublicService.objects.get_or_create(code=code, defaults={
            "name_ru": code, "name_kk": code, "monitored": monitored})

    clock.set_now("2026-01-14T10:00:00")
    for direction, reviewer, leave_out in (("services", w.assessor, ()),
                                           ("openness", w.miod_assessor, ("t4_open_npa",))):
        report = report_get_or_create(cycle=w.cycle, body=body, direction=direction)
        _fill(report, submitter, leave_out)
        report = report_submit(actor=head, report=report, confirm_missing=bool(leave_out))
        report_start_review(actor=reviewer, report=report)
        with run():
            report_accept(actor=reviewer, report=report)
    # the complaints report never comes: closed after the deadline, its numbers entered
    clock.set_now("2026-01-23T10:00:00")
    complaints = report_get_or_create(cycle=w.cycle, body=body, direction="complaints")
    with run():
        report_close_not_submitted(actor=w.committee_unit_head, report=complaints,
                                   reason="Отчёт не представлен в срок")
    assert {m.path for m in missing_inputs(cycle=w.cycle, body=body)} == {
        f"complaints.{k}" for k in COMPLAINTS}
    with pytest.raises(DomainError) as waiting:  # never from a silent zero
        svc.conclusion_draft(cycle=w.cycle, body=body, direction="complaints",
                             actor=w.committee_assessor)
    assert waiting.value.code == "inputs_missing"
    for name, value in COMPLAINTS.items():
        with run():
            entered_input_set(actor=w.committee_assessor, cycle=w.cycle, body=body,
                              path=f"complaints.{name}", value=value,
                              source="ИС «Единый учёт обращений» (данные Комитета)")

    si = scoring_input_current(cycle=w.cycle, body=body)
    assert si.case["penalties"] == {
        "services": {"unreliable_facts": 0, "incomplete_facts": 0},
        "openness": {"unreliable_facts": 0, "incomplete_facts": 1},
        "complaints": {"unreliable_facts": 0, "incomplete_facts": 1},
    }
    sheets = {s.direction: s for s in ScoreSheet.objects.filter(body=body, is_current=True)}
    assert sheets["services"].values["penalty"] == "0.00"
    for direction in ("openness", "complaints"):
        values = sheets[direction].values
        assert values["penalty"] == "2.00"
        assert float(values["final"]) == pytest.approx(max(0, float(values["total"]) - 2))

    clock.set_now("2026-03-12T10:00:00")
    conclusions = {}
    for direction in ("services", "openness", "complaints"):
        c = draft(w, body, direction)
        assert c.values["final"] == sheets[direction].values["final"]
        conclusions[direction] = c
    assert conclusions["services"].recommendations == ""
    assert "Таблица 4. Открытые нормативные правовые акты" in \
        conclusions["openness"].recommendations
    complaints_text = conclusions["complaints"].recommendations
    assert "не представлен" in complaints_text and "Отчёт не представлен в срок" in complaints_text
    assert "п.17–21" in complaints_text
    for direction, c in conclusions.items():
        conclusions[direction] = issued(w, c)
    # the body neither objects nor notifies: the windows close and the conclusions stand
    clock.set_now("2026-04-20T09:00:00")
    svc.conclusion_windows_close()
    assert {fresh(c).state for c in conclusions.values()} == {"final"}
    block = issued(w, draft(w, body, "block"))
    block = fresh(block)
    assert block.state == "final"
    overall = ScoreSheet.objects.get(body=body, direction="overall", is_current=True)
    assert block.values["overall"] == overall.values["overall"]
    assert block.values["complaints"] == sheets["complaints"].values["final"]
