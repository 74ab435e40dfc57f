"""Reminders (Celery beat, every six hours) are sent once: 5 and 1 working days before the
submission deadline, one per person of each body per step and direction, however often the job
runs; assessors are reminded once per report waiting and submission."""

from datetime import date

import pytest

from assessments.kernel import calendar
from assessments.kernel import clock as app_clock
from assessments.models import Notification, Report
from assessments.submission.services.reports import report_get_or_create
from assessments.submission.tasks import submission_reminders

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 1, 20)  # the schedule fixture's submission date, a Tuesday


@pytest.fixture
def current(cycle):
    cycle.is_current = True
    cycle.save()
    return cycle


def run_on(day: date, times: int = 2) -> list[dict]:
    """The beat job on ``day``, ``times`` times (morning and evening)."""
    results = []
    for hour in (8, 14, 20)[:times]:
        with app_clock.frozen(f"{day.isoformat()}T{hour:02d}:00:00"):
            results.append(submission_reminders.delay().get())
    return results


def reminders(user, n=None):
    qs = Notification.objects.filter(user=user, key__startswith="deadline:")
    if n is not None:
        qs = qs.filter(key__endswith=f":{n}")
    return qs


def test_the_reminder_days_are_5_and_1_working_days_before():
    assert calendar.working_days_between(date(2026, 1, 13), DEADLINE) == 5
    assert calendar.working_days_between(date(2026, 1, 19), DEADLINE) == 1


def test_each_step_is_sent_once_per_person_and_direction(assigned, current, schedule):
    p, r = assigned, assigned.registry
    # the ministry's complaints report is already submitted: no reminder for it
    submitted = report_get_or_create(cycle=current, body=r.ministry, direction="complaints")
    with app_clock.frozen("2026-01-12T10:00:00"):
        Report.objects.filter(pk=submitted.pk).update(
            state=Report.State.SUBMITTED, submitted_at=app_clock.now(),
            submitted_on=app_clock.today())
    directions = {"services", "automation", "openness"}  # a central body's, less complaints

    first = run_on(date(2026, 1, 13))
    assert first[0]["bodies"] > 0 and first[1]["bodies"] == 0  # the second run sends nothing
    for person in (p.head, p.submitter):
        five = reminders(person, 5)
        assert five.count() == len(directions)
        assert {n.key.split(":")[3] for n in five} == directions
        assert all("20.01.2026" in n.text and "осталось рабочих дней: 5" in n.text
                   for n in five)
    assert reminders(p.local_head, 5).count() == 3  # the akimat: services, openness, complaints

    for day in (14, 15, 16, 17, 18):  # neither 5 nor 1 working days before
        assert [result["bodies"] for result in run_on(date(2026, 1, day))] == [0, 0]

    assert [result["bodies"] for result in run_on(date(2026, 1, 19), times=3)][1:] == [0, 0]
    for person in (p.head, p.submitter):
        assert reminders(person, 1).count() == len(directions)
        assert reminders(person).count() == 2 * len(directions)
    # after the deadline nothing more
    assert [result["bodies"] for result in run_on(date(2026, 1, 21))] == [0, 0]
    assert reminders(p.head).count() == 2 * len(directions)


def test_a_weekend_before_the_deadline_sends_the_step_once(assigned, current):
    """Deadline on a Monday: Friday, Saturday and Sunday are all "1 working day before"; the
    reminder goes out on the first of them only."""
    from assessments.models import Milestone
    from tests.worlds.factories import MilestoneFactory

    monday = date(2026, 2, 16)
    MilestoneFactory(cycle=current, code=Milestone.Code.SUBMISSION, due_on=monday)
    friday, saturday, sunday = date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 15)
    assert {calendar.working_days_between(d, monday) for d in (friday, saturday, sunday)} == {1}
    sent = [run_on(day)[0]["bodies"] for day in (friday, saturday, sunday)]
    assert sent[0] > 0 and sent[1:] == [0, 0]
    assert reminders(assigned.head, 1).count() == 4  # the ministry's four directions


def test_assessors_are_reminded_once_per_submission(clock, assigned, current, schedule):
    p, r = assigned, assigned.registry
    report = report_get_or_create(cycle=current, body=r.ministry, direction="complaints")
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.SUBMITTED, submitted_at=app_clock.now(),
        submitted_on=app_clock.today())
    first = run_on(app_clock.today())
    assert [x["assessors"] for x in first] == [1, 0]
    waiting = Notification.objects.filter(user=p.committee_assessor, key__startswith="waiting:")
    assert waiting.count() == 1
    # returned, reworked and submitted again: one more reminder for the new submission
    later = app_clock.now().replace(day=20)
    Report.objects.filter(pk=report.pk).update(submitted_at=later)
    assert [x["assessors"] for x in run_on(later.date())] == [1, 0]
    assert waiting.count() == 2
