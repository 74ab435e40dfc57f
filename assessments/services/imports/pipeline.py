"""Import pipeline: upload → validate (streamed, rows staged, errors by row and column) →
preview → apply (atomic, idempotent) — the one path the page, the tasks and the benchmark use.

    import_upload(actor=, cycle=, kind=, upload=, original_name=) -> ImportBatch
    import_validate(batch_id=) -> ImportBatch           (task; progress on the batch)
    import_apply(batch_id=, actor=) -> ImportBatch      (task; all or nothing)
    import_discard(batch_id=, actor=) -> ImportBatch

Idempotence: a file whose SHA-256 was already applied (same cycle and kind) is refused with the
earlier batch named; rows are keyed (``ImportRecord.row_key``), so an overlapping file updates
the rows it shares with earlier ones and adds the others, never duplicates. On PostgreSQL the
staged rows go in by ``COPY`` and are applied by one ``INSERT … ON CONFLICT``; elsewhere through
the ORM in chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection, transaction
from django.utils.translation import gettext as _

from assessments import access
from assessments.models import ImportBatch, ImportRecord, ImportStagingRow
from assessments.services import clock
from assessments.services.audit import audit_record
from assessments.services.errors import DomainError
from assessments.services.imports.kinds import PARSERS, SPECS, Lookups, RowError
from assessments.services.imports.readers import FileFormatError, detect_format, iter_csv, iter_xlsx

B = ImportBatch.State
MAX_STORED_ERRORS = 1000
MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024
CHUNK = 5000


def _may_import(actor, kind: str) -> bool:
    from assessments.access_rules import import_kinds_for

    return actor is not None and kind in import_kinds_for(actor)


def import_upload(*, actor, cycle, kind: str, upload, original_name: str,
                  evaluator=None) -> ImportBatch:
    """Store the file (streamed, hashed on the way) and queue its validation."""
    if kind not in SPECS:
        raise DomainError(_("Неизвестный вид данных."))
    if not _may_import(actor, kind):
        raise PermissionDenied
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
                    raise DomainError(_("Файл слишком большой."))
                out.write(chunk)
        if size == 0:
            raise DomainError(_("Файл пуст."))
        try:
            file_format = detect_format(head)
        except FileFormatError:
            raise DomainError(_("Нужен файл CSV (UTF-8) или XLSX; тип определяется по "
                                "содержимому."))
        sha256 = digest.hexdigest()
        earlier = ImportBatch.objects.filter(
            cycle=cycle, kind=kind, sha256=sha256, state=B.APPLIED
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
            transaction.on_commit(lambda: _queue_validate(batch.pk))
        return batch
    finally:
        if os.path.exists(temp_path):
            os.unlink(temp_path)


def _queue_validate(batch_id: int) -> None:
    from assessments.tasks import import_validate as task

    task.delay(batch_id)


def _progress_updater(batch_id: int):
    def update(fraction: float) -> None:
        size = ImportBatch.objects.filter(pk=batch_id).values_list("size", flat=True).first() or 0
        ImportBatch.objects.filter(pk=batch_id).update(bytes_done=int(size * min(1.0, fraction)))

    return update


# --- Staging -------------------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


class _Stager:
    """Writes validated rows to the staging table: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.buffer: list = []
        self.count = 0
        if _pg():
            self._cursor = connection.cursor()
            self._copy_cm = self._cursor.cursor.copy(
                "COPY assessments_importstagingrow "
                "(batch_id, line, row_key, body_id, service_id, day, day_to, data) FROM STDIN"
            )
            self._copy = self._copy_cm.__enter__()
            self._prefix = f"{batch_id}\t"

    def add(self, line: int, key: str, body_id, service_id, day: date | None,
            day_to: date | None, data: str) -> None:
        self.count += 1
        if _pg():
            self.buffer.append(
                f"{self._prefix}{line}\t{_escape(key)}\t"
                f"{body_id if body_id is not None else chr(92) + 'N'}\t"
                f"{service_id if service_id is not None else chr(92) + 'N'}\t"
                f"{day.isoformat() if day else chr(92) + 'N'}\t"
                f"{day_to.isoformat() if day_to else chr(92) + 'N'}\t{_escape(data)}\n"
            )
            if len(self.buffer) >= CHUNK:
                self._copy.write("".join(self.buffer))
                self.buffer.clear()
        else:
            self.buffer.append(ImportStagingRow(
                batch_id=self.batch_id, line=line, row_key=key, body_id=body_id,
                service_id=service_id, day=day, day_to=day_to, data=json.loads(data)))
            if len(self.buffer) >= CHUNK:
                ImportStagingRow.objects.bulk_create(self.buffer)
                self.buffer.clear()

    def close(self) -> None:
        if _pg():
            if self.buffer:
                self._copy.write("".join(self.buffer))
            self._copy_cm.__exit__(None, None, None)
            self._cursor.close()
        elif self.buffer:
            ImportStagingRow.objects.bulk_create(self.buffer)
        self.buffer.clear()

    def abort(self) -> None:
        if _pg():
            try:
                self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
            except Exception:
                pass
            self._cursor.close()


def _rows(batch: ImportBatch, progress):
    path = batch.file.path
    if batch.file_format == "xlsx":
        return iter_xlsx(path, total=batch.size, progress=progress)
    return iter_csv(path, total=batch.size, progress=progress)


def import_validate(*, batch_id: int) -> ImportBatch:
    """Read the file once, check every row, stage the valid ones; list errors by row, column
    and reason (the first 1000 kept; all counted)."""
    updated = ImportBatch.objects.filter(pk=batch_id, state__in=[B.UPLOADED, B.FAILED]).update(
        state=B.VALIDATING, bytes_done=0)
    batch = ImportBatch.objects.select_related("cycle").get(pk=batch_id)
    if not updated:
        return batch
    spec = SPECS[batch.kind]
    parse = PARSERS[batch.kind]
    lookups = Lookups(batch.cycle)
    errors: list[dict] = []
    total = valid = invalid = 0
    try:
        with transaction.atomic():
            ImportStagingRow.objects.filter(batch_id=batch_id).delete()
            stager = _Stager(batch_id)
            try:
                rows = _rows(batch, _progress_updater(batch_id))
                header_seen = False
                for number, row in rows:
                    if not header_seen:
                        header_seen = True
                        header = [cell.strip().lower() for cell in row]
                        if header[: len(spec.header)] != spec.header:
                            errors.append({"row": number, "column": "",
                                           "reason": _("Заголовок не совпадает с шаблоном: "
                                                       "ожидаются столбцы %(cols)s.")
                                           % {"cols": ", ".join(spec.header)}})
                            invalid += 1
                            break
                        continue
                    if not any(row):
                        continue
                    total += 1
                    try:
                        key, body_id, service_id, day, day_to, data = parse(row, lookups)
                    except RowError as error:
                        invalid += 1
                        if len(errors) < MAX_STORED_ERRORS:
                            errors.append({"row": number, "column": error.column,
                                           "reason": str(error.reason)})
                        continue
                    except IndexError:
                        invalid += 1
                        if len(errors) < MAX_STORED_ERRORS:
                            reason = _("в строке меньше столбцов, чем в шаблоне (%(n)s)") % {
                                "n": len(spec.header)}
                            errors.append({"row": number, "column": "", "reason": reason})
                        continue
                    valid += 1
                    stager.add(number, key, body_id, service_id, day, day_to, data)
                if not header_seen:
                    errors.append({"row": 1, "column": "", "reason": _("Файл без строк.")})
                    invalid += 1
                stager.close()
            except BaseException:
                stager.abort()
                raise
    except FileFormatError:
        ImportBatch.objects.filter(pk=batch_id).update(
            state=B.FAILED, message=_("Файл не читается как CSV или XLSX."))
        return ImportBatch.objects.get(pk=batch_id)
    except UnicodeDecodeError:
        ImportBatch.objects.filter(pk=batch_id).update(
            state=B.FAILED, message=_("Файл CSV должен быть в кодировке UTF-8."))
        return ImportBatch.objects.get(pk=batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(
        state=B.VALIDATED, rows_total=total, rows_valid=valid, rows_invalid=invalid,
        errors=errors, bytes_done=batch.size,
    )
    return ImportBatch.objects.get(pk=batch_id)


# --- Applying ------------------------------------------------------------------------------

_PG_APPLY = """
WITH src AS (
    SELECT DISTINCT ON (row_key) row_key, body_id, service_id, day, day_to, data
    FROM assessments_importstagingrow WHERE batch_id = %(batch)s
    ORDER BY row_key, line DESC
), ins AS (
    INSERT INTO assessments_importrecord
        (cycle_id, kind, row_key, body_id, service_id, day, day_to, data, batch_id)
    SELECT %(cycle)s, %(kind)s, row_key, body_id, service_id, day, day_to, data, %(batch)s
    FROM src
    ON CONFLICT (cycle_id, kind, row_key) DO UPDATE SET
        body_id = EXCLUDED.body_id, service_id = EXCLUDED.service_id, day = EXCLUDED.day,
        day_to = EXCLUDED.day_to, data = EXCLUDED.data, batch_id = EXCLUDED.batch_id
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM ins
"""


def _apply_orm(batch: ImportBatch) -> tuple[int, int]:
    created = updated = 0
    staged = ImportStagingRow.objects.filter(batch_id=batch.pk).order_by("line")
    last = 0
    while True:
        chunk = list(staged.filter(line__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].line
        by_key = {row.row_key: row for row in chunk}  # later lines win within a file
        existing = set(ImportRecord.objects.filter(
            cycle_id=batch.cycle_id, kind=batch.kind, row_key__in=list(by_key)
        ).values_list("row_key", flat=True))
        created += len(set(by_key) - existing)
        updated += len(existing)
        ImportRecord.objects.bulk_create(
            [ImportRecord(cycle_id=batch.cycle_id, kind=batch.kind, row_key=key,
                          body_id=row.body_id, service_id=row.service_id, day=row.day,
                          day_to=row.day_to, data=row.data, batch_id=batch.pk)
             for key, row in by_key.items()],
            update_conflicts=True,
            unique_fields=["cycle", "kind", "row_key"],
            update_fields=["body", "service", "day", "day_to", "data", "batch"],
        )
    return created, updated


def import_apply(*, batch_id: int, actor) -> ImportBatch:
    """Apply a validated batch without errors: all rows or none (one transaction). Rows whose
    key exists are updated, the others added; the content hash is applied once per cycle."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if not _may_import(actor, batch.kind):
            raise PermissionDenied
        if batch.state == B.APPLIED:
            return batch
        if batch.state != B.VALIDATED:
            raise DomainError(_("Файл ещё не проверен."))
        if batch.rows_invalid:
            raise DomainError(_("В файле есть ошибки (%(n)s строк): исправьте их и загрузите "
                                "файл снова. Применяются только файлы без ошибок.")
                              % {"n": batch.rows_invalid}, code="invalid")
        if ImportBatch.objects.filter(cycle_id=batch.cycle_id, kind=batch.kind,
                                      sha256=batch.sha256, state=B.APPLIED).exists():
            raise DomainError(_("Этот файл уже импортирован; повторно он не применяется."),
                              code="duplicate")
        if _pg():
            with connection.cursor() as cursor:
                cursor.execute(_PG_APPLY, {"batch": batch.pk, "cycle": batch.cycle_id,
                                           "kind": batch.kind})
                created, updated = cursor.fetchone()
                cursor.execute("DELETE FROM assessments_importstagingrow WHERE batch_id = %s",
                               [batch.pk])
        else:
            created, updated = _apply_orm(batch)
            ImportStagingRow.objects.filter(batch_id=batch.pk).delete()
        batch.state = B.APPLIED
        batch.rows_created, batch.rows_updated = created, updated
        batch.applied_by = actor
        batch.applied_at = clock.now()
        batch.save()
        audit_record(actor=actor, obj=batch, action="import:apply",
                     changes={"rows": (None, {"created": created, "updated": updated})})
        transaction.on_commit(lambda: _queue_assembly(batch.pk))
    return batch


def _queue_assembly(batch_id: int) -> None:
    from assessments.tasks import assemble_after_import

    assemble_after_import.delay(batch_id)


def import_discard(*, batch_id: int, actor) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if not _may_import(actor, batch.kind):
            raise PermissionDenied
        if batch.state == B.APPLIED:
            raise DomainError(_("Применённый импорт не отменяется."))
        ImportStagingRow.objects.filter(batch_id=batch.pk).delete()
        batch.state = B.DISCARDED
        batch.save(update_fields=["state"])
        audit_record(actor=actor, obj=batch, action="import:discard")
    return batch


def bodies_of_batch(batch_id: int) -> list[int]:
    """Bodies whose records this batch touched (failures: every body with monitoring rows)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    ids = set(ImportRecord.objects.filter(batch_id=batch_id, body__isnull=False)
              .values_list("body_id", flat=True).distinct())
    if batch.kind == "is_failures":
        ids |= set(ImportRecord.objects.filter(cycle_id=batch.cycle_id, kind="monitoring")
                   .values_list("body_id", flat=True).distinct())
    return sorted(ids)
