"""The Republic of Kazakhstan's working-day calendar, used by every deadline in the project.

Sources, in order of precedence:
1. ``WorkingDayOverride`` rows that an administrator enters for decrees the package doesn't know;
2. the ``holidays`` package (``holidays.KZ``): public holidays, their observed days, and the
   government's yearly transfers of days off (a transferred day off is a holiday there; the
   weekend day it was moved from is a working day — read from the package's own table);
3. weekends (Saturday, Sunday).

``add_working_days(day, n)`` is "the n-th working day after ``day``": the day itself never counts,
which is how the methodology's windows run (p.109: 5 working days from receipt).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

_MAX_SCAN_DAYS = 400


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year).keys())


@lru_cache(maxsize=1)
def _transferred_working_days() -> frozenset[date]:
    """Weekend days made working by transfer decrees, from the package's own table.

    ``special_public_holidays`` maps a year to entries ``(month, day, from_month, from_day[,
    from_year])``: the day off, and the weekend day whose rest was moved to it.
    """
    result: set[date] = set()
    table: dict = {}
    try:  # the package keeps the transfer table on its static-holidays class
        from holidays.countries.kazakhstan import KazakhstanStaticHolidays

        table = getattr(KazakhstanStaticHolidays, "special_public_holidays", {}) or {}
    except ImportError:  # a future layout of the package: no transfers known, overrides remain
        table = {}
    for year, entries in table.items():
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            if len(entry) >= 4 and all(isinstance(part, int) for part in entry[:4]):
                from_year = entry[4] if len(entry) >= 5 and isinstance(entry[4], int) else year
                result.add(date(from_year, entry[2], entry[3]))
    return frozenset(result)


def _overrides(start: date, end: date) -> dict[date, str]:
    """Administrator overrides between two dates (inclusive), one query."""
    try:
        from assessments.models import WorkingDayOverride
    except Exception:  # used outside Django: no overrides
        return {}
    try:
        rows = WorkingDayOverride.objects.filter(date__range=(start, end)).values_list(
            "date", "kind"
        )
        return dict(rows)
    except Exception:  # table not migrated yet (first setup run)
        return {}


def _package_working_day(day: date) -> bool:
    if day in _public_holidays(day.year):
        return False
    if day.weekday() >= 5:
        return day in _transferred_working_days()
    return True


def _is_working(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind == "working_day":
        return True
    if kind == "day_off":
        return False
    return _package_working_day(day)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in Kazakhstan (overrides included)."""
    return _is_working(day, _overrides(day, day))


def holiday_name(day: date) -> str | None:
    """The package's name of the holiday on ``day``, if any (for showing why a day is off)."""
    return holidays.country_holidays("KZ", years=day.year).get(day)


def _add_span(day: date, n: int) -> date:
    """The last day ``add_working_days(day, n)`` may reach (the range of its overrides)."""
    return day + timedelta(days=n * 3 + 60)


def add_working_days(day: date, n: int, *, overrides: dict[date, str] | None = None) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself is not counted); n ≥ 1.

    With n = 0, ``day`` if it is a working day, else the next working day (p.62's rule).
    ``overrides`` — the administrators' overrides over ``day`` … ``_add_span(day, n)``, when the
    caller has them already (``Window``); else one query.
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    if overrides is None:
        overrides = _overrides(day, _add_span(day, n))
    if n == 0:
        return next_working_day(day, overrides=overrides)
    current = day
    counted = 0
    for _ in range(_MAX_SCAN_DAYS + n * 7):
        current += timedelta(days=1)
        if _is_working(current, overrides):
            counted += 1
            if counted == n:
                return current
    raise RuntimeError(f"no {n} working days found after {day}")


def next_working_day(day: date, *, overrides: dict[date, str] | None = None) -> date:
    """``day`` itself if it is a working day, otherwise the next one (p.62)."""
    if overrides is None:
        overrides = _overrides(day, day + timedelta(days=60))
    current = day
    for _ in range(_MAX_SCAN_DAYS):
        if _is_working(current, overrides):
            return current
        current += timedelta(days=1)
    raise RuntimeError(f"no working day found after {day}")


def working_days_between(start: date, end: date, *,
                         overrides: dict[date, str] | None = None) -> int:
    """Working days in (start, end]: how many of a window's days have passed by ``end``."""
    if end <= start:
        return 0
    if overrides is None:
        overrides = _overrides(start, end)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if _is_working(current, overrides):
            count += 1
    return count


def working_days_left(today: date, deadlines) -> dict[date, int]:
    """``{deadline: working days from today}`` for many deadlines with one query: the working
    days in (today, deadline] for a deadline ahead (0 when it is today), minus the working days
    in (deadline, today] for one passed (overdue by that many working days)."""
    days = sorted({d for d in deadlines if d is not None})
    if not days:
        return {}
    start, end = min(days[0], today), max(days[-1], today)
    overrides = _overrides(start, end)
    # Working days counted from ``start``: index i holds the count in (start, start + i].
    counts = [0]
    current = start
    while current < end:
        current += timedelta(days=1)
        counts.append(counts[-1] + (1 if _is_working(current, overrides) else 0))
    at = {start + timedelta(days=i): c for i, c in enumerate(counts)}
    return {d: at[d] - at[today] for d in days}


class Window:
    """The calendar over ``start`` … ``end`` with the administrators' overrides read once (one
    query, on first use), for a page that asks several questions of the same days (the home
    page: today, the next working day, the schedule's working days left). A question reaching
    outside the window is answered as the module's functions answer it (its own query)."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, max(start, end)
        self._overrides: dict[date, str] | None = None

    def _within(self, first: date, last: date) -> dict[date, str] | None:
        if self.start <= first and last <= self.end:
            if self._overrides is None:
                self._overrides = _overrides(self.start, self.end)
            return self._overrides
        return None

    def is_working_day(self, day: date) -> bool:
        overrides = self._within(day, day)
        return is_working_day(day) if overrides is None else _is_working(day, overrides)

    def add_working_days(self, day: date, n: int) -> date:
        return add_working_days(day, n, overrides=self._within(day, _add_span(day, n)))

    def working_days_between(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        return working_days_between(start, end, overrides=self._within(start, end))

    @staticmethod
    def span_for_add(day: date, n: int) -> date:
        """The window's end that ``add_working_days(day, n)`` needs."""
        return _add_span(day, n)
