"""Thin Celery tasks of conclusions: the objection windows' closing (beat).

Each task keeps the name it had in ``assessments.tasks`` (beat's schedule, queued messages and
results name tasks by string)."""

from celery import shared_task


@shared_task(name="assessments.tasks.conclusion_windows_close")
def conclusion_windows_close() -> int:
    """Beat job: issued conclusions whose objection window has closed become final (p.111)."""
    from assessments.conclusions.services import conclusion_windows_close as close

    return len(close())
