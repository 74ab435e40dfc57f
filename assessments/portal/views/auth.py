"""Login with the lockout message of django-axes shown on the login page itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with a clear, translated message (HTTP 429)."""
    message = _(
        "Слишком много неудачных попыток входа. Вход для этой учётной записи или с этого "
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
