"""The audit log for administrators (everyone else reads an object's history on its page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.kernel import access
from assessments.models import AuditEntry


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access.require_section(request.user, "audit")
    entries = access.visible(request.user, AuditEntry).select_related("actor", "content_type")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/portal/audit_log.html", {"page": page, "action": action})
