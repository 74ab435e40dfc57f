"""Pages of the conclusions (issue 7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import access
from assessments.models import Conclusion


@login_required
def conclusion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = access.get_visible_or_404(request.user, Conclusion, pk=pk)
    return render(request, "assessments/conclusion_detail.html", {"conclusion": conclusion})
