"""The rules of the appeal procedure that need no database: windows, due dates, quorum, majority.

Kept apart from the services so that each rule is stated once, read in one place and tested on
its own (tests/appeals/test_rules.py).

* **Objection window** (p.109, p.111, p.112): five working days from the day of receipt; the day
  of receipt does not count, the window closes at the end (Asia/Almaty) of the fifth working day
  after it. Weekends, public holidays and transferred days off do not count; a transferred
  working Saturday does (the calendar service, administrators' overrides included).
* **Decision due** (p.114): fifteen *calendar* days. The seed gives no start; we count them from
  the day the objection (the disagreement table) arrived: due = arrival + 15 days.
* **Quorum and majority** (p.113–114: "коллегиальное решение", at least 5 members; the seed fixes
  neither quorum nor majority — our assumptions, stated in the README):
  - at least ``MIN_PRESENT`` (5) members present, and more than half of the sitting's members;
  - every member present votes on every row (accept / reject; no abstention);
  - a row is decided by the majority of the members present; on a tie the chair's vote decides.
* **Hand-over** (p.119–120): openness and complaints conclusions go to the Agency within five
  working days after the day of the commission's sitting.
* **Check of individual results** (p.110): on a body's complaint lodged no later than five working
  days after the appeal procedures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assessments.kernel import calendar, clock

WINDOW_WORKING_DAYS = 5  # p.109, p.112
DECISION_CALENDAR_DAYS = 15  # p.114
MIN_PRESENT = 5  # p.113: "не менее 5 членов"
HANDOVER_WORKING_DAYS = 5  # p.119, p.120
CHECK_COMPLAINT_WORKING_DAYS = 5  # p.110
REMINDER_DAYS_BEFORE = (3, 1)  # reminders of a commission's due date, calendar days before it

ACCEPT = "accept"
REJECT = "reject"


# --- Windows and due dates -------------------------------------------------------------------


def window_last_day(received_on: date) -> date:
    """The last day of the objection window of a conclusion received on ``received_on``: the
    fifth working day after it (p.109)."""
    return calendar.add_working_days(received_on, WINDOW_WORKING_DAYS)


def closes_at(last_day: date) -> datetime:
    """The moment a window whose last day is ``last_day`` closes: the end of that day, Almaty."""
    return clock.end_of_day(last_day)


def is_open(last_day: date, moment: datetime | None = None) -> bool:
    return (moment or clock.now()) <= closes_at(last_day)


@dataclass(frozen=True)
class TimeLeft:
    """What a page shows about a window: the last day, and how long is left until its end."""

    last_day: date
    closes_at: datetime
    is_open: bool
    working_days_left: int  # working days after today up to the last day (0 on the last day)
    hours_left: int  # whole hours left until the end of the last day (0 once closed)

    @property
    def is_last_day(self) -> bool:
        return self.is_open and self.working_days_left == 0


def time_left(last_day: date, moment: datetime | None = None) -> TimeLeft:
    moment = moment or clock.now()
    end = closes_at(last_day)
    open_ = moment <= end
    today = moment.astimezone(clock.ZONE).date()
    working = calendar.working_days_between(today, last_day) if open_ and last_day > today else 0
    hours = int((end - moment).total_seconds() // 3600) if open_ else 0
    return TimeLeft(last_day, end, open_, working, hours)


def decision_due(filed_on: date) -> date:
    """The day by which the special commission decides (p.114): 15 calendar days after the day
    the objection arrived (our reading: the seed gives no start)."""
    return filed_on + timedelta(days=DECISION_CALENDAR_DAYS)


def reminder_days(due_on: date) -> list[date]:
    """The days on which the commission is reminded of ``due_on``."""
    return [due_on - timedelta(days=n) for n in REMINDER_DAYS_BEFORE]


def handover_due(sitting_on: date) -> date:
    """p.119–120: the fifth working day after the day of the commission's sitting."""
    return calendar.add_working_days(sitting_on, HANDOVER_WORKING_DAYS)


def check_complaint_last_day(appeals_ended_on: date) -> date:
    """p.110: the last day a body may complain for a check of an individual result."""
    return calendar.add_working_days(appeals_ended_on, CHECK_COMPLAINT_WORKING_DAYS)


# --- Quorum and majority ---------------------------------------------------------------------


def quorum_problem(members: int, present: int) -> str | None:
    """Why a sitting of ``members`` with ``present`` present cannot decide, or None.

    Returns a code: ``"min_present"`` (fewer than 5 present, p.113) or ``"quorum"`` (not more
    than half of the sitting's members present).
    """
    if present < MIN_PRESENT:
        return "min_present"
    if present * 2 <= members:
        return "quorum"
    return None


@dataclass(frozen=True)
class Tally:
    accept: int
    reject: int
    outcome: str  # ACCEPT or REJECT
    by_chair: bool  # a tie broken by the chair's vote


class VotingError(ValueError):
    """Votes that do not make a decision; ``code`` says why (``missing``, ``outsider``,
    ``invalid``, ``no_chair``)."""

    def __init__(self, code: str, ids: tuple = ()) -> None:
        super().__init__(code)
        self.code = code
        self.ids = ids


def tally(votes: Mapping[int, str], *, present: set[int] | frozenset[int], chair_id: int) -> Tally:
    """The collegial decision on one row from the votes of the members present.

    ``votes`` maps a member (user id) to ``"accept"`` or ``"reject"``. Every member present must
    vote, and only they; the majority of the members present decides, the chair's vote breaks a
    tie (the chair presides and must be present).
    """
    outsiders = tuple(sorted(set(votes) - set(present)))
    if outsiders:
        raise VotingError("outsider", outsiders)
    missing = tuple(sorted(set(present) - set(votes)))
    if missing:
        raise VotingError("missing", missing)
    invalid = tuple(sorted(k for k, v in votes.items() if v not in (ACCEPT, REJECT)))
    if invalid:
        raise VotingError("invalid", invalid)
    if chair_id not in present:
        raise VotingError("no_chair", (chair_id,))
    accept = sum(1 for v in votes.values() if v == ACCEPT)
    reject = len(votes) - accept
    if accept != reject:
        return Tally(accept, reject, ACCEPT if accept > reject else REJECT, False)
    return Tally(accept, reject, votes[chair_id], True)
