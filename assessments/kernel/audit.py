"""The audit trail's one writer, and the readers of an object's history.

Every service that changes reference or scored data calls :func:`audit_record` inside its
transaction, so the change and its log row commit together. State changes of django-fsm models
are logged by django-fsm-log (``StateLog``); :func:`object_history` merges both for a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from assessments.kernel import clock
from assessments.models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value (model instances by their str, dates ISO)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # lazy translations, enums, anything else: by their text


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record that ``actor`` did ``action`` on ``obj``: ``changes = {field: (before, after)}``.

    ``actor`` may be None for system jobs (the clock closing a window). The time is the
    application clock's. Values are stored as JSON (model instances by their names).
    """
    entry = audit_build(actor=actor, obj=obj, action=action, changes=changes, reason=reason)
    entry.save()
    return entry


def changes_between(
    before: Mapping[str, Any], obj: models.Model, fields: Iterable[str]
) -> dict[str, tuple[Any, Any]]:
    """The fields whose value on ``obj`` differs from ``before[field]``, as ``(before, after)``."""
    result = {}
    for name in fields:
        old, new = before.get(name), getattr(obj, name)
        if old != new:
            result[name] = (old, new)
    return result


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj``: take it before a change (changes_between)."""
    return {name: getattr(obj, name) for name in fields}


@dataclass(frozen=True)
class HistoryRow:
    """One line of an object's history: an audit entry or a state transition."""

    at: datetime
    actor: Any
    action: str
    changes: list[tuple[str, Any, Any]]
    reason: str
    kind: str  # "audit" or "state"
    # What the page prints: for a transition, the states' names in the reader's language
    # instead of their codes (the codes stay in ``action`` and ``changes``).
    shown_action: str = ""
    shown_changes: list[tuple[str, Any, Any]] | None = None

    @property
    def display_action(self) -> str:
        return self.shown_action or self.action

    @property
    def display_changes(self) -> list[tuple[str, Any, Any]]:
        return self.changes if self.shown_changes is None else self.shown_changes


def _state_names(model: type[models.Model]) -> tuple[str, dict[str, str]]:
    """The state field's name and its choices' labels (django-fsm's field on ``model``)."""
    from django_fsm import FSMFieldMixin

    for field in model._meta.fields:
        if isinstance(field, FSMFieldMixin):
            return str(field.verbose_name), {str(k): str(v) for k, v in field.flatchoices}
    return "state", {}


def object_history(obj: models.Model) -> list[HistoryRow]:
    """Audit entries and django-fsm-log transitions of ``obj``, newest first (two queries)."""
    from django_fsm_log.models import StateLog

    content_type = ContentType.objects.get_for_model(obj)
    rows = [
        HistoryRow(
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            changes=entry.change_rows(),
            reason=entry.reason,
            kind="audit",
        )
        for entry in AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    ]
    field, names = _state_names(type(obj))
    rows += [
        HistoryRow(
            at=log.timestamp,
            actor=log.by,
            action=log.transition,
            changes=[("state", log.source_state, log.state)],
            reason=log.description or "",
            kind="state",
            shown_action=names.get(log.state, ""),
            shown_changes=[(field, names.get(log.source_state, log.source_state),
                            names.get(log.state, log.state))],
        )
        for log in StateLog.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("by")
        .order_by("-timestamp", "-pk")
    ]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def audit_build(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """An unsaved entry, as :func:`audit_record` would write it: for services that write many
    rows at once and store their entries with :func:`audit_record_many` (one query)."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or clock.now(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:500],
        action=action,
        changes={
            name: [_plain(before), _plain(after)]
            for name, (before, after) in (changes or {}).items()
        },
        reason=reason,
    )


def audit_record_many(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Store entries built by :func:`audit_build` in one query."""
    return AuditEntry.objects.bulk_create(list(entries))
