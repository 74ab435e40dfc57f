from datetime import date

import pytest

from assessments.kernel import calendar
from assessments.models import WorkingDayOverride

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2025, 1, 3), False),  # Friday, a day off by transfer from Sunday 5 January
        (date(2024, 5, 8), False),  # Wednesday, a day off by transfer from Saturday 4 May
        (date(2025, 1, 5), True),  # Sunday made a working day by that transfer
        (date(2024, 5, 4), True),  # Saturday made a working day
        (date(2026, 3, 20), True),  # Friday before Nauryz
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 24), False),  # Nauryz, observed
        (date(2026, 3, 25), False),  # Nauryz, observed
        (date(2026, 3, 28), False),  # plain Saturday
        (date(2026, 3, 30), True),  # plain Monday
    ],
)
def test_is_working_day_on_real_dates(day, working):
    assert calendar.is_working_day(day) is working


def test_five_working_days_from_thursday_before_nauryz_end_on_tuesday_31_march():
    assert calendar.add_working_days(date(2026, 3, 19), 5) == date(2026, 3, 31)


def test_window_counts_a_transferred_working_saturday():
    # Thursday 2 May 2024: Fri 3 (1), Sat 4 is a working day by transfer (2), Mon 6 (3),
    # Tue 7 is Defender of the Fatherland Day, Wed 8 a day off by transfer, Thu 9 Victory Day,
    # Fri 10 (4), Mon 13 (5).
    assert calendar.add_working_days(date(2024, 5, 2), 5) == date(2024, 5, 13)
    assert calendar.add_working_days(date(2024, 5, 2), 2) == date(2024, 5, 4)


def test_the_day_itself_never_counts():
    assert calendar.add_working_days(date(2026, 3, 30), 1) == date(2026, 3, 31)


def test_next_working_day_rule_of_p62():
    assert calendar.add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 26)
    assert calendar.next_working_day(date(2026, 3, 30)) == date(2026, 3, 30)


def test_working_days_between():
    assert calendar.working_days_between(date(2026, 3, 19), date(2026, 3, 31)) == 5
    assert calendar.working_days_between(date(2026, 3, 19), date(2026, 3, 19)) == 0


def test_administrator_override_adds_a_day_off_and_a_working_day():
    WorkingDayOverride.objects.create(
        date=date(2026, 3, 27), kind=WorkingDayOverride.Kind.DAY_OFF, reason="test decree"
    )
    assert not calendar.is_working_day(date(2026, 3, 27))
    assert calendar.add_working_days(date(2026, 3, 19), 5) == date(2026, 4, 1)
    WorkingDayOverride.objects.create(
        date=date(2026, 3, 28), kind=WorkingDayOverride.Kind.WORKING_DAY, reason="test decree"
    )
    assert calendar.is_working_day(date(2026, 3, 28))
    assert calendar.add_working_days(date(2026, 3, 19), 5) == date(2026, 3, 31)


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 3, 19), -1)
