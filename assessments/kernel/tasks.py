"""Thin Celery tasks of the kernel: the calendar's heartbeat and the notifications' e-mail.

Each task keeps the name it had in ``assessments.tasks`` (beat's schedule, queued messages and
results name tasks by string)."""

from celery import shared_task


@shared_task(name="assessments.tasks.calendar_heartbeat")
def calendar_heartbeat() -> dict:
    """Beat job: report today's date and the next working day (proves the worker's clock)."""
    from assessments.kernel import calendar, clock

    today = clock.today()
    return {
        "today": today.isoformat(),
        "working_day": calendar.is_working_day(today),
        "next_working_day": calendar.add_working_days(today, 1).isoformat(),
    }


@shared_task(name="assessments.tasks.add_working_days_task")
def add_working_days_task(day: str, n: int) -> str:
    """A calendar computation run on a worker (used by the worker test)."""
    from datetime import date

    from assessments.kernel import calendar

    return calendar.add_working_days(date.fromisoformat(day), n).isoformat()


@shared_task(name="assessments.tasks.send_notification_emails")
def send_notification_emails(ids: list[int]) -> int:
    """E-mail copies of in-app notifications (idempotent: each is e-mailed once)."""
    from assessments.kernel.notifications import send_emails

    return send_emails(ids)


@shared_task(name="assessments.tasks.jobs_sweep", leased=False)
def jobs_sweep() -> dict:
    """Beat job (every minute) and at a worker's start: resume or fail jobs whose lease lapsed,
    send what waited in the outbox while the broker was away, send lost messages again."""
    from assessments.kernel.leases import jobs_sweep as run

    return run()
