"""Who may sign a slot of a document's signature block.

A slot names the person (``Signatory(user=…)``) or a role (``Signatory(role=…, position=…)``)
whose holders may sign. A module that freezes documents with role slots registers, for each role,
a resolver that answers "may this user sign this slot?" — for instance the assessments app could
register ``"body_representative"`` as "a head of the evaluated body of the act's subject":

    from reporting.signing.roles import register_signatory_role

    @register_signatory_role("body_representative")
    def _body_representative(user, signed_document, slot) -> bool:
        act = signed_document.subject
        return user.memberships.filter(organisation=act.body, role="body_head").exists()

A slot with a user is signed by that user only; a role without a resolver is refused at freezing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RoleResolver = Callable[[Any, Any, Any], bool]
# Several resolvers may answer for one role (each for the subjects it owns): a slot may be signed
# by a user whom any of them accepts.
_RESOLVERS: dict[str, list[RoleResolver]] = {}


@dataclass(frozen=True)
class Signatory:
    """One place of a signature block, as requested when freezing a document."""

    user: Any = None
    role: str = ""
    position: str = ""

    @classmethod
    def of(cls, value: Any) -> Signatory:
        """Accept a ``Signatory``, a user, or a ``{"user"|"role", "position"}`` mapping."""
        if isinstance(value, Signatory):
            return value
        if isinstance(value, dict):
            return cls(user=value.get("user"), role=value.get("role", ""),
                       position=value.get("position", ""))
        if hasattr(value, "pk") and hasattr(value, "get_username"):
            return cls(user=value, position=getattr(value, "position", "") or "")
        raise TypeError(f"not a signatory: {value!r}")


def register_signatory_role(role: str) -> Callable[[RoleResolver], RoleResolver]:
    """Add a resolver for ``role`` (registering the same function twice adds it once)."""

    def decorator(func: RoleResolver) -> RoleResolver:
        resolvers = _RESOLVERS.setdefault(role, [])
        if func not in resolvers:
            resolvers.append(func)
        return func

    return decorator


def unregister_signatory_role(role: str, func: RoleResolver | None = None) -> None:
    """Remove ``func`` from ``role``'s resolvers, or every resolver of ``role``."""
    if func is None:
        _RESOLVERS.pop(role, None)
    elif func in _RESOLVERS.get(role, []):
        _RESOLVERS[role].remove(func)


def is_registered(role: str) -> bool:
    return bool(_RESOLVERS.get(role))


def may_sign_slot(user, slot) -> bool:
    """Whether ``user`` is the person of ``slot``, or holds its role per the resolver."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if slot.user_id is not None:
        return slot.user_id == user.pk
    return any(resolver(user, slot.signed_document, slot)
               for resolver in _RESOLVERS.get(slot.role, ()))
