"""The user's notifications: the list, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.kernel.notifications import notification_mark_read
from assessments.models import Notification


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notification_mark_read(user=request.user)
        return redirect("portal:notification_list")
    notes = access.visible(request.user, Notification).order_by("-created_at", "-id")[:200]
    return render(request, "assessments/portal/notification_list.html", {"notes": notes})
