"""Thin Celery tasks of the assessment cycle."""

from celery import shared_task


@shared_task
def calendar_heartbeat() -> dict:
    """Beat job: report today's date and the next working day (proves the worker's clock)."""
    from assessments.services import calendar, clock

    today = clock.today()
    return {
        "today": today.isoformat(),
        "working_day": calendar.is_working_day(today),
        "next_working_day": calendar.add_working_days(today, 1).isoformat(),
    }


@shared_task
def add_working_days_task(day: str, n: int) -> str:
    """A calendar computation run on a worker (used by the worker test)."""
    from datetime import date

    from assessments.services import calendar

    return calendar.add_working_days(date.fromisoformat(day), n).isoformat()
