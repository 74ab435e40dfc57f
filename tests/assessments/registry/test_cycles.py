"""The cycle and its schedule (p.4): creation with working-day dates, the current cycle, edits of
milestones by the coordinator with a reason, and the days left."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.kernel import calendar
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Cycle, Milestone
from assessments.registry.services.cycles import (
    DEFAULT_SCHEDULE,
    current_cycle,
    cycle_create,
    cycle_schedule,
    cycle_set_current,
    milestone_add,
    milestone_change,
    milestone_due,
)

pytestmark = pytest.mark.django_db


def test_create_builds_the_schedule_on_working_days(personas):
    cycle = cycle_create(actor=personas.coordinator, code="2025", year=2025, edition="2023")
    milestones = list(cycle.milestones.all())
    assert len(milestones) == len(DEFAULT_SCHEDULE)
    assert all(calendar.is_working_day(m.due_on) for m in milestones)
    assert all(m.due_on.year == 2026 for m in milestones)
    # 15 February 2026 is a Sunday: the Monday after (p.39's data hand-over)
    assert milestone_due(cycle, Milestone.Code.MONITORING_DATA) == date(2026, 2, 16)
    assert AuditEntry.objects.for_object(cycle).get().actor == personas.coordinator


def test_an_unknown_edition_is_refused(personas):
    with pytest.raises(ValidationError):
        cycle_create(actor=personas.admin, code="x", year=2025, edition="1999")


def test_only_the_coordinator_and_administrators_create_cycles(personas):
    with pytest.raises(PermissionDenied):
        cycle_create(actor=personas.assessor, code="x", year=2025, edition="2023")


def test_one_current_cycle(personas):
    first = cycle_create(actor=None, code="2024", year=2024, edition="2023", schedule=())
    second = cycle_create(actor=None, code="2025", year=2025, edition="2023", schedule=())
    cycle_set_current(actor=personas.coordinator, cycle=first)
    cycle_set_current(actor=personas.coordinator, cycle=second)
    assert list(Cycle.objects.filter(is_current=True)) == [second]
    assert current_cycle() == second
    assert AuditEntry.objects.for_object(first).filter(action="update").count() == 2


def test_the_coordinator_moves_a_milestone_with_a_reason(personas, cycle, clock):
    milestone = milestone_add(actor=personas.coordinator, cycle=cycle, code="submission",
                              name_ru="Отчёты", name_kk="Есептер", due_on=date(2026, 1, 20))
    milestone_change(actor=personas.coordinator, milestone=milestone, due_on=date(2026, 1, 27),
                     reason="Письмо Администрации Президента № 1")
    assert Milestone.objects.get(pk=milestone.pk).due_on == date(2026, 1, 27)
    entry = AuditEntry.objects.for_object(milestone).get(action="update")
    assert entry.changes == {"due_on": ["2026-01-20", "2026-01-27"]}
    assert entry.actor == personas.coordinator
    assert entry.reason == "Письмо Администрации Президента № 1"
    assert entry.at == clock.now()


def test_a_milestone_change_needs_a_reason_and_the_right_role(personas, cycle):
    milestone = milestone_add(actor=None, cycle=cycle, code="submission", name_ru="Отчёты",
                              name_kk="Есептер", due_on=date(2026, 1, 20))
    with pytest.raises(DomainError):
        milestone_change(actor=personas.coordinator, milestone=milestone,
                         due_on=date(2026, 1, 21), reason=" ")
    for user in (personas.assessor, personas.submitter, personas.signatory):
        with pytest.raises(PermissionDenied):
            milestone_change(actor=user, milestone=milestone, due_on=date(2026, 1, 21),
                             reason="x")
    with pytest.raises(DomainError):
        milestone_change(actor=personas.coordinator, milestone=milestone, cycle=None, reason="x")


def test_a_milestone_code_appears_once_per_direction(cycle):
    milestone_add(actor=None, cycle=cycle, code="submission", name_ru="a", name_kk="a",
                  due_on=date(2026, 1, 20))
    milestone_add(actor=None, cycle=cycle, code="submission", direction="openness",
                  name_ru="b", name_kk="b", due_on=date(2026, 1, 25))
    with pytest.raises(DomainError):
        milestone_add(actor=None, cycle=cycle, code="submission", name_ru="c", name_kk="c",
                      due_on=date(2026, 1, 22))
    assert milestone_due(cycle, "submission", "openness") == date(2026, 1, 25)
    assert milestone_due(cycle, "submission", "services") == date(2026, 1, 20)
    assert milestone_due(cycle, "conclusions") is None


def test_schedule_counts_calendar_and_working_days_left(cycle, clock):
    clock.set_now("2026-03-19T10:00:00")  # a Thursday before Nauryz (21–25 March 2026)
    milestone_add(actor=None, cycle=cycle, code="conclusions", name_ru="a", name_kk="a",
                  due_on=date(2026, 3, 31))
    milestone_add(actor=None, cycle=cycle, code="submission", name_ru="b", name_kk="b",
                  due_on=date(2026, 1, 20))
    rows = cycle_schedule(cycle)
    assert [r.milestone.code for r in rows] == ["submission", "conclusions"]
    assert rows[0].is_past and rows[0].working_days_left == 0
    assert rows[1].days_left == 12
    assert rows[1].working_days_left == calendar.working_days_between(date(2026, 3, 19),
                                                                      date(2026, 3, 31))
    assert rows[1].working_days_left < 12
    assert [r.milestone.code for r in cycle_schedule(cycle, upcoming_only=True)] == [
        "conclusions"
    ]
