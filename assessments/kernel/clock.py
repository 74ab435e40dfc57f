"""The one clock of the application: "now" and "today" in Asia/Almaty.

Every deadline in the project asks this module for the time. Tests, ``demo_cycle`` and other
management commands move it with :func:`frozen` / :func:`set_now` / :func:`advance`; the
``CLOCK_NOW`` setting (ISO 8601) fixes it for a whole process. No freezegun in production code:
only this module's own override.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Almaty")

_lock = threading.Lock()
_frozen: datetime | None = None
_configured = False


def _load_setting() -> None:
    global _configured, _frozen
    if _configured:
        return
    _configured = True
    try:
        from django.conf import settings

        value = getattr(settings, "CLOCK_NOW", "")
    except Exception:  # settings not configured: plain library use
        value = ""
    if value:
        _frozen = aware(datetime.fromisoformat(value))


def aware(moment: datetime) -> datetime:
    """``moment`` in Asia/Almaty: a naive time is read as Almaty's, an aware one converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZONE)
    return moment.astimezone(ZONE)


def now() -> datetime:
    """The current moment, timezone-aware, in Asia/Almaty."""
    _load_setting()
    frozen_at = _frozen
    if frozen_at is not None:
        return frozen_at
    return datetime.now(ZONE)


def today() -> date:
    """Today's date in Asia/Almaty."""
    return now().date()


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in Asia/Almaty (deadlines close at the end of their day)."""
    return datetime.combine(day, time.max, tzinfo=ZONE)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZONE)


def set_now(moment: datetime | date | str | None) -> None:
    """Freeze the clock at ``moment`` (naive datetimes are read as Asia/Almaty); None unfreezes."""
    global _frozen, _configured
    with _lock:
        _configured = True
        if moment is None:
            _frozen = None
            return
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if isinstance(moment, date) and not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(10, 0))
        _frozen = aware(moment)


def advance(**delta: float) -> datetime:
    """Move a frozen clock forward (``advance(days=2, hours=3)``); freezes it first if needed."""
    set_now(now() + timedelta(**delta))
    return now()


def is_frozen() -> bool:
    _load_setting()
    return _frozen is not None


@contextmanager
def frozen(moment: datetime | date | str) -> Iterator[None]:
    """Freeze the clock inside a ``with`` block and restore what it was afterwards."""
    _load_setting()
    previous = _frozen
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)
