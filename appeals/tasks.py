"""Beat jobs of the appeals (thin: call a service; the services are idempotent)."""

from __future__ import annotations

from celery import shared_task

from assessments.submission.tasks import QuarantineCheckJob


class _RowDocumentCheckJob(QuarantineCheckJob):
    registers = "appeals.services.filing"


@shared_task(name="appeals.tasks.row_document_check", base=_RowDocumentCheckJob)
def row_document_check(kind: str, pk: int) -> dict:
    """Check a document of an objection's row in quarantine (issue 16): accept it (the
    commission reads it), hold a picture for the body's head, or refuse and delete it."""
    import appeals.services.filing  # noqa: F401  (registers the kind)
    from assessments.submission.services.quarantine import quarantine_check

    return {"state": quarantine_check(kind, pk)}


@shared_task(name="appeals.tasks.objections_due")
def objections_due() -> dict:
    """Tables left unsigned past their window lapse (p.111); reminders before the commission's
    due date, escalation once it is overdue (p.114);
    services conclusions whose window closed with every objection ruled are settled (the
    chain of annexes 5 and 3)."""
    from appeals.services import objections_due_job, objections_lapse_job, services_chains_job

    return {**objections_lapse_job(), **objections_due_job(), **services_chains_job()}


@shared_task(name="appeals.tasks.handovers_due")
def handovers_due() -> dict:
    """Reminders of hand-overs of final conclusions to the Agency (p.116–121)."""
    from appeals.services import handovers_job

    return handovers_job()
