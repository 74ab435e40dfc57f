"""The appeal procedure's rules on real dates of the Kazakh calendar (p.109–114)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from appeals import rules
from assessments.kernel import clock


@pytest.mark.parametrize(
    ("received", "last_day", "why"),
    [
        # Thursday before Nauryz: 21–23 March and the observed 24–25 March are off.
        (date(2026, 3, 19), date(2026, 3, 31), "window crosses Nauryz"),
        # Friday before Victory Day's observed Monday (9 May 2026 is a Saturday, 11 May off).
        (date(2026, 5, 8), date(2026, 5, 18), "Friday before a holiday"),
        # New Year 2025: 1–2 January holidays, Friday 3 January a transferred day off, Sunday
        # 5 January a transferred working day, 7 January Orthodox Christmas.
        (date(2024, 12, 31), date(2025, 1, 10), "transferred day off and working Sunday"),
        # An ordinary week: Monday → the next Monday.
        (date(2026, 4, 6), date(2026, 4, 13), "plain weekend"),
    ],
)
def test_window_last_day_is_the_fifth_working_day_after_receipt(received, last_day, why, db):
    assert rules.window_last_day(received) == last_day, why


def test_an_administrators_override_moves_the_window(db):
    from assessments.models import WorkingDayOverride

    assert rules.window_last_day(date(2026, 4, 6)) == date(2026, 4, 13)
    WorkingDayOverride.objects.create(date=date(2026, 4, 8), kind="day_off", reason="Постановление")
    assert rules.window_last_day(date(2026, 4, 6)) == date(2026, 4, 14)
    WorkingDayOverride.objects.create(date=date(2026, 4, 11), kind="working_day", reason="Перенос")
    assert rules.window_last_day(date(2026, 4, 6)) == date(2026, 4, 13)


def test_the_window_closes_at_the_end_of_its_last_day_in_almaty(db):
    last_day = date(2026, 3, 31)
    end = rules.closes_at(last_day)
    assert end.tzinfo is not None and end.utcoffset().total_seconds() == 5 * 3600
    assert rules.is_open(last_day, datetime(2026, 3, 31, 23, 59, 59, tzinfo=clock.ZONE))
    assert not rules.is_open(last_day, datetime(2026, 4, 1, 0, 0, 0, tzinfo=clock.ZONE))


def test_time_left_counts_working_days_and_hours(db):
    left = rules.time_left(date(2026, 3, 31), datetime(2026, 3, 19, 10, 0, tzinfo=clock.ZONE))
    # 20, 26, 27, 30, 31 March are the working days after the 19th.
    assert (left.is_open, left.working_days_left, left.is_last_day) == (True, 5, False)
    last = rules.time_left(date(2026, 3, 31), datetime(2026, 3, 31, 20, 30, tzinfo=clock.ZONE))
    assert (last.is_open, last.working_days_left, last.is_last_day, last.hours_left) == (
        True, 0, True, 3)
    closed = rules.time_left(date(2026, 3, 31), datetime(2026, 4, 1, 9, 0, tzinfo=clock.ZONE))
    assert (closed.is_open, closed.hours_left) == (False, 0)


def test_the_decision_is_due_fifteen_calendar_days_after_arrival():
    assert rules.decision_due(date(2026, 3, 27)) == date(2026, 4, 11)  # a Saturday: calendar days
    assert rules.reminder_days(date(2026, 4, 11)) == [date(2026, 4, 8), date(2026, 4, 10)]


def test_handover_is_due_five_working_days_after_the_sitting(db):
    # Sitting on Wednesday 8 April 2026 → 9, 10, 13, 14, 15 April.
    assert rules.handover_due(date(2026, 4, 8)) == date(2026, 4, 15)
    # Sitting on Thursday 30 April: 1 May holiday, 7 May holiday → 4, 5, 6, 8, 12 May
    # (9 May is a Saturday, its observed day is Monday 11 May).
    assert rules.handover_due(date(2026, 4, 30)) == date(2026, 5, 12)


@pytest.mark.parametrize(
    ("members", "present", "problem"),
    [(7, 5, None), (5, 5, None), (6, 4, "min_present"), (3, 3, "min_present"),
     (10, 5, "quorum"), (10, 6, None), (9, 5, None)],
)
def test_quorum(members, present, problem):
    assert rules.quorum_problem(members, present) == problem


def test_majority_of_members_present_decides():
    present = frozenset({1, 2, 3, 4, 5})
    votes = {1: "accept", 2: "accept", 3: "accept", 4: "reject", 5: "reject"}
    result = rules.tally(votes, present=present, chair_id=5)
    assert (result.outcome, result.accept, result.reject, result.by_chair) == (
        "accept", 3, 2, False)


def test_a_tie_is_broken_by_the_chairs_vote():
    present = frozenset({1, 2, 3, 4, 5, 6})
    votes = {1: "accept", 2: "accept", 3: "accept", 4: "reject", 5: "reject", 6: "reject"}
    assert rules.tally(votes, present=present, chair_id=6).outcome == "reject"
    assert rules.tally(votes, present=present, chair_id=1).outcome == "accept"
    assert rules.tally(votes, present=present, chair_id=1).by_chair


@pytest.mark.parametrize(
    ("votes", "code", "ids"),
    [
        ({1: "accept", 2: "accept", 3: "accept", 4: "accept"}, "missing", (5,)),
        ({1: "accept", 2: "accept", 3: "accept", 4: "accept", 5: "reject", 9: "accept"},
         "outsider", (9,)),
        ({1: "accept", 2: "maybe", 3: "accept", 4: "accept", 5: "reject"}, "invalid", (2,)),
    ],
)
def test_votes_that_make_no_decision(votes, code, ids):
    with pytest.raises(rules.VotingError) as raised:
        rules.tally(votes, present=frozenset({1, 2, 3, 4, 5}), chair_id=1)
    assert (raised.value.code, raised.value.ids) == (code, ids)


def test_the_chair_must_be_present():
    with pytest.raises(rules.VotingError) as raised:
        rules.tally({1: "accept", 2: "accept", 3: "accept", 4: "accept", 5: "reject"},
                    present=frozenset({1, 2, 3, 4, 5}), chair_id=7)
    assert raised.value.code == "no_chair"
