"""Documents in quarantine (issue 16), whatever they are attached to: a report's evidence, a
document answering a re-verification request, a document of an objection's row.

A document is stored *in quarantine* after the cheap checks of the web request (classification,
real size, type by content, an archive's directory) and checked by a task — every text read for
the stamps, every archive and XML bound — in a subprocess under a memory cap and a timeout
(``assessments.kernel.uploads.probe``). Until then nobody but its uploader sees it (the evidence of
a report: its body's staff). The check ends in one of:

* **accepted** — visible where the document belongs; the kind's ``accepted`` hook runs (a
  request is answered);
* **held** — a picture or a scan whose stamp would be pixels: the body's head looks at it and
  confirms it carries no restrictive stamp (accepted) or refuses it;
* **refused** — the row and the file deleted, the refusal on the audit trail, listed for
  administrators (``RefusedUpload``, shown to the uploader on the page it was uploaded to) and the
  uploader notified;
* **failed** — the check could not be completed (its job failed for good: the worker lost past
  the last attempt, an error, cancelled by an operator): the document is never accepted, its
  reason is shown to the uploader, who is notified and removes it (:func:`quarantine_remove`)
  to upload it again.

A kind is registered by its feature (:func:`register`): what its rows hang on (the audit's
subject, the page's link, the body whose head confirms a picture) and what acceptance does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.kernel import clock, uploads
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import CheckState


def _nothing(row, actor) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """What the quarantine needs to know about one model of documents."""

    key: str                                   # "evidence", "confirming", "appeal"
    model: type[models.Model]
    purpose: str                               # RefusedUpload.Purpose
    task: str                                  # the name of the task that checks one row
    subject: Callable[[models.Model], models.Model]   # the audit's object (report, rv, objection)
    body_id: Callable[[models.Model], int]            # whose head confirms a held picture
    link: Callable[[models.Model], str]               # the page the document is listed on
    lock: Callable[[models.Model], None]              # lock its parents (the path's lock order)
    download: Callable[[models.Model], str] = field(default=lambda row: "")  # the file's URL
    accepted: Callable[[models.Model, object], None] = field(default=_nothing)
    action: str = "document"                   # the audit entries' prefix


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def kind_of(key: str) -> Kind:
    """The registered kind (its feature's services module registers it when imported: the
    tasks import it before they ask)."""
    return KINDS[key]


# --- visibility -------------------------------------------------------------------------------

def visible_q(p, prefix: str = "", *, body_head_of: str | None = None) -> Q:
    """A rule's filter for documents in quarantine: accepted ones for whoever sees where they
    belong (``Q`` to AND with that rule), anything else only for its uploader — and a held one
    also for the body's head who confirms it (``body_head_of``: the path to the body's id)."""
    q = Q(**{f"{prefix}check_state": CheckState.ACCEPTED})
    user_id = getattr(p.user, "pk", None)
    if user_id:
        q |= Q(**{f"{prefix}uploaded_by_id": user_id})
    if body_head_of is not None:
        from assessments.models import Role

        heads = sorted(m.organisation_id for m in p.memberships if m.role == Role.BODY_HEAD)
        if heads:
            q |= Q(**{f"{prefix}check_state": CheckState.HELD, f"{body_head_of}__in": heads})
    return q


# --- the request: cheap checks, stored in quarantine, the check queued ----------------------

def spool_checked(kind: Kind, *, actor, subject, upload, original_name: str,
                  classification: str) -> tuple[uploads.Spooled, str]:
    """The checks that are safe in a web request; a refusal is recorded (audit, the list for
    administrators, the page) and raised as ``DocumentRefused``."""
    from assessments.submission.services.evidence import (
        ALLOWED_TYPES,
        MAX_EVIDENCE_BYTES,
        DocumentRefused,
        _classification_check,
        _spool_checked,
    )

    try:
        _classification_check(classification)
        return _spool_checked(upload, max_bytes=MAX_EVIDENCE_BYTES, allowed_types=ALLOWED_TYPES)
    except DocumentRefused as refusal:
        size = getattr(upload, "size", None) or (len(upload) if isinstance(upload, bytes) else 0)
        with transaction.atomic():
            record_refusal(kind, actor=actor, subject=subject, original_name=original_name,
                           refusal=refusal, size=size)
        raise


def store(kind: Kind, row: models.Model, spooled: uploads.Spooled, *, actor) -> models.Model:
    """Save ``row`` (its parent and fields set by the caller, inside the caller's transaction)
    in quarantine with its file stored under its SHA-256, and queue its check."""
    row.check_state = CheckState.QUARANTINE
    row.size, row.sha256 = spooled.size, spooled.sha256
    name = row.file.field.upload_to(row, row.original_name)
    if row.file.storage.exists(name):
        row.file.name = name  # the same bytes are stored already: never rewrite them
    else:
        row.file.save(name, ContentFile(spooled.read()), save=False)
    row.save()
    queue_check(kind, row)
    return row


def queue_check(kind: Kind, row: models.Model):
    from assessments.kernel.jobs import job_enqueue

    # the task by its name (the feature's tasks module is loaded when the job is sent)
    return job_enqueue(kind.task, kind.key, row.pk,
                       kind=f"{kind.key}_check", subject=row, unique=True,
                       label=f"{kind.key} {row.sha256[:12]}")


# --- the task: check, then accept, hold or refuse -----------------------------------------------

def quarantine_check(key: str, pk: int) -> str:
    """The check of one document in quarantine (the task's body); idempotent: a document
    already decided (or gone) is left. Returns the state it ends in ("refused" when deleted)."""
    from assessments.submission.services.evidence import _probe_refusal

    kind = kind_of(key)
    row = kind.model.objects.filter(pk=pk).first()
    if row is None:
        return "refused"
    if row.check_state != CheckState.QUARANTINE:
        return row.check_state
    result = uploads.probe(row.file.path, "document")
    refusal = _probe_refusal(result)
    if refusal is not None:
        _refuse(kind, pk, refusal)
        return "refused"
    if result.get("needs_confirmation"):
        return _hold(kind, pk)
    return _accept(kind, pk, actor=None, reason="")


def _locked(kind: Kind, pk: int):
    row = kind.model.objects.filter(pk=pk).first()
    if row is None:
        return None
    kind.lock(row)
    return kind.model.objects.select_for_update().filter(pk=pk).first()


@transaction.atomic
def _accept(kind: Kind, pk: int, *, actor, reason: str) -> str:
    row = _locked(kind, pk)
    if row is None:
        return "refused"
    if row.check_state == CheckState.ACCEPTED:
        return row.check_state
    row.check_state, row.checked_at, row.check_reason = CheckState.ACCEPTED, clock.now(), {}
    row.save(update_fields=["check_state", "checked_at", "check_reason"])
    audit_record(actor=actor, obj=kind.subject(row), action=f"{kind.action}:accepted",
                 changes={"document": (None, f"{row.original_name} {row.sha256[:12]}")},
                 reason=reason)
    kind.accepted(row, actor)
    return row.check_state


@transaction.atomic
def _hold(kind: Kind, pk: int) -> str:
    from assessments.kernel.people import people
    from assessments.models import Role

    row = _locked(kind, pk)
    if row is None:
        return "refused"
    if row.check_state != CheckState.QUARANTINE:
        return row.check_state
    row.check_state, row.checked_at = CheckState.HELD, clock.now()
    row.save(update_fields=["check_state", "checked_at"])
    audit_record(actor=None, obj=kind.subject(row), action=f"{kind.action}:held",
                 changes={"document": (None, row.original_name)})
    heads = people(organisation_id=kind.body_id(row), roles=[Role.BODY_HEAD])
    notify(heads, _("Документ «%(t)s» — изображение или скан: подтвердите, что на нём нет "
                    "пометки «ДСП» или грифа секретности (п.16).") % {"t": row.original_name},
           kind.link(row))
    return row.check_state


@transaction.atomic
def _refuse(kind: Kind, pk: int, refusal, *, actor=None) -> None:
    row = _locked(kind, pk)
    if row is None:
        return
    subject, name, uploader = kind.subject(row), row.file.name, row.uploaded_by
    record_refusal(kind, actor=actor or uploader, subject=subject,
                   original_name=row.original_name, refusal=refusal, size=row.size,
                   sha256=row.sha256, file_type=row.file_type, recorded_actor=uploader)
    link = kind.link(row)
    row.delete()
    _delete_file_if_unused(kind, name)
    notify([uploader], _("Документ «%(t)s» не принят: %(why)s")
           % {"t": row.original_name, "why": refusal.message}, link)


def _delete_file_if_unused(kind: Kind, name: str) -> None:
    """The stored bytes go once no row of the kind names them (content-addressed names are
    shared by the same bytes uploaded twice)."""
    if name and not kind.model.objects.filter(file=name).exists():
        storage = kind.model._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def record_refusal(kind: Kind, *, actor, subject, original_name: str, refusal, size: int = 0,
                   sha256: str = "", file_type: str = "", recorded_actor=None) -> None:
    audit_record(actor=actor, obj=subject, action=f"{kind.action}:refused",
                 changes={"file": (None, (original_name or "")[:255])}, reason=refusal.message)
    uploads.refusal_record(purpose=kind.purpose, actor=recorded_actor or actor,
                           original_name=original_name, code=refusal.reason,
                           params=refusal.params, size=size or 0, sha256=sha256,
                           file_type=file_type, subject=subject)


# --- the body's head on a held picture ------------------------------------------------------

def quarantine_confirm(key: str, *, actor, row, carries_no_stamp: bool) -> str:
    """The body's head looks at a held picture or scan: no restrictive stamp → accepted (the
    head named in the audit entry); a stamp → refused and deleted like any stamped file."""
    from assessments.kernel import access
    from assessments.submission.services.evidence import DocumentRefused

    kind = kind_of(key)
    access.require(actor, "confirm_classification", row)
    if row.check_state != CheckState.HELD:
        raise DomainError(_("Этот документ не ждёт подтверждения."), code="state")
    if carries_no_stamp:
        return _accept(kind, row.pk, actor=actor, reason=_(
            "Руководитель органа подтвердил: на изображении нет ограничительной пометки."))
    _refuse(kind, row.pk, DocumentRefused(
        _("Руководитель органа отметил на изображении ограничительную пометку: документ не "
          "принят (п.16)."), reason="stamp_seen"), actor=actor)
    return "refused"


# --- a check that could not be completed -----------------------------------------------------

@transaction.atomic
def quarantine_failed(key: str, pk: int, reason: dict) -> None:
    """The check's job ended without finishing (its last attempt lost, an error, cancelled): the
    document is left *failed* with the reason — never accepted, never "Проверяется" for good —
    and its uploader is told; they remove it and upload it again."""
    kind = kind_of(key)
    row = _locked(kind, pk)
    if row is None or row.check_state != CheckState.QUARANTINE:
        return
    code = reason.get("code") if reason.get("code") in uploads.CHECK_FAILURES else "error"
    row.check_state, row.checked_at = CheckState.FAILED, clock.now()
    row.check_reason = {"code": code, "params": reason.get("params") or {}}
    row.save(update_fields=["check_state", "checked_at", "check_reason"])
    audit_record(actor=None, obj=kind.subject(row), action=f"{kind.action}:check_failed",
                 changes={"document": (None, row.original_name)},
                 reason=uploads.check_failure_text(row.check_reason))
    notify([row.uploaded_by], _("Проверка документа «%(t)s» не завершена: %(why)s")
           % {"t": row.original_name, "why": uploads.check_failure_text(row.check_reason)},
           kind.link(row))


def quarantine_remove(key: str, *, actor, row) -> None:
    """The uploader removes a document whose check failed (or that still waits): the row and
    its file go (audited); the same file may then be uploaded again."""
    kind = kind_of(key)
    with transaction.atomic():
        row = _locked(kind, row.pk)
        if row is None:
            return
        if row.uploaded_by_id != getattr(actor, "pk", None) and not _may_remove(actor, row):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if row.check_state == CheckState.ACCEPTED:
            raise DomainError(_("Принятый документ не удаляется."), code="state")
        name = row.file.name
        audit_record(actor=actor, obj=kind.subject(row), action=f"{kind.action}:removed",
                     changes={"document": (row.original_name, None)})
        row.delete()
        _delete_file_if_unused(kind, name)


def _may_remove(actor, row) -> bool:
    from assessments.kernel import access

    return access.can(actor, "remove_unaccepted", row)
