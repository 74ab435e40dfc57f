from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from assessments.services import calendar, clock


def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    return render(
        request,
        "home.html",
        {
            "today": today,
            "is_working_day": calendar.is_working_day(today),
            "next_working_day": calendar.add_working_days(today, 1),
        },
    )


def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe for the container's health check (no database access)."""
    return JsonResponse({"status": "ok", "now": clock.now().isoformat()})
