"""Thin Celery tasks of re-verification: the body's term to sign the reconciliation act (beat)."""

from celery import shared_task


@shared_task(name="assessments.tasks.reverification_act_terms")
def reverification_act_terms() -> int:
    """Beat job: remind the body's head before its act's term ends; tell the assessors once it
    has passed (p.19–20). Idempotent (keyed notifications)."""
    from assessments.reverification.services import act_terms_job

    return act_terms_job()
