"""Errors as RFC 9457 problem details (``application/problem+json``), in the language of
``Accept-Language`` (ru, kk, en; LocaleMiddleware picks it): ``type``, ``title``, ``status``,
``detail``, ``instance``, and ``code`` plus, where they apply, ``errors`` (field → messages),
``missing``/``partial`` (a report's elements needing confirmation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from assessments.kernel.errors import DomainError

PROBLEM_TYPE = "https://oa.invalid/problems/"
CONTENT_TYPE = "application/problem+json"


def titles() -> dict[int, str]:
    return {
        400: _("Неверный запрос"),
        401: _("Нужна аутентификация"),
        403: _("Нет права на это действие"),
        404: _("Не найдено"),
        405: _("Метод не поддерживается"),
        406: _("Формат ответа не поддерживается"),
        409: _("Действие отклонено"),
        413: _("Файл слишком велик"),
        415: _("Формат запроса не поддерживается"),
        422: _("Данные не приняты"),
        429: _("Слишком много запросов"),
        500: _("Внутренняя ошибка"),
    }


def problem(status: int, code: str, detail: str, request=None, **extra) -> Response:
    body = {"type": PROBLEM_TYPE + code, "title": titles().get(status, str(status)),
            "status": status, "detail": str(detail), "code": code}
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update(extra)
    response = Response(body, status=status, content_type=CONTENT_TYPE)
    return response


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict | list) and value and isinstance(
                    value[0] if isinstance(value, list) else None, dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        out[f"{key}.{index}.{sub}"] = messages
            elif isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    out[f"{key}.{sub}"] = messages
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """DRF's exception handler, answering every error as a problem."""
    request = context.get("request")
    set_rollback()
    if isinstance(exc, Http404):
        return problem(404, "not_found", _("Объект не найден или недоступен вам."), request)
    if isinstance(exc, PermissionDenied):
        return problem(403, "forbidden", str(exc) or _("У вас нет права на это действие."),
                       request)
    if isinstance(exc, DomainError):
        extra = {}
        status = 409
        if getattr(exc, "errors", None):  # a section's values refused, field by field
            extra["errors"] = {k: [str(v)] for k, v in exc.errors.items()}
            status = 422
        if hasattr(exc, "missing"):  # a report lacking elements: confirm_missing needed
            extra.update(missing=[str(m) for m in exc.missing],
                         partial=[str(p) for p in exc.partial])
            status = 422
        return problem(status, exc.code or "refused", exc.message, request, **extra)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(400, "invalid", _("Проверьте поля запроса."), request, errors=errors)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response = problem(401, "unauthenticated", str(exc.detail) if isinstance(
            exc, exceptions.AuthenticationFailed) else _("Передайте токен: Authorization: "
                                                         "Bearer <токен>."), request)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(exc, exceptions.Throttled):
        response = problem(429, "throttled", _("Превышен лимит запросов токена; повторите через "
                                               "%(s)s с.") % {"s": int(exc.wait or 1)}, request)
        response["Retry-After"] = str(int(exc.wait or 1))
        return response
    if isinstance(exc, exceptions.PermissionDenied):
        return problem(403, "forbidden", str(exc.detail), request)
    if isinstance(exc, exceptions.NotFound):
        return problem(404, "not_found", _("Объект не найден или недоступен вам."), request)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem(405, "method_not_allowed", _("Этот метод здесь не поддерживается."),
                       request)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return problem(415, "unsupported_media_type",
                       _("Тип содержимого запроса не поддерживается."), request)
    if isinstance(exc, exceptions.NotAcceptable):
        return problem(406, "not_acceptable", _("Запрошенный формат ответа не поддерживается."),
                       request)
    if isinstance(exc, exceptions.APIException):
        status = exc.status_code
        return problem(status, "bad_request" if status == 400 else "error", str(exc.detail),
                       request)
    return None


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)
    missing = serializers.ListField(child=serializers.CharField(), required=False)
    partial = serializers.ListField(child=serializers.CharField(), required=False)
