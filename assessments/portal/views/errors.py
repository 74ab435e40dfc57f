"""The error pages (config/urls.py: handler403, handler404, handler500): styled, in the reader's
language, saying why and where to go next — never a bare English page.

A ``PermissionDenied`` raised with a message (``access.require_section``,
``kernel.transitions.require``, a view that knows when an action becomes possible) shows that
message as the reason. The 500 page renders without the request's context (no menu, no database:
the failure may be the database itself)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, if it is on this site and not this page."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return ""
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith("//") or path == request.get_full_path():
        return ""
    return path


def _reason(exception) -> str:
    if exception is None:
        return ""
    message = getattr(exception, "message", None)
    if not message and exception.args:
        message = exception.args[0]
    return str(message) if message else ""


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    html = loader.render_to_string("errors/403.html", {
        "reason": _reason(exception), "back_url": _back_url(request),
    }, request=request)
    return HttpResponse(html, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    html = loader.render_to_string("errors/404.html", {
        "back_url": _back_url(request), "path": request.path,
    }, request=request)
    return HttpResponse(html, status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    html = loader.get_template("errors/500.html").render({
        "LANGUAGE_CODE": get_language() or "ru", "back_url": _back_url(request),
    })
    return HttpResponseServerError(html)
