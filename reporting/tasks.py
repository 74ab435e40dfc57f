"""Thin Celery tasks of the reporting service: they take ids and call a service."""

from celery import shared_task

from assessments.kernel.leases import LeasedTask


class _RenderJob(LeasedTask):
    """A rendering whose job ends without finishing (its worker lost past the last attempt,
    cancelled) leaves its document failed with the reason, not "requested" for ever."""

    def job_ended(self, job, reason: dict) -> None:
        from assessments.kernel.leases import reason_text
        from reporting.models import RenderedDocument

        RenderedDocument.objects.filter(pk=job.task_args[0]).exclude(
            state=RenderedDocument.State.RENDERED).update(
                state=RenderedDocument.State.FAILED, error=reason_text(reason)[:2000])


@shared_task(name="reporting.tasks.render_document", bind=True, max_retries=3,
             default_retry_delay=10, acks_late=True, base=_RenderJob)
def render_document(self, document_id: int) -> str:
    """Render one document (idempotent: same version → same stored file); returns its SHA-256."""
    from reporting.services import document_render

    return document_render(document_id=document_id).sha256
