"""Thin Celery tasks of re-verification: the body's term to sign the reconciliation act (beat),
the check of a document in quarantine."""

from celery import shared_task

from assessments.submission.tasks import QuarantineCheckJob


class _ConfirmingCheckJob(QuarantineCheckJob):
    registers = "assessments.reverification.services.requests"


@shared_task(name="assessments.tasks.confirming_document_check", base=_ConfirmingCheckJob)
def confirming_document_check(kind: str, pk: int) -> dict:
    """Check a document the body sent in answer to a request, in quarantine (issue 16): accept
    it (the request answered), hold a picture for the body's head, or refuse and delete it."""
    import assessments.reverification.services.requests  # noqa: F401  (registers the kind)
    from assessments.submission.services.quarantine import quarantine_check

    return {"state": quarantine_check(kind, pk)}


@shared_task(name="assessments.tasks.reverification_act_terms")
def reverification_act_terms() -> int:
    """Beat job: remind the body's head before its act's term ends; tell the assessors once it
    has passed (p.19–20). Idempotent (keyed notifications)."""
    from assessments.reverification.services import act_terms_job

    return act_terms_job()
