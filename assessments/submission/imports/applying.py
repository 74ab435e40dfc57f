"""The apply of a batch's staged rows to the records (see :mod:`.pipeline`), inside the
caller's transaction: on PostgreSQL set-based (one ``DELETE`` of the rows the file changes, one
``INSERT … SELECT`` of the rows not there), elsewhere (SQLite) by the ORM in chunks; and the
refusal that carries its reason."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from assessments.kernel.errors import DomainError
from assessments.models import ImportBatch, ImportRecord, ImportStagingRow
from assessments.submission.imports.reasons import reason_text

CHUNK = 5000


def _refusal(key: str, *, code: str | None = None, **params) -> DomainError:
    """A refusal in the active language that also carries its reason (``reasons`` code and
    parameters), stored on the batch when an apply fails and shown in the reader's language."""
    error = DomainError(reason_text(key, params or None), code=code or key)
    error.reason = {"code": key, "params": params or None}
    return error


_PG_STAGED = """
SELECT count(*), array_agg(DISTINCT body_id) FILTER (WHERE body_id IS NOT NULL),
       array_agg(DISTINCT service_id) FILTER (WHERE service_id IS NOT NULL)
FROM assessments_importstagingrow WHERE batch_id = %(batch)s
"""

# The staged rows, in the file's order; when a key comes twice in one file (the insert then
# breaks the unique key) the later line wins: DISTINCT ON, which costs a sort.
_PG_SOURCE = """
    SELECT row_key, body_id, service_id, day, day_to, data
    FROM assessments_importstagingrow WHERE batch_id = %(batch)s
"""
_PG_SOURCE_DISTINCT = """
    SELECT DISTINCT ON (row_key) row_key, body_id, service_id, day, day_to, data
    FROM assessments_importstagingrow WHERE batch_id = %(batch)s
    ORDER BY row_key, line DESC
"""
# An update is a delete and an insert: for a bulk table PostgreSQL does both at less than half
# the cost of an UPDATE (every index gets a new entry either way), and plain inserts avoid
# ON CONFLICT's speculative insertion. Rows the file leaves as they are stay untouched
# (and keep the batch that last changed them).
_PG_DELETE_CHANGED = """
DELETE FROM assessments_importrecord r USING ({source}) AS s
WHERE r.cycle_id = %(cycle)s AND r.kind = %(kind)s AND r.row_key = s.row_key
  AND (r.body_id, r.service_id, r.day, r.day_to, r.data)
      IS DISTINCT FROM (s.body_id, s.service_id, s.day, s.day_to, s.data)
"""
_PG_INSERT_NEW = """
INSERT INTO assessments_importrecord
    (cycle_id, kind, row_key, body_id, service_id, day, day_to, data, batch_id)
SELECT %(cycle)s, %(kind)s, s.row_key, s.body_id, s.service_id, s.day, s.day_to, s.data,
       %(batch)s
FROM ({source}) AS s
WHERE NOT EXISTS (SELECT 1 FROM assessments_importrecord r WHERE r.cycle_id = %(cycle)s
                  AND r.kind = %(kind)s AND r.row_key = s.row_key)
"""
# one apply at a time per cycle and kind (two files sharing new keys would otherwise collide)
_PG_LOCK = "SELECT pg_advisory_xact_lock(7301, hashtext(%(lock)s))"


def _apply_pg(batch: ImportBatch) -> tuple[int, int]:
    """Staged rows → records (inside the caller's transaction): changed rows deleted, then the
    rows not (or no longer) there inserted. Returns (added, updated)."""
    from psycopg import errors as pg_errors

    params = {"batch": batch.pk, "cycle": batch.cycle_id, "kind": batch.kind,
              "lock": f"{batch.cycle_id}:{batch.kind}"}
    with connection.cursor() as cursor:
        cursor.execute(_PG_LOCK, params)
        # Fresh statistics of what was just staged (maybe a million rows the planner believes
        # absent); the joins below are hash joins whatever it believes of the records.
        cursor.execute("ANALYZE assessments_importstagingrow")
        cursor.execute(_PG_STAGED, params)
        staged, body_ids, service_ids = cursor.fetchone()
        if staged != batch.rows_valid:  # the unlogged staging table was emptied (a crash)
            raise _refusal("restage")
        # What the database's foreign keys would do row by row, once per body and service:
        # they must still exist, and stay until this commits.
        for table, ids in (("assessments_organisation", body_ids or []),
                           ("assessments_publicservice", service_ids or [])):
            if ids:
                cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE",
                               [ids])
                if len(cursor.fetchall()) != len(ids):
                    raise _refusal("registry_changed", code="restage")

        def run(source: str) -> tuple[int, int]:
            # Hash (or merge) joins only: a nested loop whose inner side scans the records
            # would read, for each staged row, the rows this very INSERT has added so far —
            # quadratic (100,000 rows into an empty table took minutes).
            cursor.execute("SELECT current_setting('enable_nestloop')")
            before = cursor.fetchone()[0]
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(_PG_DELETE_CHANGED.format(source=source), params)
            changed = cursor.rowcount
            cursor.execute(_PG_INSERT_NEW.format(source=source), params)
            inserted = cursor.rowcount
            cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [before])
            return inserted - changed, changed

        try:
            with transaction.atomic():
                created, updated = run(_PG_SOURCE)
        except IntegrityError as error:
            if not isinstance(error.__cause__, pg_errors.UniqueViolation):
                raise
            created, updated = run(_PG_SOURCE_DISTINCT)  # a key twice in the file
        cursor.execute("DELETE FROM assessments_importstagingrow WHERE batch_id = %s",
                       [batch.pk])
    return created, updated


_COMPARED = ("body_id", "service_id", "day", "day_to", "data")


def _apply_orm(batch: ImportBatch) -> tuple[int, int]:
    """The portable path (SQLite): staged rows in chunks by line, each chunk's keys looked up
    once, changed and new rows upserted by ``bulk_create(update_conflicts=True)``; rows the file
    leaves as they are stay untouched, as on PostgreSQL. Returns (added, updated)."""
    created = updated = 0
    staged = ImportStagingRow.objects.filter(batch_id=batch.pk).order_by("line")
    last = -1
    while True:
        chunk = list(staged.filter(line__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].line
        by_key = {row.row_key: row for row in chunk}  # later lines win within a file
        existing = {
            values[0]: values[1:] for values in ImportRecord.objects.filter(
                cycle_id=batch.cycle_id, kind=batch.kind, row_key__in=list(by_key)
            ).values_list("row_key", *_COMPARED)
        }
        writes = []
        for key, row in by_key.items():
            before = existing.get(key)
            if before is None:
                created += 1
            elif before == tuple(getattr(row, name) for name in _COMPARED):
                continue
            else:
                updated += 1
            writes.append(ImportRecord(
                cycle_id=batch.cycle_id, kind=batch.kind, row_key=key, body_id=row.body_id,
                service_id=row.service_id, day=row.day, day_to=row.day_to, data=row.data,
                batch_id=batch.pk))
        ImportRecord.objects.bulk_create(
            writes, update_conflicts=True, unique_fields=["cycle", "kind", "row_key"],
            update_fields=["body", "service", "day", "day_to", "data", "batch"],
        )
    return created, updated
