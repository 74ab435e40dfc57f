"""The two phases on every signing page (docs/signing.md, "Sign pages").

A signing page's POST normally carries the demo passphrase. The page's script
(``static/js/signing.js``) posts the same form with ``phase``:

* ``prepare`` — the feature's own service runs with ``Prepare()`` (its checks, freezing the
  document if it signs first) and the answer is JSON: the preparation's id and the bytes to sign
  in base64 (the whole ``/ByteRange`` data), which the script hands to NCALayer;
* ``complete`` — with ``preparation`` and ``cms`` (what NCALayer returned): the service runs with
  ``Complete(...)``; the answer says who signed, or why not;
* ``demo`` — with ``passphrase``: the demo signer, both phases on the server (the batch page of
  the demo uses it to show progress document by document).

Views call :func:`phase_response` before their own form handling; ``call(step)`` is their
service with the step in place of the passphrase. Refusals come back as ``{"ok": false,
"error": <translated message>}`` with status 400 (403 for no access), and store nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from assessments.kernel.errors import DomainError
from reporting.signing.errors import SigningError
from reporting.signing.services import Complete, Prepare, preparation_data

PHASES = ("prepare", "complete", "demo")
MAX_CMS_CHARS = 128 * 1024


def phase_of(request: HttpRequest) -> str:
    return request.POST.get("phase", "") if request.method == "POST" else ""


def phase_response(
    request: HttpRequest, call: Callable[[object], object], *, redirect_url: str = ""
) -> JsonResponse | None:
    """Run one phase of a signing page's POST as JSON, or ``None`` when the POST is the page's
    ordinary form (no ``phase``)."""
    phase = phase_of(request)
    if phase not in PHASES:
        return None
    try:
        if phase == "prepare":
            step = Prepare()
            call(step)
            preparation = step.preparation
            if preparation is None:  # the service finished without asking for a signature
                raise DomainError(_("Этот документ сейчас не подписывается."))
            return JsonResponse({
                "ok": True,
                "preparation": preparation.pk,
                "data": base64.b64encode(preparation_data(preparation)).decode("ascii"),
                "expires_at": preparation.expires_at.isoformat(),
            })
        if phase == "complete":
            cms = request.POST.get("cms", "")
            if not cms or len(cms) > MAX_CMS_CHARS:
                raise DomainError(_("Подпись не получена от NCALayer."))
            step = Complete(preparation_id=request.POST.get("preparation", ""), cms=cms)
            call(step)
            signature = step.signature
        else:
            passphrase = request.POST.get("passphrase", "")
            if not passphrase:
                raise DomainError(_("Введите пароль к ключу подписи."))
            call(passphrase)
            signature = None
    except PermissionDenied:
        return JsonResponse({"ok": False, "error": _("Нет доступа к этому документу.")},
                            status=403)
    except DomainError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    except SigningError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=400)
    return JsonResponse({
        "ok": True,
        "signed_by": signature.printed_name if signature is not None else "",
        "redirect": redirect_url,
    })


def ncalayer_page(response):
    """Mark a response as a signing page: the Content-Security-Policy (config/security.py, when
    present) then lets it reach NCALayer (``connect-src`` + ``SIGNING_NCALAYER_URL``)."""
    response.ncalayer = True
    return response


def signing_context(request) -> dict:
    """Template context (a context processor): how this deployment signs."""
    return {
        "SIGNING_METHOD": getattr(settings, "SIGNING_METHOD", "demo"),
        "SIGNING_NCALAYER_URL": getattr(settings, "SIGNING_NCALAYER_URL",
                                        "wss://127.0.0.1:13579"),
    }
