"""Bulk inserts for tables written thousands of rows at a time (score sheets, generated data).

    copy_insert(model, objs, *, using=None, json_text=None) -> int

On PostgreSQL the rows go through one ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``, rows
written by its C row writer). Django's ``bulk_create`` sends each column as an array
(``UNNEST``), and psycopg's array dumper escapes every quote of a JSON text one character at a
time — for score sheets with their explanations that was three quarters of a cycle's recompute.
JSON columns are sent as text (``json.dumps`` with the field's encoder, ``ensure_ascii`` off),
or as the text the caller already made (``json_text``: ``{(index of obj, field name): text}``,
so a text hashed for a digest is not serialised twice).

Elsewhere (SQLite, the embedded default) it is ``bulk_create``. No ids are returned either way
(read them back if needed). Fields filled on save (``auto_now_add``, ``auto_now``) are filled as
``save`` would; database defaults and signals are not involved (neither are they for
``bulk_create``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connections, models, router

__all__ = ["copy_insert"]


def copy_insert(model, objs: Iterable[models.Model], *, using: str | None = None,
                json_text: dict[tuple[int, str], str] | None = None) -> int:
    """Insert ``objs`` (unsaved instances of ``model``, primary keys unset); returns the count."""
    objs = list(objs)
    if not objs:
        return 0
    db = using or router.db_for_write(model)
    connection = connections[db]
    if connection.vendor != "postgresql":
        model._default_manager.using(db).bulk_create(objs, batch_size=500)
        return len(objs)
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))]
    json_fields = {f.name: f for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    given = json_text or {}
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for i, obj in enumerate(objs):
                row = []
                for f in fields:
                    if f.name in json_fields:
                        text = given.get((i, f.name))
                        if text is None:
                            value = f.pre_save(obj, True)
                            text = None if value is None and f.null else json.dumps(
                                value, cls=f.encoder, ensure_ascii=False)
                        row.append(text)
                    else:
                        row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
                copy.write_row(row)
    return len(objs)
