"""Tokens and service accounts: issued and revoked by administrators, every change audited.

A token's key (``oa_`` + 43 random characters) is returned once by :func:`token_issue`; the
database keeps its SHA-256 only. :func:`token_authenticate` finds a live token by that hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.models import (
    ApiScope,
    ApiToken,
    ApiTokenUse,
    Organisation,
    Role,
    ServiceAccount,
    User,
)
from assessments.registry.services.memberships import membership_grant

KEY_PREFIX = "oa_"
DEFAULT_DAYS = 365
MAX_DAYS = 2 * 365


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once


def _require_admin(actor) -> None:
    if actor is None or not access.principal(actor).is_admin:
        raise PermissionDenied


@transaction.atomic
def token_issue(*, actor, user: User, name: str, scopes: list[str],
                expires_at: datetime | None = None) -> IssuedToken:
    """An administrator issues a token to ``user`` (a person or a service account) with
    ``scopes`` until ``expires_at`` (default a year, at most two)."""
    _require_admin(actor)
    unknown = [s for s in scopes if s not in ApiScope.values]
    if not scopes or unknown:
        raise DomainError(_("Укажите права токена: %(s)s.") % {"s": ", ".join(ApiScope.values)},
                          code="scopes")
    if not user.is_active:
        raise DomainError(_("Учётная запись отключена: токен ей не выдаётся."), code="inactive")
    now = clock.now()
    expires_at = expires_at or now + timedelta(days=DEFAULT_DAYS)
    if expires_at <= now or expires_at > now + timedelta(days=MAX_DAYS):
        raise DomainError(_("Срок действия токена — от завтрашнего дня до двух лет."),
                          code="expiry")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:200] or _("Токен API"), prefix=key[:10],
        key_hash=key_hash(key), scopes=sorted(set(scopes)), expires_at=expires_at,
        created_by=actor, created_at=now)
    audit_record(actor=actor, obj=token, action="api:token_issue",
                 changes={"user": (None, user.username), "scopes": (None, token.scopes),
                          "expires_at": (None, expires_at.isoformat())})
    return IssuedToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    _require_admin(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = clock.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, obj=token, action="api:token_revoke",
                 changes={"revoked_at": (None, token.revoked_at.isoformat())}, reason=reason)
    return token


def token_authenticate(key: str) -> ApiToken | None:
    """The live token of this key (not revoked, not expired, its account active), or None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    if token is None or token.revoked_at is not None or token.expires_at <= clock.now():
        return None
    if not token.user.is_active:
        return None
    return token


def token_use_record(*, token: ApiToken, method: str, path: str, status: int,
                     address: str = "") -> None:
    """Each use of a token, with the answer's status (audit of the API's use)."""
    now = clock.now()
    ApiTokenUse.objects.create(token=token, at=now, method=method[:10], path=path[:500],
                               status=status, address=address[:64])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def service_account_create(*, actor, organisation: Organisation, system: str, username: str,
                           roles: list[tuple[str, str]]) -> ServiceAccount:
    """An integration's account: a user who cannot sign in to the pages, with memberships of
    ``organisation`` in ``roles`` (``(role, direction)`` pairs), recorded as the actor of
    everything its tokens do."""
    _require_admin(actor)
    if User.objects.filter(username=username).exists():
        raise DomainError(_("Имя пользователя «%(u)s» уже занято.") % {"u": username},
                          code="username")
    known = set(Role.values)
    if not roles or any(role not in known for role, _d in roles):
        raise DomainError(_("Укажите роли сервисной учётной записи."), code="roles")
    user = User(username=username, full_name=system[:255], is_active=True)
    user.set_unusable_password()
    user.save()
    for role, direction in roles:  # the registry's own service: its checks, its audit
        membership_grant(actor=actor, user=user, organisation=organisation, role=role,
                         direction=direction or "", reason=_("Сервисная учётная запись"))
    account = ServiceAccount.objects.create(user=user, organisation=organisation,
                                            system=system[:255], created_by=actor,
                                            created_at=clock.now())
    audit_record(actor=actor, obj=account, action="api:service_account_create",
                 changes={"roles": (None, [f"{r}:{d}" for r, d in roles])})
    return account
