"""Requesting and rendering documents. Rendering is idempotent: a stored version is reused."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction

from assessments.kernel import clock
from assessments.kernel.leases import fault_point, job_fence
from reporting import renderers
from reporting.models import RenderedDocument
from reporting.rendering import render_pdf, sha256_hex


def document_request(
    *,
    kind: str,
    subject=None,
    version: int = 1,
    language: str = "ru",
    draft: bool = False,
    requested_by=None,
    render_now: bool = False,
    content_key: str = "",
) -> RenderedDocument:
    """Get or create the document row and schedule its rendering after commit.

    ``render_now`` renders synchronously in this process (used by services that must hand the
    bytes on at once, e.g. signing, and by ``demo_cycle``). ``content_key`` names the subject's
    content (see ``RenderedDocument``): a subject whose content can change under one version
    passes it, so that changed content is rendered anew instead of reusing the stored file.
    """
    renderers.get_renderer(kind)  # fail early on an unknown kind
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    document, _created = RenderedDocument.objects.get_or_create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        version=version,
        language=language,
        draft=draft,
        content_key=content_key,
        defaults={"requested_by": requested_by},
    )
    if document.state != RenderedDocument.State.RENDERED:
        if render_now:
            return document_render(document_id=document.pk)
        from assessments.kernel.leases import job_enqueue
        from reporting.tasks import render_document

        # the outbox: sent once this commits (or by the sweep when the broker is back)
        job_enqueue(render_document, document.pk, kind="render_document", subject=document,
                    unique=True)
    return document


def _store(document: RenderedDocument, data: bytes) -> None:
    """Write the bytes under their content address. A file already there with these very bytes
    (left by a run killed before its commit, or a twin document) is kept, not duplicated under
    another name; one with other bytes (a write cut short) is replaced."""
    from reporting.models import document_upload_to

    name = document_upload_to(document, "")
    storage = document.file.storage
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            if sha256_hex(stored.read()) == document.sha256:
                document.file.name = name
                return
        storage.delete(name)
    document.file.save(f"{document.sha256}.pdf", ContentFile(data), save=False)


def document_render(*, document_id: int) -> RenderedDocument:
    """Render one document; a document already rendered is returned as it is (idempotent).

    A failure is recorded on the row (state ``failed`` and the error) and then re-raised, outside
    the transaction that saved it, so that the record survives the exception.
    """
    failure: Exception | None = None
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().get(pk=document_id)
        if document.state == RenderedDocument.State.RENDERED and document.file:
            return document
        renderer = renderers.get_renderer(document.kind)
        try:
            template_name, context = renderer(document)
            data = render_pdf(
                template_name, context, language=document.language, draft=document.draft
            )
        except Exception as exc:
            document.state = RenderedDocument.State.FAILED
            document.error = f"{type(exc).__name__}: {exc}"
            document.save(update_fields=["state", "error"])
            failure = exc
        else:
            document.sha256 = sha256_hex(data)
            document.size = len(data)
            _store(document, data)
            fault_point("render.commit", document.pk)  # tests only: inert
            job_fence()  # a worker overtaken meanwhile commits nothing (kernel/leases.py)
            document.state = RenderedDocument.State.RENDERED
            document.error = ""
            document.rendered_at = clock.now()
            document.save()
            return document
    raise failure
