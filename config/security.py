"""Security headers of every response (issue 16): a Content-Security-Policy with no inline
scripts (htmx configured for it in ``templates/base.html``: no eval, no script tags, no injected
indicator styles), ``connect-src`` opened to NCALayer (``wss://127.0.0.1:13579``) on the signing
pages only, and a Permissions-Policy switching off the browser features the application never
uses. On in production (``SECURITY_HEADERS``, default: production only); ``X-Content-Type-Options:
nosniff`` comes from Django's SecurityMiddleware everywhere."""

from __future__ import annotations

from django.conf import settings

NCALAYER = "wss://127.0.0.1:13579"

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PERMISSIONS = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
               "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
               "interest-cohort=()")


def content_security_policy(*, ncalayer: bool = False) -> str:
    policy = dict(POLICY)
    if ncalayer:  # where the sign page reaches NCALayer (docs/signing.md)
        policy["connect-src"] = f"'self' {getattr(settings, 'SIGNING_NCALAYER_URL', NCALAYER)}"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def _signing_page(request, response) -> bool:
    if getattr(response, "ncalayer", False):
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match) and match.view_name in settings.CSP_NCALAYER_VIEWS


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SECURITY_HEADERS:
            response.headers.setdefault(
                "Content-Security-Policy",
                content_security_policy(ncalayer=_signing_page(request, response)))
            response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response
