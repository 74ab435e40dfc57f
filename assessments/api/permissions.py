"""Scopes: what a token may be used for. The account's roles (the access registry) decide what
it may see and do; a scope only narrows that, never widens it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from assessments.models import ApiScope, ApiToken

READ = (ApiScope.READ_SCORES, ApiScope.SUBMIT_REPORTS, ApiScope.IMPORT_DATA)


class TokenScopes(BasePermission):
    """The view's ``read_scopes`` (any of them) for safe methods, ``write_scopes`` otherwise.
    A signed-in session is not narrowed."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        needed = getattr(view, "read_scopes" if safe else "write_scopes", READ)
        if any(scope in token.scopes for scope in needed):
            return True
        self.message = _("Токену не дано право «%(s)s».") % {
            "s": ", ".join(str(ApiScope(s).label) for s in needed)}
        return False
