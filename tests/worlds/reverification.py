"""The re-verification world's helpers: PDFs with and without a "ДСП" stamp, an upload of one,
findings recorded on a re-verification (its fixtures, in tests/worlds/fixtures.py, play the
personas' 2025 cycle in February 2026, inside the schedule's re-verification window)."""

from __future__ import annotations

from tests.worlds.factories import PASSPHRASE

__all__ = ["PASSPHRASE", "pdf_bytes", "record", "upload"]


def pdf_bytes(text: str = "Протокол заседания рабочей группы") -> bytes:
    """A small real PDF whose text is ``text`` (rendered through the reporting service)."""
    from reporting.rendering import render_pdf

    return render_pdf("pdf/sample.html", {
        "version": 1, "title_ru": text, "title_kk": "Құжат", "body_ru": text, "body_kk": "",
        "kazakh_letters": "Ә",
    })


def upload(data: bytes, name: str = "protocol.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def record(rv, actor, kind="unreliable", n=1, section="Таблица 1"):
    from assessments.reverification.services import finding_record

    return [
        finding_record(actor=actor, reverification=rv, kind=kind,
                       description=f"Факт {kind} № {i + 1}: сведения не соответствуют "
                                   f"документам", report_section=section)
        for i in range(n)
    ]


def confirming_upload_checked(**kwargs):
    """Upload a document answering a request and run its quarantine check at once (the body of
    the task ``confirming_document_check``, which the upload queues for after its commit)."""
    from assessments.reverification.services import confirming_document_upload
    from assessments.submission.services.quarantine import quarantine_check

    document = confirming_document_upload(**kwargs)
    quarantine_check("confirming", document.pk)
    document.refresh_from_db()
    return document
