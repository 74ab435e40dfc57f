"""Login with the lockout message of django-axes shown on the login page itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # the address's own limit, apart from axes' account-and-address lock (settings.py)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return lockout_response(request, address=True)
        return super().post(request, *args, **kwargs)


def address_failures(request) -> int:
    """Failed logins from the request's address (as axes reads it, proxies counted by
    ``AXES_PROXY_COUNT``) on any accounts within the cool-off."""
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    address = get_client_ip_address(request)
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return total or 0


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None, *, address=False):
    """AXES_LOCKOUT_CALLABLE: the login page again, with a clear, translated message (HTTP 429)."""
    if address:
        message = _(
            "Слишком много неудачных попыток входа с этого адреса. Вход с него приостановлен "
            "на %(minutes)s мин. Попробуйте позже или обратитесь к администратору."
        ) % {"minutes": lockout_minutes()}
    else:
        message = _(
            "Слишком много неудачных попыток входа. Вход для этой учётной записи с этого "
            "адреса заблокирован на %(minutes)s мин. Попробуйте позже или обратитесь к "
            "администратору, чтобы снять блокировку."
        ) % {"minutes": lockout_minutes()}
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": True,
            "lockout_message": message,
            "next": request.POST.get("next", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
