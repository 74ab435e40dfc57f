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
