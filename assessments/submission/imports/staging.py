"""Staging of the validated rows (see :mod:`.pipeline`): on PostgreSQL into the unlogged
staging table by ``COPY`` as they are read, elsewhere by ``bulk_create`` in chunks."""

from __future__ import annotations

import json
from datetime import date

from django.db import connection, transaction

from assessments.kernel.leases import fault_point, job_fence
from assessments.models import ImportStagingRow


def _pg() -> bool:
    return connection.vendor == "postgresql"


_NULL = "\\N"


def _escape(text: str) -> str:
    """Text for COPY's text format (only the four characters it gives meaning to)."""
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


class _Stager:
    """Writes validated rows to the staging table as they come: on PostgreSQL through ``COPY``
    (one statement per checkpoint, lines sent in blocks), elsewhere by ``bulk_create`` in
    chunks. ``checkpoint()`` ends the running ``COPY`` so the connection is free for a progress
    update; rows are never gathered beyond one block. Each block of rows is one transaction that
    commits only past the job's fence (``kernel.leases.job_fence``): a worker that stalled and
    was overtaken stages nothing more."""

    BLOCK = 2000

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.buffer: list = []
        self.count = 0
        self.pg = _pg()
        self._prefix = f"{batch_id}\t"
        self._cursor = None
        self._copy_cm = None
        self._copy = None
        self._atomic = None
        self._iso: dict[date, str] = {}  # few distinct dates: their text made once

    def _text(self, day: date) -> str:
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = day.isoformat()
            if len(self._iso) > 10_000:
                self._iso.clear()
        return text

    def _open(self) -> None:
        self._atomic = transaction.atomic()  # committed by checkpoint(), past the fence
        self._atomic.__enter__()
        self._cursor = connection.cursor()
        self._copy_cm = self._cursor.cursor.copy(
            "COPY assessments_importstagingrow "
            "(batch_id, line, row_key, body_id, service_id, day, day_to, data) FROM STDIN"
        )
        self._copy = self._copy_cm.__enter__()

    def add(self, line: int, key: str, body_id, service_id, day: date | None,
            day_to: date | None, data: str) -> None:
        self.count += 1
        if self.pg:
            if "\\" in key or "\t" in key or "\n" in key or "\r" in key:
                key = _escape(key)
            if "\\" in data or "\t" in data or "\n" in data or "\r" in data:
                data = _escape(data)
            self.buffer.append(
                f"{self._prefix}{line}\t{key}\t"
                f"{_NULL if body_id is None else body_id}\t"
                f"{_NULL if service_id is None else service_id}\t"
                f"{_NULL if day is None else self._text(day)}\t"
                f"{_NULL if day_to is None else self._text(day_to)}\t{data}\n"
            )
        else:
            self.buffer.append(ImportStagingRow(
                batch_id=self.batch_id, line=line, row_key=key, body_id=body_id,
                service_id=service_id, day=day, day_to=day_to, data=json.loads(data)))
        if len(self.buffer) >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        if self.pg:
            if self._copy is None:
                self._open()
            self._copy.write("".join(self.buffer))
        else:
            with transaction.atomic():
                ImportStagingRow.objects.bulk_create(self.buffer)
                job_fence()
        self.buffer.clear()

    def checkpoint(self) -> None:
        """Everything added so far is in the table; the connection is free."""
        self._flush()
        if self._copy is None:
            return
        atomic = self._atomic
        try:
            self._copy_cm.__exit__(None, None, None)
            self._cursor.close()
            self._cursor = self._copy_cm = self._copy = None
            fault_point("validate.commit", self.batch_id)  # tests only: inert
            job_fence()
        except BaseException as exc:
            self._rollback(atomic, exc)
            raise
        self._atomic = None
        atomic.__exit__(None, None, None)

    def abort(self) -> None:
        """After a failure while reading: the running ``COPY`` ends as failed and its block is
        rolled back (an enclosing transaction stays usable); the blocks committed before are
        the caller's to delete."""
        self.buffer.clear()
        if self._copy is not None:
            try:
                self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
            except Exception:
                pass
        if self._atomic is not None or self._cursor is not None:
            self._rollback(self._atomic, RuntimeError("aborted"))

    def _rollback(self, atomic, exc: BaseException) -> None:
        if self._cursor is not None:
            try:
                self._cursor.close()
            except Exception:
                pass
        self._cursor = self._copy_cm = self._copy = self._atomic = None
        if atomic is not None:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
