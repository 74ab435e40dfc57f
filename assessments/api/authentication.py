"""``Authorization: Bearer oa_…``: the token's account is the request's user (the actor of every
service the view calls), the token itself is ``request.auth`` (its scopes, its throttle bucket,
its use record)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from assessments.api.services import token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Неверный заголовок Authorization: нужен "
                                                    "«Bearer <токен>»."))
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Токен недействителен, отозван или истёк."))
        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Токен недействителен, отозван или истёк."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "assessments.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A token issued by an administrator (oa_…)."}
