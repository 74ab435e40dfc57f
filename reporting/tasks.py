"""Thin Celery tasks of the reporting service: they take ids and call a service."""

from celery import shared_task


@shared_task(name="reporting.tasks.render_document", bind=True, max_retries=3,
             default_retry_delay=10, acks_late=True)
def render_document(self, document_id: int) -> str:
    """Render one document (idempotent: same version → same stored file); returns its SHA-256."""
    from reporting.services import document_render

    return document_render(document_id=document_id).sha256
