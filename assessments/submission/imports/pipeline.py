"""Import pipeline: upload → validate (streamed, rows staged, errors by row and column) →
preview → apply (atomic, idempotent) — the one path the page, the tasks and the benchmark use.

    import_upload(actor=, cycle=, kind=, upload=, original_name=) -> ImportBatch
    import_validate(batch_id=) -> ImportBatch           (task; progress on the batch)
    import_apply(batch_id=, actor=) -> ImportBatch      (task; all or nothing)
    import_confirm(batch_id=, actor=) -> ImportBatch    (the page: APPLYING, apply queued)
    import_discard(batch_id=, actor=) -> ImportBatch    (staged rows deleted)
    import_staging_expire() -> dict                     (beat: staged rows of batches
                                                         validated and left for two days)

Reasons (a row's error, a batch's failure) are stored as codes and parameters
(``reasons.py``) and put into words when shown, in the reader's language.

Idempotence: a file whose SHA-256 was already applied (same cycle and kind) is refused with the
earlier batch named; rows are keyed (``ImportRecord.row_key``), so an overlapping file updates
the rows it changes, adds the others and leaves the rest, never duplicates.

Scale (``benchmarks/import_monitoring.py``: a million rows): the file is read streamed
(``readers``), each row checked against BINs, service codes and dates looked up once
(``kinds.Lookups``), only the first errors kept with the counts. On PostgreSQL the valid rows go
into the unlogged staging table by ``COPY`` as they are read, and the apply is set-based: one
``DELETE`` of the rows the file changes and one ``INSERT … SELECT`` of the rows not there (then
the staging rows are deleted); elsewhere (SQLite) the ORM does the same in chunks with
``bulk_create(update_conflicts=True)``.

This module is the entry point; the staging (``COPY`` or ``bulk_create``) is in ``staging.py``,
the two apply paths (set-based on PostgreSQL, the ORM elsewhere) in ``applying.py``. A test that
patches ``_pg`` here changes the apply path only: the staging asks ``staging._pg``.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import tempfile
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.kernel import access, clock, uploads
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.jobs import job_enqueue
from assessments.kernel.leases import JobStopped, job_cancel_about, job_fence, job_should_stop
from assessments.models import ImportBatch, ImportRecord, ImportStagingRow
from assessments.submission.imports.applying import _apply_orm, _apply_pg, _refusal
from assessments.submission.imports.kinds import PARSERS, SPECS, Lookups, RowError
from assessments.submission.imports.readers import FileFormatError, detect_format, open_source
from assessments.submission.imports.reasons import REASONS
from assessments.submission.imports.staging import _pg, _Stager

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000
MAX_IMPORT_BYTES = uploads.IMPORT_LIMITS.max_bytes


# What each state change says in the batch's history (django-fsm-log ``description``): stored in
# Russian, the msgid, and translated when the page shows it (the worker and the clock have no
# reader's language). The user is ``by``; None for the worker and the clock.
NOTES = {
    "validate": gettext_lazy("Проверка файла начата"),
    "revalidate": gettext_lazy("Проверка файла начата заново: прежний исполнитель фоновых задач "
                               "пропал; проверенные им строки удалены"),
    "validated": gettext_lazy("Файл проверен без ошибок; ждёт подтверждения"),
    "validated_errors": gettext_lazy("Файл проверен; в строках есть ошибки, он не применяется"),
    "confirm": gettext_lazy("Импорт подтверждён; применение поставлено в очередь"),
    "apply": gettext_lazy("Строки файла применены одной транзакцией"),
    "apply_failed": gettext_lazy("Применение не удалось; ничего не применено"),
    "discard": gettext_lazy("Импорт отменён пользователем; проверенные строки удалены"),
    "expire": gettext_lazy("Импорт отменён: проверенный файл не подтверждён за два дня; "
                           "проверенные строки удалены"),
}


def _said(message) -> str:
    """A transition's description in Russian (the msgid), whatever the active language."""
    with translation.override("ru"):
        return str(message)


def _reason_said(reason: dict | None, fallback) -> str:
    """A failure's reason as the transition's description: its message when it has no
    parameters (so it is translated when shown), else ``fallback``."""
    reason = reason or {}
    message = REASONS.get(reason.get("code", ""))
    return _said(message if message is not None and not reason.get("params") else fallback)


def _locked(batch_id: int) -> ImportBatch:
    return ImportBatch.objects.select_for_update(of=("self",)).select_related("cycle").get(
        pk=batch_id)


def _may_import(actor, kind: str) -> bool:
    from assessments.submission.access import import_kinds_for

    return actor is not None and kind in import_kinds_for(actor)


def import_upload(*, actor, cycle, kind: str, upload, original_name: str,
                  evaluator=None) -> ImportBatch:
    """Store the file (streamed, hashed on the way) and queue its validation."""
    if kind not in SPECS:
        raise DomainError(_("Неизвестный вид данных."))
    if not _may_import(actor, kind):
        raise PermissionDenied
    declared = uploads.declared_size(upload)
    if declared is not None and declared > MAX_IMPORT_BYTES:
        _refused_upload(actor, original_name, uploads.UploadRefused(
            "size", {"mb": MAX_IMPORT_BYTES // uploads.upload_checks.MB}), size=declared)
    digest = hashlib.sha256()
    size = 0
    head = b""
    handle, temp_path = tempfile.mkstemp(prefix="import-")
    try:
        with os.fdopen(handle, "wb") as out:
            chunks = upload.chunks() if hasattr(upload, "chunks") else iter(
                lambda: upload.read(1 << 20), b"")
            for chunk in chunks:
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                digest.update(chunk)
                size += len(chunk)
                if size > MAX_IMPORT_BYTES:
                    _refused_upload(actor, original_name, uploads.UploadRefused(
                        "size", {"mb": MAX_IMPORT_BYTES // uploads.upload_checks.MB}),
                        size=size)
                out.write(chunk)
        if size == 0:
            raise DomainError(_("Файл пуст."))
        try:
            file_format = detect_format(head)
        except FileFormatError:
            raise DomainError(_("Нужен файл CSV (UTF-8) или XLSX; тип определяется по "
                                "содержимому."))
        sha256 = digest.hexdigest()
        if file_format == "xlsx":
            # the archive's directory only (entries, sizes, ratio): nothing inflated here; the
            # sheets' references are checked by the validation task, in a capped subprocess
            try:
                uploads.cheap_check(temp_path, uploads.IMPORT_LIMITS)
            except uploads.UploadRefused as refusal:
                _refused_upload(actor, original_name, refusal, size=size, sha256=sha256,
                                file_type=file_format)
        earlier = ImportBatch.objects.filter(
            cycle=cycle, kind=kind, sha256=sha256, state=ImportBatch.State.APPLIED
        ).select_related("applied_by").first()
        if earlier is not None:
            raise DomainError(
                _("Этот файл уже импортирован %(when)s (%(who)s); повторно он не применяется.")
                % {"when": earlier.applied_at.astimezone(clock.ZONE).strftime("%d.%m.%Y %H:%M"),
                   "who": earlier.applied_by},
                code="duplicate",
            )
        if evaluator is None:
            evaluator = next((m.organisation for m in access.principal(actor).memberships
                              if m.organisation.evaluator_role), None)
        with transaction.atomic():
            batch = ImportBatch(
                kind=kind, cycle=cycle, evaluator=evaluator, original_name=original_name[:255],
                file_format=file_format, size=size, sha256=sha256, created_by=actor,
                created_at=clock.now(),
            )
            with open(temp_path, "rb") as stored:
                batch.file.save(f"{sha256}.{file_format}", File(stored), save=False)
            batch.save()
            audit_record(actor=actor, obj=batch, action="import:upload",
                         changes={"file": (None, f"{original_name} {sha256[:12]} {size} B")})
            _queue_validate(batch)  # the outbox: sent once this commits
        return batch
    finally:
        if os.path.exists(temp_path):
            os.unlink(temp_path)


def _refused_upload(actor, original_name: str, refusal: uploads.UploadRefused, **file) -> None:
    """List a refused import file for administrators and raise the refusal (in words)."""
    from assessments.models import RefusedUpload

    with transaction.atomic():
        uploads.refusal_record(purpose=RefusedUpload.Purpose.IMPORT, actor=actor,
                               original_name=original_name, code=refusal.reason,
                               params=refusal.params, **file)
    raise refusal


def _queue_validate(batch: ImportBatch):
    """The batch's validation as a job (the outbox: the row now, the message on commit; a
    broker away: sent by the sweep when it returns). One validation job per batch at a time."""
    from assessments.submission.tasks import import_validate as task

    return job_enqueue(task, batch.pk, kind=VALIDATE_JOB, subject=batch, unique=True,
                       label=_said(gettext_lazy("Проверка файла импорта «%(name)s»"))
                       % {"name": batch.original_name})


def _progress(batch_id: int, size: int, fraction: float) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(bytes_done=int(size * min(1.0, fraction)))



PROGRESS_EVERY = 50_000
VALIDATE_JOB, APPLY_JOB = "import_validate", "import_apply"
NUL = "\x00"


def _clean(value):
    """What PostgreSQL refuses in text and jsonb (NUL) made visible, in an error list or a
    message: a batch's invalid bytes are reported, never crash the saving of the report."""
    if isinstance(value, str):
        return value.replace(NUL, "\\x00")
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def import_validate(*, batch_id: int) -> ImportBatch:
    """Read the file once, streamed, check every row and stage the valid ones; list errors by
    row, column and reason (the first 1000 kept; all counted). Progress goes on the batch every
    ``PROGRESS_EVERY`` rows, committed so the page sees it (each ``COPY`` block commits; a
    failure removes what was staged). Memory does not grow with the file.

    Run as a job under a lease (``kernel.leases``): a batch found VALIDATING is one whose worker
    was lost mid-file (the lease guarantees no other run holds it), so its validation restarts
    from the first row, the rows staged before deleted. A row with bytes PostgreSQL refuses in
    text (NUL) is a row error and the batch ends FAILED (``invalid_bytes``) with its errors."""
    with transaction.atomic():
        batch = _locked(batch_id)
        job_fence()  # every commit of a leased run is fenced: an overtaken worker stops
        if batch.state not in (ImportBatch.State.UPLOADED, ImportBatch.State.VALIDATING,
                               ImportBatch.State.FAILED):  # done, discarded, applying …
            return batch
        restarted = batch.state == ImportBatch.State.VALIDATING
        batch.start_validation(by=None, description=_said(
            NOTES["revalidate"] if restarted else NOTES["validate"]))
        batch.bytes_done, batch.reason, batch.message = 0, {}, ""
        batch.save(update_fields=["state", "bytes_done", "reason", "message"])
        ImportStagingRow.objects.filter(batch_id=batch_id).delete()
    spec = SPECS[batch.kind]
    parse = PARSERS[batch.kind]
    lookups = Lookups(batch.cycle)
    errors: list[dict] = []
    total = valid = invalid = bad_bytes = 0
    if batch.file_format == "xlsx":
        # Before any reader opens it: the archive's bounds and every sheet's dimension, cell
        # references and shared strings, checked in a subprocess under a memory cap and a
        # timeout (assessments.kernel.uploads.probe) — a hostile workbook never reaches a parser.
        checked = uploads.probe(batch.file.path, "import")
        if not checked.get("ok"):
            from assessments.models import RefusedUpload

            uploads.refusal_record(purpose=RefusedUpload.Purpose.IMPORT, actor=batch.created_by,
                                   original_name=batch.original_name, code=checked["code"],
                                   params=checked.get("params"), size=batch.size,
                                   sha256=batch.sha256, file_type=batch.file_format)
            params = {k: v for k, v in (checked.get("params") or {}).items() if k != "detail"}
            # a merely broken workbook keeps the reason it always had
            code = "unreadable" if checked["code"] in ("xml", "archive_broken") else (
                checked["code"])
            return _fail_validation(batch_id, code,
                                    str((checked.get("params") or {}).get("detail", "")),
                                    params=params if code != "unreadable" else None)
        area = checked.get("area")
    else:
        area = None
    stager = _Stager(batch_id)
    # the Rust reader only behind the checks above, for a sheet they found small
    source = open_source(batch.file.path, batch.file_format, area=area)
    try:
        rows = source.rows()
        header_seen = False
        for number, row in rows:
            header_seen = True
            header = [cell.strip().lower() for cell in row]
            if header[: len(spec.header)] != spec.header:
                errors.append({"row": number, "column": "", "code": "header",
                               "params": {"cols": ", ".join(spec.header)}})
                invalid += 1
            break
        add = stager.add
        for number, row in rows if not invalid else ():
            if not any(row):
                continue
            total += 1
            if not total % PROGRESS_EVERY:
                job_should_stop()  # cancelled or discarded: stop here
                stager.checkpoint()
                _progress(batch_id, batch.size, source.fraction)
            if any(NUL in cell for cell in row):
                invalid += 1
                bad_bytes += 1
                if len(errors) < MAX_STORED_ERRORS:
                    column = next(i for i, cell in enumerate(row) if NUL in cell)
                    errors.append({"row": number, "column": spec.header[column] if column < len(
                        spec.header) else "", "code": "nul_byte", "params": None})
                continue
            try:
                key, body_id, service_id, day, day_to, data = parse(row, lookups)
            except RowError as error:
                invalid += 1
                if len(errors) < MAX_STORED_ERRORS:
                    errors.append({"row": number, "column": error.column, "code": error.code,
                                   "params": _clean(error.params)})
                continue
            except IndexError:
                invalid += 1
                if len(errors) < MAX_STORED_ERRORS:
                    errors.append({"row": number, "column": "", "code": "columns",
                                   "params": {"n": len(spec.header)}})
                continue
            valid += 1
            add(number, key, body_id, service_id, day, day_to, data)
        if not header_seen:
            errors.append({"row": 1, "column": "", "code": "no_rows", "params": None})
            invalid += 1
        stager.checkpoint()
    except BaseException as error:
        stager.abort()
        if isinstance(error, JobStopped):
            # cancelled, discarded or overtaken: the staged rows are no longer this run's (the
            # job's clean-up, the discard or the run that took over deals with them)
            raise
        if isinstance(error, uploads.Refused):
            return _fail_validation(batch_id, error.code, "", params=error.params)
        if isinstance(error, FileFormatError | csv.Error):
            code = "unreadable"
        elif isinstance(error, UnicodeDecodeError):
            code = "encoding"
        else:
            _fail_validation(batch_id, "internal", str(error))
            raise
        return _fail_validation(batch_id, code, str(error))
    with transaction.atomic():
        batch = _locked(batch_id)
        job_fence()
        if batch.state != ImportBatch.State.VALIDATING:
            # discarded while it was read: what was staged goes with it
            ImportStagingRow.objects.filter(batch_id=batch_id).delete()
            return batch
        if bad_bytes:  # not a file of this kind: nothing of it is kept but the report
            ImportStagingRow.objects.filter(batch_id=batch_id).delete()
            batch.fail_validation(by=None, description=_said(REASONS["invalid_bytes"] % {
                "n": bad_bytes}))
            batch.rows_total, batch.rows_valid, batch.rows_invalid = total, valid, invalid
            batch.errors, batch.bytes_done = _clean(errors), batch.size
            batch.reason = {"code": "invalid_bytes", "params": {"n": bad_bytes}}
            batch.save(update_fields=["state", "rows_total", "rows_valid", "rows_invalid",
                                      "errors", "bytes_done", "reason"])
            return batch
        batch.finish_validation(by=None, description=_said(
            NOTES["validated_errors"] if invalid else NOTES["validated"]))
        batch.rows_total, batch.rows_valid, batch.rows_invalid = total, valid, invalid
        batch.errors, batch.bytes_done, batch.validated_at = (_clean(errors), batch.size,
                                                              clock.now())
        batch.save(update_fields=["state", "rows_total", "rows_valid", "rows_invalid", "errors",
                                  "bytes_done", "validated_at"])
    return batch


def _fail_validation(batch_id: int, code: str, detail: str,
                     params: dict | None = None) -> ImportBatch:
    """The file could not be read: FAILED with the reason (unless discarded meanwhile), the rows
    staged so far deleted."""
    reason = {"code": code, "params": params} if params else {"code": code}
    with transaction.atomic():
        batch = _locked(batch_id)
        job_fence()
        if batch.state == ImportBatch.State.VALIDATING:
            batch.fail_validation(by=None, description=_reason_said(reason, code))
            batch.reason, batch.message = reason, _clean(detail[:2000])
            batch.save(update_fields=["state", "reason", "message"])
        ImportStagingRow.objects.filter(batch_id=batch_id).delete()
    return batch


def _check_applicable(batch: ImportBatch) -> None:
    if batch.rows_invalid:
        raise _refusal("invalid", n=batch.rows_invalid)
    if ImportBatch.objects.filter(cycle_id=batch.cycle_id, kind=batch.kind,
                                  sha256=batch.sha256, state=ImportBatch.State.APPLIED).exists():
        raise _refusal("duplicate")


def import_confirm(*, batch_id: int, actor) -> ImportBatch:
    """The user's confirmation of a validated batch without errors: it becomes APPLYING (who
    and when: ``applied_by``, ``confirmed_at`` and the audit log) and its apply is queued once
    this commits (``tasks.import_apply``; in-process where Celery runs eagerly, the embedded
    default). A second confirmation is refused: the batch is applying or applied already."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related(
            "applied_by").get(pk=batch_id)
        if not _may_import(actor, batch.kind):
            raise PermissionDenied
        if batch.state in (ImportBatch.State.APPLYING, ImportBatch.State.APPLIED):
            when = batch.confirmed_at or batch.applied_at
            raise DomainError(
                _("Импорт уже подтверждён (%(who)s, %(when)s); повторно он не применяется.")
                % {"who": batch.applied_by,
                   "when": when.astimezone(clock.ZONE).strftime("%d.%m.%Y %H:%M") if when
                   else "—"},
                code="confirmed")
        if batch.state != ImportBatch.State.VALIDATED:
            raise DomainError(_("Файл ещё не проверен."))
        _check_applicable(batch)
        batch.confirm(by=actor, description=_said(NOTES["confirm"]))
        batch.applied_by = actor
        batch.confirmed_at = clock.now()
        batch.reason, batch.message = {}, ""
        batch.save(update_fields=["state", "applied_by", "confirmed_at", "reason", "message"])
        audit_record(actor=actor, obj=batch, action="import:confirm",
                     changes={"state": (ImportBatch.State.VALIDATED, ImportBatch.State.APPLYING)})
        _queue_apply(batch, actor.pk)
    return batch


def _queue_apply(batch: ImportBatch, actor_id: int):
    """The batch's apply as a job (the outbox, as the validation's)."""
    from assessments.submission.tasks import import_apply as task

    return job_enqueue(task, batch.pk, actor_id, kind=APPLY_JOB, subject=batch, unique=True,
                       label=_said(gettext_lazy("Применение импорта «%(name)s»"))
                       % {"name": batch.original_name})


def import_apply(*, batch_id: int, actor) -> ImportBatch:
    """Apply a validated batch without errors: all rows or none (one transaction). Rows whose
    key exists are updated, the others added; the content hash is applied once per cycle.
    Run by the task after a confirmation (the batch APPLYING), or directly on a validated batch
    (the benchmark, tests). If the staged rows are gone (PostgreSQL's unlogged staging table
    after a crash) or a body or service has left the registry since the check, nothing is
    applied and the file is checked again. Any other failure of a confirmed batch leaves it
    FAILED with its reason (code and parameters, shown in the reader's language), nothing
    applied and its staged rows deleted; the error is raised all the same."""
    try:
        return _apply(batch_id=batch_id, actor=actor)
    except JobStopped:  # cancelled or overtaken: nothing applied, the batch is not this run's
        raise
    except DomainError as error:
        reason = getattr(error, "reason", None)
        if error.code == "restage":
            _restage(batch_id, reason)
        else:
            _fail_applying(batch_id, reason or {"code": "internal"}, error.message)
        raise
    except PermissionDenied:
        _fail_applying(batch_id, {"code": "forbidden"}, "")
        raise
    except Exception as error:
        _fail_applying(batch_id, {"code": "internal"}, f"{type(error).__name__}: {error}")
        raise


def _restage(batch_id: int, reason: dict | None) -> None:
    """The staged rows are gone (or a body or service left the registry): the batch, validated
    or confirmed, is uploaded again and its validation queued once this commits."""
    with transaction.atomic():
        batch = _locked(batch_id)
        job_fence()
        if batch.state not in (ImportBatch.State.VALIDATED, ImportBatch.State.APPLYING):
            return
        batch.restage(by=None, description=_reason_said(reason or {"code": "restage"},
                                                        REASONS["restage"]))
        batch.bytes_done, batch.reason = 0, reason or {}
        batch.save(update_fields=["state", "bytes_done", "reason"])
        _queue_validate(batch)


def _fail_applying(batch_id: int, reason: dict, detail: str) -> None:
    """A confirmed batch whose apply failed (the apply's transaction rolled back): FAILED with
    the reason, its staged rows deleted, an audit entry. A batch not confirmed is left as is."""
    with transaction.atomic():
        batch = _locked(batch_id)
        job_fence()
        if batch.state != ImportBatch.State.APPLYING:
            return
        batch.fail_apply(by=None, description=_reason_said(reason, NOTES["apply_failed"]))
        batch.reason, batch.message = reason, _clean(detail[:2000])
        batch.save(update_fields=["state", "reason", "message"])
        ImportStagingRow.objects.filter(batch_id=batch_id).delete()
        audit_record(actor=None, obj=batch,
                     action="import:apply_failed",
                     changes={"state": (ImportBatch.State.APPLYING,
                                        ImportBatch.State.FAILED)}, reason=reason.get("code", ""))
    logger.warning("import %s: apply failed (%s) %s", batch_id, reason.get("code"), detail)


def _apply(*, batch_id: int, actor) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if not _may_import(actor, batch.kind):
            raise PermissionDenied
        if batch.state == ImportBatch.State.APPLIED:
            return batch
        if batch.state not in (ImportBatch.State.VALIDATED, ImportBatch.State.APPLYING):
            raise DomainError(_("Файл ещё не проверен."))
        _check_applicable(batch)
        if _pg():
            created, updated = _apply_pg(batch)
        else:
            created, updated = _apply_orm(batch)
            ImportStagingRow.objects.filter(batch_id=batch.pk).delete()
        batch.apply(by=actor, description=_said(NOTES["apply"]))
        batch.rows_created, batch.rows_updated = created, updated
        batch.applied_by = actor
        batch.applied_at = clock.now()
        batch.save()
        audit_record(actor=actor, obj=batch, action="import:apply",
                     changes={"rows": (None, {"created": created, "updated": updated})})
        _queue_assembly(batch.pk)
        job_fence()  # an overtaken worker's apply rolls back here, whole
    return batch


def _queue_assembly(batch_id: int) -> None:
    from assessments.scores.tasks import assemble_after_import

    job_enqueue(assemble_after_import, batch_id)  # sent once the apply commits


DISCARD_LOCK_WAIT = "3s"


def import_discard(*, batch_id: int, actor) -> ImportBatch:
    """Cancel a batch in any state but applied or discarded (uploaded, validating — even stuck
    with a lost worker —, validated, applying, failed): its staged rows are deleted with it and
    its queued or running jobs cancelled (a running validation stops at its next block; a
    message still queued finds its job cancelled). Only an apply whose transaction is running
    at this very moment holds the batch's lock: after ``DISCARD_LOCK_WAIT`` the discard is
    refused with a word to try again (the apply ends within seconds, all or nothing)."""
    from django.db import OperationalError, connection

    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{DISCARD_LOCK_WAIT}'")
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if not _may_import(actor, batch.kind):
                raise PermissionDenied
            if batch.state == ImportBatch.State.APPLIED:
                raise DomainError(_("Применённый импорт не отменяется."))
            if batch.state == ImportBatch.State.DISCARDED:  # a second click: nothing more to do
                return batch
            ImportStagingRow.objects.filter(batch_id=batch.pk).delete()
            before = batch.state
            batch.discard(by=actor, description=_said(NOTES["discard"]))
            batch.save(update_fields=["state"])
            audit_record(actor=actor, obj=batch, action="import:discard",
                         changes={"state": (before, ImportBatch.State.DISCARDED)})
            job_cancel_about(subject=batch, actor=actor)
    except OperationalError:
        raise DomainError(_("Импорт применяется прямо сейчас; через несколько секунд он будет "
                            "применён или отклонён. Обновите страницу."), code="busy")
    return batch


def import_job_ended(*, batch_id: int, stage: str, reason: dict) -> None:
    """A validation or apply job ended without finishing (its worker lost past the last attempt,
    cancelled by an operator, an unexpected error): the batch, if still in that stage, fails
    with the reason shown on its page, and its staged rows are deleted."""
    code = {"lease_lapsed_final": "worker_lost", "cancelled": "job_cancelled"}.get(
        reason.get("code", ""), "internal")
    params = {"attempts": reason.get("params", {}).get("attempts", 0)} \
        if code == "worker_lost" else None
    with transaction.atomic():
        batch = _locked(batch_id)
        stuck = ImportBatch.State.VALIDATING if stage == "validate" else ImportBatch.State.APPLYING
        if batch.state == stuck:
            (batch.fail_validation if stage == "validate" else batch.fail_apply)(
                by=None, description=_reason_said({"code": code, "params": params},
                                                  REASONS[code]))
            batch.reason = {"code": code, "params": params} if params else {"code": code}
            batch.save(update_fields=["state", "reason"])
            audit_record(actor=None, obj=batch, action=f"import:{stage}_abandoned",
                         changes={"state": (stuck, ImportBatch.State.FAILED)}, reason=code)
        if batch.state != ImportBatch.State.VALIDATED:
            ImportStagingRow.objects.filter(batch_id=batch_id).delete()
    logger.warning("import %s: %s job ended (%s)", batch_id, stage, code)


STAGING_KEPT_DAYS = 2
APPLY_REQUEUE_AFTER = timedelta(hours=1)


def import_staging_expire() -> dict:
    """Beat job (idempotent): a batch validated more than ``STAGING_KEPT_DAYS`` days ago and
    neither applied nor discarded gives up its staged rows and is discarded, with the reason
    (``expired``, shown on its page) and an audit entry; staged rows left by batches failed,
    discarded or applied (or gone) are deleted. A batch confirmed more than
    ``APPLY_REQUEUE_AFTER`` ago, still applying and with no apply job queued or running (a batch
    confirmed before the jobs' leases) has its apply queued again; a lost worker's job is the
    lease sweep's (``kernel.leases.jobs_sweep``, within minutes)."""
    now = clock.now()
    requeued = []
    for batch in ImportBatch.objects.filter(
            state=ImportBatch.State.APPLYING, confirmed_at__lt=now - APPLY_REQUEUE_AFTER):
        with transaction.atomic():
            job = _queue_apply(batch, batch.applied_by_id)
        if job.created_at >= now:
            requeued.append(batch.pk)
    cutoff = now - timedelta(days=STAGING_KEPT_DAYS)
    expired, deleted = [], 0
    stale = ImportBatch.objects.filter(state=ImportBatch.State.VALIDATED).filter(
        Q(validated_at__lt=cutoff) | Q(validated_at__isnull=True, created_at__lt=cutoff))
    for batch_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(
                pk=batch_id, state=ImportBatch.State.VALIDATED).first()
            if batch is None:  # confirmed or discarded meanwhile
                continue
            deleted += ImportStagingRow.objects.filter(batch_id=batch_id).delete()[0]
            batch.expire(by=None, description=_said(NOTES["expire"]))
            batch.reason = {"code": "expired", "params": {"days": STAGING_KEPT_DAYS}}
            batch.save(update_fields=["state", "reason"])
            audit_record(actor=None, obj=batch, action="import:expire",
                         changes={"state": (ImportBatch.State.VALIDATED,
                                            ImportBatch.State.DISCARDED)}, reason="expired")
        expired.append(batch_id)
    waiting = ImportBatch.objects.filter(
        pk=OuterRef("batch_id"),
        state__in=[ImportBatch.State.UPLOADED, ImportBatch.State.VALIDATING,
                   ImportBatch.State.VALIDATED, ImportBatch.State.APPLYING])
    deleted += ImportStagingRow.objects.filter(~Exists(waiting)).delete()[0]
    if expired or deleted or requeued:
        logger.info("imports: %s batch(es) expired %s, %s staged row(s) deleted, applies "
                    "queued again %s", len(expired), expired, deleted, requeued)
    return {"expired": expired, "staged_rows_deleted": deleted, "requeued": requeued}


def bodies_of_batch(batch_id: int) -> list[int]:
    """Bodies whose records this batch touched (failures: every body with monitoring rows)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    ids = set(ImportRecord.objects.filter(cycle_id=batch.cycle_id, kind=batch.kind,
                                          batch_id=batch_id, body__isnull=False)
              .values_list("body_id", flat=True).distinct())
    if batch.kind == "is_failures":
        ids |= set(ImportRecord.objects.filter(cycle_id=batch.cycle_id, kind="monitoring")
                   .values_list("body_id", flat=True).distinct())
    return sorted(ids)
