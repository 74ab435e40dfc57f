"""Confirming documents (p.11, p.14–16): type and size checked by content, classification and
stamps checked, stored by SHA-256, never overwritten (a replacement is a new version).

:func:`document_check` is the reusable gate: re-verification's document requests (p.16) and
appeals call it too. It refuses a document that is declared secret or "Для служебного
пользования", or whose text (PDF, DOCX) carries such a stamp (p.16).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock
from assessments.models import Classification, Evidence, Report
from assessments.models.evidence import REFUSED_CLASSIFICATIONS

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "png", "jpeg")

# Stamps that mark a document as not to be requested or stored (p.16). Matched on the text with
# whitespace collapsed, case-insensitively; "ДСП" only as a whole word.
_STAMP_PATTERNS = (
    (re.compile(r"для\s+служебного\s+пользования", re.I), "Для служебного пользования"),
    (re.compile(r"(?<![0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі])ДСП(?![0-9A-Za-zА-Яа-яЁё])"), "ДСП"),
    (re.compile(r"(?<![А-Яа-яЁё])(совершенно\s+)?секретно(?![А-Яа-яЁё])", re.I), "Секретно"),
    (re.compile(r"қызмет\s+бабында\s+пайдалану\s+үшін", re.I), "Қызмет бабында пайдалану үшін"),
    (re.compile(r"(?<![А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі])құпия(?![А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі])", re.I),
     "Құпия"),
)


class DocumentRefused(DomainError):
    """A document the system must not accept; ``reason`` says why (p.16)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, code=reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    file_type: str
    size: int
    sha256: str


def sniff_type(head: bytes, content: bytes | None = None) -> str | None:
    """The file's type from its first bytes (never from its name)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04") and content is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def document_text(content: bytes, file_type: str, *, max_pages: int = 50) -> str:
    """The text of a PDF or DOCX (first pages; headers and footers included for DOCX)."""
    if file_type == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        parts = []
        for page in reader.pages[:max_pages]:
            try:
                parts.append(page.extract_text() or "")
            except Exception:  # a damaged page does not hide the others
                continue
        return "\n".join(parts)
    if file_type == "docx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = []
            for name in archive.namelist():
                if name.startswith("word/") and name.endswith(".xml") and (
                    name == "word/document.xml" or "header" in name or "footer" in name
                ):
                    xml = archive.read(name).decode("utf-8", "replace")
                    # paragraphs apart, runs joined: a stamp split across runs is still found
                    xml = re.sub(r"</w:p>", "\n", xml)
                    parts.append(re.sub(r"<[^>]+>", "", xml))
            return "\n".join(parts)
    return ""


def find_stamp(text: str) -> str | None:
    """The restrictive stamp found in ``text``, or None."""
    flat = re.sub(r"\s+", " ", text)
    for pattern, name in _STAMP_PATTERNS:
        if pattern.search(flat):
            return name
    return None


def document_check(content: bytes, *, classification: str,
                   max_bytes: int = MAX_EVIDENCE_BYTES,
                   allowed_types: tuple[str, ...] = ALLOWED_TYPES) -> CheckedDocument:
    """Check a document before storing or requesting it (p.16): size, type by content, the
    declared classification and the stamps in its text. Raises :class:`DocumentRefused`."""
    if classification not in Classification.values:
        raise DocumentRefused(_("Укажите гриф (пометку) документа."), reason="classification")
    if classification in REFUSED_CLASSIFICATIONS:
        raise DocumentRefused(
            _("Документы с грифом «Секретно» или пометкой «Для служебного пользования» не "
              "принимаются и не запрашиваются (п.16)."),
            reason="classified",
        )
    size = len(content)
    if size == 0:
        raise DocumentRefused(_("Файл пуст."), reason="empty")
    if size > max_bytes:
        raise DocumentRefused(
            _("Файл больше допустимого размера (%(mb)s МБ).") % {"mb": max_bytes // (1024 * 1024)},
            reason="size",
        )
    file_type = sniff_type(content[:16], content)
    if file_type not in allowed_types:
        raise DocumentRefused(
            _("Недопустимый тип файла (по содержимому). Допустимы: %(types)s.")
            % {"types": ", ".join(t.upper() for t in allowed_types)},
            reason="type",
        )
    try:
        text = document_text(content, file_type)
    except Exception:
        raise DocumentRefused(_("Файл повреждён или не читается."), reason="unreadable")
    stamp = find_stamp(text)
    if stamp:
        raise DocumentRefused(
            _("В тексте документа есть пометка «%(stamp)s»: такие документы не принимаются "
              "(п.16).") % {"stamp": stamp},
            reason="stamp",
        )
    return CheckedDocument(content, file_type, size, hashlib.sha256(content).hexdigest())


def _read(upload) -> bytes:
    if isinstance(upload, bytes):
        return upload
    chunks = []
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > MAX_EVIDENCE_BYTES + 1:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def evidence_upload(*, actor, report: Report, section_key: str, indicator: str, title: str,
                    upload, original_name: str, classification: str, language: str = "",
                    replaces: Evidence | None = None) -> Evidence:
    """Attach a document to a report's section or indicator; with ``replaces``, as its next
    version (the old one is kept). A refusal is logged on the report with its reason."""
    access.require(actor, "attach", report)
    content = _read(upload)
    try:
        checked = document_check(content, classification=classification)
    except DocumentRefused as refusal:
        with transaction.atomic():
            _log_refusal(actor, report, original_name, refusal)
        raise
    with transaction.atomic():
        return _store(actor=actor, report=report, section_key=section_key, indicator=indicator,
                      title=title, original_name=original_name, classification=classification,
                      language=language, replaces=replaces, checked=checked)


def _store(*, actor, report, section_key, indicator, title, original_name, classification,
           language, replaces, checked: CheckedDocument) -> Evidence:
    report = lock(report)
    access.require(actor, "attach", report)
    version = 1
    if replaces is not None:
        replaces = Evidence.objects.select_for_update().get(pk=replaces.pk, report=report)
        if not replaces.is_current:
            raise DomainError(_("Этот документ уже заменён более новой версией."),
                              code="conflict")
        version = replaces.version + 1
        section_key, indicator = replaces.section_key, replaces.indicator
        Evidence.objects.filter(pk=replaces.pk).update(is_current=False)
    evidence = Evidence(
        report=report, section_key=section_key, indicator=indicator,
        title=title or original_name, original_name=original_name[:255],
        file_type=checked.file_type, size=checked.size, sha256=checked.sha256,
        classification=classification, language=language, uploaded_by=actor,
        uploaded_at=clock.now(), version=version, replaces=replaces,
    )
    name = evidence.file.field.upload_to(evidence, original_name)
    storage = evidence.file.storage
    if storage.exists(name):
        evidence.file.name = name  # the same bytes are already stored: never rewrite them
    else:
        evidence.file.save(name, ContentFile(checked.content), save=False)
    evidence.save()
    audit_record(actor=actor, obj=report, action="evidence:add",
                 changes={"evidence": (replaces.title if replaces else None,
                                       f"{evidence.title} v{version} {checked.sha256[:12]}")})
    return evidence


def _log_refusal(actor, report: Report, name: str, refusal: DocumentRefused) -> None:
    audit_record(actor=actor, obj=report, action="evidence:refused",
                 changes={"file": (None, name)}, reason=refusal.message)
