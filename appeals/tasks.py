"""Beat jobs of the appeals (thin: call a service; the services are idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="appeals.tasks.objections_due")
def objections_due() -> dict:
    """Reminders before the commission's due date, escalation once it is overdue (p.114)."""
    from appeals.services import objections_due_job

    return objections_due_job()


@shared_task(name="appeals.tasks.handovers_due")
def handovers_due() -> dict:
    """Reminders of hand-overs of final conclusions to the Agency (p.116–121)."""
    from appeals.services import handovers_job

    return handovers_job()
