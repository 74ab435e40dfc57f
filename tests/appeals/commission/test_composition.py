"""Who may sit on a special commission's sitting on a body's objection (p.113): the body's
employees, the working body's representatives, and the evaluating body's employees who took no
part in assessing that body in that cycle and direction — the others are refused and told why."""

from __future__ import annotations

import pytest

from appeals.composition import CompositionContext, participation
from assessments.kernel.audit import audit_record
from assessments.registry.services.assignments import (
    assessor_assign,
    assessor_unassign,
    participants,
)
from tests.worlds.factories import CycleFactory, MembershipFactory, Personas, Registry, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db, clock):
    registry = Registry.build()
    personas = Personas.build(registry)
    cycle = CycleFactory(code="2025", year=2025, edition="2023")
    extra = {}
    for username, organisation, role in (
        ("agency_staff", registry.agency, "commission_member"),
        ("acting", registry.agency, "assessor"),
        ("wb", registry.presidential, "working_body_rep"),
    ):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=organisation, role=role,
                          direction="services" if role == "assessor" else "")
        extra[username] = user
    return registry, personas, cycle, extra


def _context(registry, cycle, direction="services", evaluator=None):
    return CompositionContext(body=registry.akimat, evaluator=evaluator or registry.agency,
                              direction=direction, cycle=cycle)


def test_the_three_groups_of_p113(people):
    registry, personas, cycle, extra = people
    context = _context(registry, cycle)
    assert context.check(personas.local_head.pk).group == "body"
    assert context.check(personas.local_submitter.pk).group == "body"
    assert context.check(extra["agency_staff"].pk).group == "evaluator"
    assert context.check(extra["wb"].pk).group == "working_body"
    for stranger in (personas.submitter, personas.outsider, personas.assessor_other_direction):
        refused = context.check(stranger.pk)
        assert not refused.eligible and "п.113" in refused.reason


def test_an_assigned_assessor_is_refused_even_after_removal(people):
    registry, personas, cycle, _extra = people
    assignment = assessor_assign(actor=None, cycle=cycle, body=registry.akimat,
                                 direction="services", assessor=personas.assessor)
    assessor_unassign(actor=None, assignment=assignment)
    check = _context(registry, cycle).check(personas.assessor.pk)
    assert not check.eligible
    assert "назначен(а) экспертом" in check.reason
    assert personas.assessor.pk in participants(registry.akimat, "services", cycle)
    # MIOD's commission (openness): the Agency's assessor is not MIOD's employee
    assert not _context(registry, cycle, "openness", registry.miod).check(
        personas.assessor.pk).eligible
    # another cycle: no part taken there
    other_cycle = CycleFactory(code="2026", year=2026, edition="2023")
    assert _context(registry, other_cycle).check(personas.assessor.pk).group == "evaluator"


def test_a_logged_action_on_the_bodys_report_counts_as_taking_part(people):
    from assessments.submission.services.reports import report_get_or_create

    registry, _personas, cycle, extra = people
    report = report_get_or_create(cycle=cycle, body=registry.akimat, direction="services")
    audit_record(actor=extra["acting"], obj=report, action="review_note", reason="замечание")
    reasons = participation(registry.akimat, "services", cycle)
    assert "оставил(а) замечание к отчёту" in reasons[extra["acting"].pk]
    check = _context(registry, cycle).check(extra["acting"].pk)
    assert not check.eligible and "оставил(а) замечание к отчёту" in check.reason
    assert "review_note" not in check.reason  # the internal code is never shown
    # the same report's body staff stay eligible: their own work is not "assessing"
    audit_record(actor=_personas.local_submitter, obj=report, action="section")
    assert _context(registry, cycle).check(_personas.local_submitter.pk).group == "body"
    # on another direction the assessor took no part
    assert extra["acting"].pk not in participation(registry.akimat, "complaints", cycle)


def test_action_labels_never_show_the_internal_code():
    from appeals.composition import action_label

    assert action_label("conclusion_draft") == "подготовил(а) проект заключения"
    assert action_label("approve") == "согласовал(а)"
    assert action_label("section:general") == "заполнял(а) раздел отчёта"
    assert action_label("some_new_code") == "действовал(а) в системе"
