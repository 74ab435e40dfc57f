"""Confirming documents (p.11, p.14–16): type and size checked by content, classification and
stamps checked, stored by SHA-256, never overwritten (a replacement is a new version).

:func:`document_check` is the reusable gate: re-verification's document requests (p.16) and
appeals call it too. It refuses a document that is declared secret or "Для служебного
пользования", or whose text carries such a stamp (p.16), and every file that could hurt the
server (``assessments.kernel.uploads``: real size, archive bombs, XML entities); the content is
read in a subprocess under a memory cap and a timeout, never in this process.

Evidence is not checked inside the web request (issue 16): :func:`evidence_upload` does the
cheap checks (classification, real size, type, an archive's directory), stores the file in
*quarantine* — invisible to evaluators — and queues ``evidence_check``; the check accepts it,
refuses it (the row and the file deleted, the refusal audited and listed for administrators), or,
for a picture or a scanned page whose stamp would be pixels, *holds* it until the body's head
confirms that it carries no restrictive stamp (:func:`evidence_confirm`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock, uploads
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.transitions import lock
from assessments.kernel.upload_checks import find_stamp  # noqa: F401  (re-exported)
from assessments.models import Classification, Evidence, RefusedUpload, Report
from assessments.models.evidence import REFUSED_CLASSIFICATIONS

MAX_EVIDENCE_BYTES = uploads.DOCUMENT_LIMITS.max_bytes
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg")


class DocumentRefused(DomainError):
    """A document the system must not accept; ``reason`` says why (p.16, issue 16)."""

    def __init__(self, message: str, *, reason: str, params: dict | None = None) -> None:
        super().__init__(message, code=reason)
        self.reason = reason
        self.params = dict(params or {})

    @classmethod
    def of(cls, refusal: uploads.UploadRefused) -> DocumentRefused:
        return cls(refusal.message, reason=refusal.reason, params=refusal.params)


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    file_type: str
    size: int
    sha256: str
    needs_confirmation: bool = False


def _stamp_refusal(stamp: str) -> DocumentRefused:
    return DocumentRefused(
        _("В тексте документа есть пометка «%(stamp)s»: такие документы не принимаются "
          "(п.16).") % {"stamp": stamp}, reason="stamp", params={"stamp": stamp})


def _classification_check(classification: str) -> None:
    if classification not in Classification.values:
        raise DocumentRefused(_("Укажите гриф (пометку) документа."), reason="classification")
    if classification in REFUSED_CLASSIFICATIONS:
        raise DocumentRefused(
            _("Документы с грифом «Секретно» или пометкой «Для служебного пользования» не "
              "принимаются и не запрашиваются (п.16)."),
            reason="classified",
        )


def _type_refusal(allowed_types) -> DocumentRefused:
    return DocumentRefused(
        _("Недопустимый тип файла (по содержимому). Допустимы: %(types)s.")
        % {"types": ", ".join(t.upper() for t in allowed_types)},
        reason="type",
    )


def _spool_checked(upload, *, max_bytes: int, allowed_types) -> tuple[uploads.Spooled, str]:
    """The cheap checks: real size (never cut), type by content, an archive's directory."""
    try:
        spooled = uploads.spool(upload, max_bytes)
    except uploads.UploadRefused as refusal:
        raise DocumentRefused.of(refusal) from None
    try:
        file_type = uploads.cheap_check(spooled.path, uploads.DOCUMENT_LIMITS)
        if file_type not in allowed_types:
            raise _type_refusal(allowed_types)
    except uploads.UploadRefused as refusal:
        spooled.discard()
        raise DocumentRefused.of(refusal) from None
    except BaseException:
        spooled.discard()
        raise
    return spooled, file_type


def _probe_refusal(result: dict) -> DocumentRefused | None:
    if not result.get("ok"):
        return DocumentRefused.of(uploads.UploadRefused(result.get("code", "probe"),
                                                        result.get("params")))
    if result.get("stamp"):
        return _stamp_refusal(result["stamp"])
    return None


def document_check(content, *, classification: str,
                   max_bytes: int = MAX_EVIDENCE_BYTES,
                   allowed_types: tuple[str, ...] = ALLOWED_TYPES) -> CheckedDocument:
    """Check a document before storing or requesting it (p.16): the declared classification,
    the real size, the type by content, the archive's directory, then — in a subprocess under a
    memory cap and a timeout — every text of it for the stamps. ``content`` is bytes or an
    upload. Raises :class:`DocumentRefused`."""
    _classification_check(classification)
    spooled, file_type = _spool_checked(content, max_bytes=max_bytes,
                                        allowed_types=allowed_types)
    try:
        result = uploads.probe(spooled.path, "document")
        refusal = _probe_refusal(result)
        if refusal is not None:
            raise refusal
        return CheckedDocument(spooled.read(), file_type, spooled.size, spooled.sha256,
                               bool(result.get("needs_confirmation")))
    finally:
        spooled.discard()


def evidence_upload(*, actor, report: Report, section_key: str, indicator: str, title: str,
                    upload, original_name: str, classification: str, language: str = "",
                    replaces: Evidence | None = None) -> Evidence:
    """Attach a document to a report's section or indicator; with ``replaces``, as its next
    version (the old one stays current until the new one is accepted). Only the cheap checks
    run here; the document waits in quarantine for ``evidence_check`` (queued on commit). A
    refusal is logged on the report with its reason and listed for administrators."""
    access.require(actor, "attach", report)
    try:
        _classification_check(classification)
        spooled, file_type = _spool_checked(upload, max_bytes=MAX_EVIDENCE_BYTES,
                                            allowed_types=ALLOWED_TYPES)
    except DocumentRefused as refusal:
        with transaction.atomic():
            _log_refusal(actor, report, original_name, refusal,
                         size=getattr(upload, "size", None) or (
                             len(upload) if isinstance(upload, bytes) else 0))
        raise
    try:
        with transaction.atomic():
            evidence = _store(actor=actor, report=report, section_key=section_key,
                              indicator=indicator, title=title, original_name=original_name,
                              classification=classification, language=language,
                              replaces=replaces, spooled=spooled, file_type=file_type)
            _queue_check(evidence)  # a leased job: the row now, the message once this commits
    finally:
        spooled.discard()
    return evidence


def _queue_check(evidence: Evidence):
    from assessments.kernel.jobs import job_enqueue
    from assessments.submission.tasks import evidence_check as task

    return job_enqueue(task, evidence.pk, kind="evidence_check", subject=evidence, unique=True,
                       label=f"evidence {evidence.sha256[:12]}")


def _store(*, actor, report, section_key, indicator, title, original_name, classification,
           language, replaces, spooled: uploads.Spooled, file_type: str) -> Evidence:
    report = lock(report)
    access.require(actor, "attach", report)
    version = 1
    if replaces is not None:
        replaces = Evidence.objects.select_for_update().get(pk=replaces.pk, report=report)
        if not replaces.is_current:
            raise DomainError(_("Этот документ уже заменён более новой версией."),
                              code="conflict")
        pending = Evidence.objects.filter(replaces=replaces).first()
        if pending is not None and pending.check_state == Evidence.CheckState.FAILED:
            # a new version whose check failed is superseded by this one
            audit_record(actor=actor, obj=report, action="evidence:removed",
                         changes={"evidence": (f"{pending.title} v{pending.version}", None)})
            failed_name = pending.file.name
            pending.delete()
            _delete_unused(failed_name)
        elif pending is not None:
            raise DomainError(_("Новая версия этого документа ещё проверяется."),
                              code="conflict")
        version = replaces.version + 1
        section_key, indicator = replaces.section_key, replaces.indicator
    evidence = Evidence(
        report=report, section_key=section_key, indicator=indicator,
        title=title or original_name, original_name=original_name[:255],
        file_type=file_type, size=spooled.size, sha256=spooled.sha256,
        classification=classification, language=language, uploaded_by=actor,
        uploaded_at=clock.now(), version=version, replaces=replaces,
        is_current=replaces is None, check_state=Evidence.CheckState.QUARANTINE,
    )
    name = evidence.file.field.upload_to(evidence, original_name)
    storage = evidence.file.storage
    if storage.exists(name):
        evidence.file.name = name  # the same bytes are already stored: never rewrite them
    else:
        evidence.file.save(name, ContentFile(spooled.read()), save=False)
    evidence.save()
    audit_record(actor=actor, obj=report, action="evidence:add",
                 changes={"evidence": (replaces.title if replaces else None,
                                       f"{evidence.title} v{version} {spooled.sha256[:12]}")})
    return evidence


def evidence_check(*, evidence_id: int) -> Evidence | None:
    """The quarantine's check (the task ``evidence_check``): every text of the stored file read
    for stamps, every archive and XML bound checked, in a subprocess under a memory cap and a
    timeout. Accepted → visible to the evaluators; refused → deleted and recorded; a picture or
    a scan → held for the body's head. Idempotent: a document already decided is left."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.check_state != Evidence.CheckState.QUARANTINE:
        return evidence
    result = uploads.probe(evidence.file.path, "document")
    refusal = _probe_refusal(result)
    if refusal is not None:
        _refuse(evidence_id, refusal)
        return None
    if result.get("needs_confirmation"):
        return _hold(evidence_id)
    return _accept(evidence_id, actor=None, reason="")


def evidence_check_abandoned(*, evidence_id: int) -> None:
    """The check's job ended unfinished (``tasks._EvidenceJob``): a document still in
    quarantine is refused like a file the probe could not check (``probe``: the refusal logged
    on the report and listed for administrators, the uploader notified to send it again), not
    accepted unchecked and not left "being checked" for ever. Idempotent."""
    with transaction.atomic():
        evidence = _locked(evidence_id)
        if evidence is None or evidence.check_state != Evidence.CheckState.QUARANTINE:
            return
        _refuse(evidence_id, DocumentRefused.of(uploads.UploadRefused("probe", None)))


def _locked(evidence_id: int) -> Evidence | None:
    evidence = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if evidence is None:
        return None
    lock(evidence.report)
    return Evidence.objects.select_for_update().select_related("report").get(pk=evidence_id)


@transaction.atomic
def _accept(evidence_id: int, *, actor, reason: str) -> Evidence | None:
    evidence = _locked(evidence_id)
    if evidence is None or evidence.check_state == Evidence.CheckState.ACCEPTED:
        return evidence
    if evidence.replaces_id:
        Evidence.objects.filter(pk=evidence.replaces_id).update(is_current=False)
    evidence.check_state = Evidence.CheckState.ACCEPTED
    evidence.is_current = True
    evidence.checked_at = clock.now()
    evidence.save(update_fields=["check_state", "is_current", "checked_at"])
    audit_record(actor=actor, obj=evidence.report, action="evidence:accepted",
                 changes={"evidence": (None, f"{evidence.title} v{evidence.version}")},
                 reason=reason)
    return evidence


@transaction.atomic
def _hold(evidence_id: int) -> Evidence | None:
    from assessments.kernel.people import people
    from assessments.models import Role

    evidence = _locked(evidence_id)
    if evidence is None or evidence.check_state != Evidence.CheckState.QUARANTINE:
        return evidence
    evidence.check_state = Evidence.CheckState.HELD
    evidence.checked_at = clock.now()
    evidence.save(update_fields=["check_state", "checked_at"])
    audit_record(actor=None, obj=evidence.report, action="evidence:held",
                 changes={"evidence": (None, f"{evidence.title} v{evidence.version}")})
    heads = people(organisation_id=evidence.report.body_id, roles=[Role.BODY_HEAD])
    from django.urls import reverse

    notify(heads, _("Документ «%(t)s» — изображение или скан: подтвердите, что на нём нет "
                    "пометки «ДСП» или грифа секретности (п.16).") % {"t": evidence.title},
           reverse("submission:report_detail", args=[evidence.report_id]))
    return evidence


@transaction.atomic
def _refuse(evidence_id: int, refusal: DocumentRefused, *, actor=None) -> None:
    evidence = _locked(evidence_id)
    if evidence is None:
        return
    report, name = evidence.report, evidence.file.name
    _log_refusal(actor or evidence.uploaded_by, report, evidence.original_name, refusal,
                 size=evidence.size, sha256=evidence.sha256, file_type=evidence.file_type,
                 recorded_actor=evidence.uploaded_by)
    evidence.delete()
    _delete_unused(name)
    notify([evidence.uploaded_by], _("Документ «%(t)s» не принят: %(why)s")
           % {"t": evidence.title, "why": refusal.message},
           _report_link(report))


def _delete_unused(name: str) -> None:
    if name and not Evidence.objects.filter(file=name).exists():
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def _report_link(report) -> str:
    from django.urls import reverse

    return reverse("submission:report_detail", args=[report.pk])


def evidence_confirm(*, actor, evidence: Evidence, carries_no_stamp: bool,
                     reason: str = "") -> Evidence | None:
    """The body's head looks at a held picture or scan: no restrictive stamp → accepted (the
    head named in the audit entry); a stamp → refused and deleted like any stamped file."""
    access.require(actor, "confirm_classification", evidence)
    if evidence.check_state != Evidence.CheckState.HELD:
        raise DomainError(_("Этот документ не ждёт подтверждения."), code="state")
    if carries_no_stamp:
        return _accept(evidence.pk, actor=actor, reason=reason or _(
            "Руководитель органа подтвердил: на изображении нет ограничительной пометки."))
    _refuse(evidence.pk, DocumentRefused(
        _("Руководитель органа отметил на изображении ограничительную пометку: документ не "
          "принят (п.16)."), reason="stamp_seen"), actor=actor)
    return None


def _log_refusal(actor, report: Report, name: str, refusal: DocumentRefused, *, size=0,
                 sha256: str = "", file_type: str = "", recorded_actor=None) -> None:
    audit_record(actor=actor, obj=report, action="evidence:refused",
                 changes={"file": (None, name)}, reason=refusal.message)
    uploads.refusal_record(purpose=RefusedUpload.Purpose.EVIDENCE,
                           actor=recorded_actor or actor, original_name=name,
                           code=refusal.reason, params=refusal.params, size=size or 0,
                           sha256=sha256, file_type=file_type, subject=report)


def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Remove a document whose check failed (or that still waits): the body's staff or its
    uploader; the same file may then be attached again (issue 16)."""
    from assessments.submission.services.quarantine import quarantine_remove

    quarantine_remove("evidence", actor=actor, row=evidence)


def _register_kind() -> None:
    from assessments.submission.services.quarantine import Kind, register

    register(Kind(
        key="evidence", model=Evidence, purpose=RefusedUpload.Purpose.EVIDENCE,
        task="assessments.tasks.evidence_check", subject=lambda e: e.report,
        body_id=lambda e: e.report.body_id, link=lambda e: _report_link(e.report),
        lock=lambda e: lock(e.report), action="evidence",
        download=lambda e: _reverse("submission:evidence_download", e.pk),
    ))


def _reverse(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


_register_kind()
