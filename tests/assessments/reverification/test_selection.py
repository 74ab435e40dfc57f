"""Risk-based selection (p.13): the ranking on known data, the editable weights, the reproducible
random sample, picking and removing bodies with a recorded reason, and who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Report, Reverification, RiskSample
from assessments.registry.services.cycles import cycle_create
from assessments.reverification.services import (
    EditConflict,
    InvalidWeights,
    reverification_cancel,
    reverification_select,
    risk_method_for,
    risk_method_save,
    risk_population,
    risk_ranking,
    risk_sample_draw,
    risk_sample_redraw,
)

pytestmark = pytest.mark.django_db


def _input(cycle, body, block: dict, sources: dict):
    from assessments.kernel import clock
    from assessments.models import ScoringInput

    return ScoringInput.objects.create(
        cycle=cycle, body=body, version=1, case={"edition": "2023", "services": block},
        sources=sources, created_at=clock.now(),
    )


def _sheet(cycle, body, final: str):
    from assessments.kernel import clock
    from assessments.models import ScoreSheet, ScoringInput

    si = ScoringInput.objects.filter(cycle=cycle, body=body).first() or ScoringInput.objects.create(
        cycle=cycle, body=body, version=1, case={"edition": "2023"}, created_at=clock.now())
    return ScoreSheet.objects.create(
        cycle=cycle, body=body, direction="services", scoring_input=si, final=Decimal(final),
        digest=f"{cycle.pk}-{body.pk}", computed_at=clock.now(),
    )


@pytest.fixture
def known_data(personas, cycle2025):
    """Data the system holds about the Agency's services population (five bodies)."""
    r = personas.registry
    previous = cycle_create(actor=None, code="2024", year=2024, edition="2023")
    # previous cycle: signed acts with their deductions (p.20)
    for body, deduction in ((r.ministry, "5.00"), (r.akimat, "1.00")):
        Reverification.objects.create(
            cycle=previous, body=body, direction="services", evaluator=r.agency, basis="risk",
            selected_at=previous.created_at, deduction=Decimal(deduction), state="closed",
        )
    # this cycle's reports: late and returned
    Report.objects.create(cycle=cycle2025, body=r.ministry, direction="services",
                          returned_times=1)
    Report.objects.create(cycle=cycle2025, body=r.other_ministry, direction="services",
                          late=True, late_days=4, returned_times=2)
    Report.objects.create(cycle=cycle2025, body=r.digital, direction="services")
    # scores of both cycles: the akimat jumped from 70 to 80
    _sheet(previous, r.akimat, "70.00")
    _sheet(cycle2025, r.akimat, "80.00")
    # the numbers' sources: the ministry's all from its own report, half of the digital
    # ministry's imported from an information system
    block = {"rendered": 100, "late": 2, "justified_complaints": 1, "unjustified_refusals": 0}
    _input(cycle2025, r.ministry, block, {"services": {"kind": "report", "ref": "", "label": ""}})
    _input(cycle2025, r.digital, block, {
        "services": {"kind": "report", "ref": "", "label": ""},
        "services.rendered": {"kind": "import", "ref": "1", "label": "Мониторинг"},
        "services.late": {"kind": "import", "ref": "1", "label": "Мониторинг"},
    })
    return personas


def test_the_population_is_what_the_evaluating_body_assesses(personas, cycle2025):
    r = personas.registry
    bodies = risk_population(cycle=cycle2025, evaluator=r.agency, direction="services")
    assert {b.pk for b in bodies} == {r.ministry.pk, r.other_ministry.pk, r.akimat.pk,
                                      r.digital.pk, r.miod.pk}
    assert [b.bin for b in bodies] == sorted(b.bin for b in bodies)
    # the Administration evaluates the Agency, the Prosecutor's Office and the court's office
    pa = {b.pk for b in risk_population(cycle=cycle2025, evaluator=r.presidential,
                                        direction="services")}
    assert pa == {r.agency.pk, r.prosecutor.pk, r.supreme_court.pk}


def test_the_ranking_on_known_data_with_each_factors_contribution(known_data, cycle2025):
    r = known_data.registry
    rows = risk_ranking(cycle=cycle2025, evaluator=r.agency, direction="services")
    ranked = [(row.rank, row.body.pk, row.score) for row in rows]
    assert ranked == [
        (1, r.ministry.pk, Decimal("66.67")),       # 35 + 6.67 + 0 + 25
        (2, r.other_ministry.pk, Decimal("20.00")),  # late + 2 returns: full discipline risk
        (3, r.akimat.pk, Decimal("17.00")),          # 7 (deduction 1 of 5) + 10 (jump 10 of 20)
        (4, r.digital.pk, Decimal("12.50")),         # half of its numbers unconfirmed
        (5, r.miod.pk, Decimal("0.00")),
    ]
    ministry = {c.code: c for c in rows[0].contributions}
    assert ministry["previous_penalties"].normalised == Decimal("1")
    assert ministry["previous_penalties"].contribution == Decimal("35.00")
    assert ministry["report_discipline"].normalised == Decimal("0.3333")
    assert ministry["report_discipline"].contribution == Decimal("6.67")
    assert ministry["score_jump"].contribution == Decimal("0.00")
    assert ministry["unconfirmed_share"].contribution == Decimal("25.00")
    assert ministry["unconfirmed_share"].text == "4 из 4 показателей"
    akimat = {c.code: c for c in rows[2].contributions}
    assert akimat["score_jump"].normalised == Decimal("0.5")
    assert akimat["score_jump"].text == "70.00 → 80.00"
    assert akimat["previous_penalties"].text == "вычет 1.00 балла"


def test_the_evaluating_body_edits_the_weights_and_the_ranking_follows(known_data, cycle2025):
    r, p = known_data.registry, known_data
    method = risk_method_for(cycle=cycle2025, evaluator=r.agency, direction="services")
    assert method.revision == 0 and method.weights["previous_penalties"] == "0.35"
    weights = {"previous_penalties": "0", "report_discipline": "1", "score_jump": "0",
               "unconfirmed_share": "0"}
    saved = risk_method_save(actor=p.unit_head, cycle=cycle2025, evaluator=r.agency,
                             direction="services", weights=weights, sample_size=2, revision=0,
                             reason="Приоритет: дисциплина отчётности")
    assert (saved.revision, saved.sample_size, saved.updated_by) == (1, 2, p.unit_head)
    entry = AuditEntry.objects.for_object(saved).get()
    assert entry.changes["weight.report_discipline"] == ["0.20", "1"]
    assert entry.reason == "Приоритет: дисциплина отчётности"
    rows = risk_ranking(cycle=cycle2025, evaluator=r.agency, direction="services")
    assert [(row.body.pk, row.score) for row in rows[:2]] == [
        (r.other_ministry.pk, Decimal("100.00")), (r.ministry.pk, Decimal("33.33"))]
    # a second editor who read revision 0 is told, and nothing is overwritten
    with pytest.raises(EditConflict):
        risk_method_save(actor=p.signatory, cycle=cycle2025, evaluator=r.agency,
                         direction="services", weights=weights | {"score_jump": "5"},
                         sample_size=1, revision=0)
    assert risk_method_for(cycle=cycle2025, evaluator=r.agency,
                           direction="services").weights == saved.weights


@pytest.mark.parametrize("weights, sample_size, field", [
    ({"previous_penalties": "abc"}, 1, "previous_penalties"),
    ({"previous_penalties": "-1"}, 1, "previous_penalties"),
    ({"previous_penalties": "0", "report_discipline": "0", "score_jump": "0",
      "unconfirmed_share": "0"}, 1, "__all__"),
    ({}, -1, "sample_size"),
])
def test_invalid_weights_are_refused_field_by_field(personas, cycle2025, weights, sample_size,
                                                    field):
    r = personas.registry
    full = {"previous_penalties": "0.35", "report_discipline": "0.2", "score_jump": "0.2",
            "unconfirmed_share": "0.25"} | weights
    with pytest.raises(InvalidWeights) as error:
        risk_method_save(actor=personas.unit_head, cycle=cycle2025, evaluator=r.agency,
                         direction="services", weights=full, sample_size=sample_size,
                         revision=0)
    assert field in error.value.errors


@pytest.mark.parametrize("actor", ["assessor", "submitter", "assessor_other_direction",
                                   "coordinator", "outsider"])
def test_only_the_evaluating_bodys_heads_edit_the_weights(personas, cycle2025, actor):
    with pytest.raises(PermissionDenied):
        risk_method_save(actor=getattr(personas, actor), cycle=cycle2025,
                         evaluator=personas.registry.agency, direction="services",
                         weights={}, sample_size=1, revision=0)


def test_pick_records_the_reason_and_the_risk_at_the_time(known_data, cycle2025, when):
    r, p = known_data.registry, known_data
    rv = reverification_select(actor=p.assessor, cycle=cycle2025, body=r.akimat,
                               direction="services", evaluator=r.agency)
    assert (rv.state, rv.basis, rv.selected_by, rv.selected_at) == (
        "selected", "risk", p.assessor, when.now())
    assert rv.risk_score == Decimal("17.00") and rv.reason == "Балл риска 17.00"
    assert rv.risk_factors["factors"]["score_jump"]["contribution"] == "10.00"
    assert AuditEntry.objects.for_object(rv).get().action == "reverification_select"
    with pytest.raises(DomainError):
        reverification_select(actor=p.assessor, cycle=cycle2025, body=r.akimat,
                              direction="services", evaluator=r.agency)
    manual = reverification_select(actor=p.assessor, cycle=cycle2025, body=r.miod,
                                   direction="services", evaluator=r.agency,
                                   reason="Жалобы граждан в СМИ", basis="manual")
    assert (manual.basis, manual.reason) == ("manual", "Жалобы граждан в СМИ")


def test_a_body_outside_the_evaluators_population_cannot_be_picked(personas, cycle2025):
    r = personas.registry
    with pytest.raises(DomainError):  # the Administration evaluates the Agency (p.5)
        reverification_select(actor=personas.assessor, cycle=cycle2025, body=r.agency,
                              direction="services", evaluator=r.agency)
    with pytest.raises(DomainError):  # automation is scored inside services
        reverification_select(actor=personas.assessor, cycle=cycle2025, body=r.ministry,
                              direction="automation", evaluator=r.digital)


def test_removal_needs_a_reason_hides_it_from_the_body_and_a_body_can_be_picked_again(
    personas, cycle2025, selected, when
):
    p = personas
    with pytest.raises(DomainError):
        reverification_cancel(actor=p.assessor, reverification=selected, reason=" ")
    with pytest.raises(PermissionDenied):
        reverification_cancel(actor=p.submitter, reverification=selected, reason="x")
    assert access.visible(p.submitter, Reverification).filter(pk=selected.pk).exists()
    cancelled = reverification_cancel(actor=p.assessor, reverification=selected,
                                      reason="Перепроверен в прошлом году")
    assert cancelled.state == "cancelled"
    log = StateLog.objects.for_(cancelled).get(transition="cancel")
    assert (log.by, log.description) == (p.assessor, "Перепроверен в прошлом году")
    assert not access.visible(p.submitter, Reverification).filter(pk=selected.pk).exists()
    assert access.visible(p.assessor, Reverification).filter(pk=selected.pk).exists()
    again = reverification_select(actor=p.assessor, cycle=cycle2025, body=p.registry.ministry,
                                  direction="services", evaluator=p.registry.agency,
                                  reason="Новые сведения", basis="manual")
    assert again.pk == selected.pk and again.state == "selected"


@pytest.mark.parametrize("actor", ["submitter", "assessor_other_direction", "coordinator",
                                   "commission_chair", "outsider"])
def test_only_the_evaluating_bodys_people_on_the_direction_pick(personas, cycle2025, actor):
    with pytest.raises(PermissionDenied):
        reverification_select(actor=getattr(personas, actor), cycle=cycle2025,
                              body=personas.registry.ministry, direction="services",
                              evaluator=personas.registry.agency)
    assert not Reverification.objects.exists()


def test_the_random_sample_is_drawn_with_a_recorded_seed_and_reproducible(
    personas, cycle2025, selected
):
    r, p = personas.registry, personas
    # the seed is the server's: the person drawing cannot pass one (issue 16)
    with pytest.raises(TypeError):
        risk_sample_draw(actor=p.assessor, cycle=cycle2025, evaluator=r.agency,
                         direction="services", size=2, seed="kz-2025-services")
    sample = risk_sample_draw(actor=p.assessor, cycle=cycle2025, evaluator=r.agency,
                              direction="services", size=2)
    # drawn among the bodies not selected yet, in BIN order
    population = [b.pk for b in risk_population(cycle=cycle2025, evaluator=r.agency,
                                                direction="services") if b.pk != r.ministry.pk]
    assert sample.population == population and len(sample.seed) == 32
    assert len(sample.drawn) == 2 and set(sample.drawn) <= set(population)
    assert risk_sample_redraw(sample) == sample.drawn
    picked = Reverification.objects.filter(sample=sample)
    assert set(picked.values_list("body_id", flat=True)) == set(sample.drawn)
    assert set(picked.values_list("basis", flat=True)) == {"sample"}
    assert picked.first().reason == f"Случайная выборка, seed {sample.seed}"
    # the recorded seed over the recorded population reproduces the draw afterwards
    sample.refresh_from_db()
    assert risk_sample_redraw(sample) == sample.drawn
    # each draw has a fresh seed from the server
    other = cycle_create(actor=None, code="2025-rerun", year=2025, edition="2023")
    reverification_select(actor=p.assessor, cycle=other, body=r.ministry, direction="services",
                          evaluator=r.agency)
    rerun = risk_sample_draw(actor=p.assessor, cycle=other, evaluator=r.agency,
                             direction="services", size=2)
    assert rerun.seed != sample.seed and risk_sample_redraw(rerun) == rerun.drawn
    assert RiskSample.objects.count() == 2
