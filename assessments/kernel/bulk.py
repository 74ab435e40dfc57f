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

import orjson
from django.db import connections, models, router

__all__ = ["copy_insert", "copy_rows"]


def copy_rows(model, fields: list[str], rows: Iterable[tuple], *,
              using: str | None = None) -> int:
    """Insert ``rows`` — tuples of database values for the columns of ``fields`` (attribute
    names: ``body_id``; JSON as its text) — by ``COPY``, with no model instance made
    (PostgreSQL only: the caller keeps ``copy_insert`` for other databases)."""
    db = using or router.db_for_write(model)
    connection = connections[db]
    assert connection.vendor == "postgresql"
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(by_attname[name].column) for name in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    n = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


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
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    given = json_text or {}
    # How each column's value is read: a foreign key's or a plain field's attribute as it is
    # (what get_db_prep_save would return), a JSON field as text, the rest as save would.
    kinds = []
    for f in fields:
        if isinstance(f, models.JSONField):
            kinds.append((f, _JSON))
        elif f.is_relation or (type(f) in _PLAIN and not getattr(f, "auto_now", False)):
            kinds.append((f, _AS_IS))
        else:
            kinds.append((f, _PREP))
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for i, obj in enumerate(objs):
                row = []
                for f, kind in kinds:
                    if kind is _AS_IS:
                        row.append(getattr(obj, f.attname))
                    elif kind is _JSON:
                        text = given.get((i, f.name))
                        if text is None:
                            value = f.pre_save(obj, True)
                            text = None if value is None and f.null else _json(value, f.encoder)
                        row.append(text)
                    else:
                        row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
                copy.write_row(row)
    return len(objs)


_AS_IS, _JSON, _PREP = object(), object(), object()
_PLAIN = {models.CharField, models.TextField, models.SlugField, models.IntegerField,
          models.PositiveIntegerField, models.PositiveSmallIntegerField,
          models.PositiveBigIntegerField, models.SmallIntegerField, models.BigIntegerField,
          models.BooleanField}


def _json(value, encoder) -> str:
    if encoder is None:
        try:
            return orjson.dumps(value).decode()
        except TypeError:  # a type orjson does not write: json's own error, or its output
            pass
    return json.dumps(value, cls=encoder, ensure_ascii=False)
