"""Tokens and requests for the API tests."""

from __future__ import annotations

from rest_framework.test import APIClient

from assessments.api.services import token_issue
from assessments.models import ApiScope

ALL_SCOPES = list(ApiScope.values)


def token_for(user, admin, scopes=None, **kwargs) -> str:
    return token_issue(actor=admin, user=user, name="test", scopes=scopes or ALL_SCOPES,
                       **kwargs).key


def api(key: str | None = None, language: str = "ru") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
