from datetime import date, datetime

from assessments.kernel import clock as app_clock


def test_frozen_clock_is_aware_and_in_almaty(clock):
    clock.set_now("2026-03-19T23:30:00")
    now = clock.now()
    assert now.tzinfo is not None
    assert now.utcoffset().total_seconds() == 5 * 3600
    assert clock.today() == date(2026, 3, 19)


def test_utc_moment_is_converted_to_almaty_date(clock):
    clock.set_now(datetime.fromisoformat("2026-03-19T20:30:00+00:00"))
    assert clock.today() == date(2026, 3, 20)


def test_advance_and_context_manager(clock):
    clock.set_now("2026-03-19T10:00:00")
    clock.advance(days=2)
    assert clock.today() == date(2026, 3, 21)
    with app_clock.frozen("2030-01-01T00:00:00"):
        assert app_clock.today() == date(2030, 1, 1)
    assert clock.today() == date(2026, 3, 21)


def test_end_of_day_is_the_last_moment_in_almaty():
    end = app_clock.end_of_day(date(2026, 3, 31))
    assert (end.hour, end.minute, end.second) == (23, 59, 59)
    assert end.utcoffset().total_seconds() == 5 * 3600


def test_unfrozen_clock_runs():
    app_clock.set_now(None)
    assert not app_clock.is_frozen()
    assert app_clock.now() <= app_clock.now()
