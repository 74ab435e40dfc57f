"""The pieces of every transition's shape (EXAMPLES.md, "one shape for every transition"):
lock the row, check the actor's permission, refuse a state with a translated message.

    obj = lock(obj, "cycle", "body")                   # inside transaction.atomic()
    require(actor, "sign", obj, message=_("…"))       # PermissionDenied with the message
    raise state_refused(obj, doing=_("подписать"), message=_("Нельзя %(doing)s: … «%(state)s»."))
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models

from assessments.kernel import access
from assessments.kernel.errors import DomainError

M = TypeVar("M", bound=models.Model)


def lock(obj: M, *related: str) -> M:
    """The row of ``obj`` again, locked until the transaction ends (``SELECT … FOR UPDATE``),
    with ``related`` joined. A fresh instance: django-fsm-2's protected fields cannot be
    refreshed in place."""
    qs = type(obj)._default_manager.select_for_update()
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=obj.pk)


def require(actor, action: str, obj: models.Model, *, message: str, **context) -> None:
    """Refuse (``PermissionDenied`` with ``message``) unless ``actor`` may do ``action`` on
    ``obj`` by the access rules; no actor is refused too."""
    if actor is None or not access.can(actor, action, obj, **context):
        raise PermissionDenied(message)


def state_refused(obj: models.Model, *, doing: str, message: str,
                  field: str = "state") -> DomainError:
    """The refusal of an action in the object's current state. ``message`` is a translated
    template with ``%(doing)s`` and ``%(state)s``; the state is shown by its label."""
    state = getattr(obj, f"get_{field}_display")()
    return DomainError(message % {"doing": doing, "state": state}, code="state")
