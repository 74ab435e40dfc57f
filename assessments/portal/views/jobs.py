"""The operators' page of background jobs (administrators and coordinators): what runs, what
waits (for a worker, or for the task service to come back), what went stale or failed — with
its age and reason — and the retry and cancel buttons."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.kernel import access
from assessments.kernel.leases import job_cancel, job_is_stale, job_retry, lapsed_q
from assessments.models import BackgroundJob

FAILED_SHOWN_DAYS = 14


def _require_operator(user) -> None:
    access.require_section(user, "jobs")


def _age(age: timedelta) -> str:
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        return _("%(m)s мин") % {"m": minutes}
    if minutes < 48 * 60:
        return _("%(h)s ч %(m)s мин") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(d)s дн.") % {"d": minutes // (24 * 60)}


@login_required
@require_http_methods(["GET"])
def job_list(request: HttpRequest) -> HttpResponse:
    _require_operator(request.user)
    now = timezone.now()
    recent = now - timedelta(days=FAILED_SHOWN_DAYS)
    groups = [
        ("stale", _("Без сигнала (исполнитель пропал)"),
         BackgroundJob.objects.filter(lapsed_q(now))),
        ("running", _("Выполняются"),
         BackgroundJob.objects.filter(state="running").exclude(lapsed_q(now))),
        ("waiting", _("Ждут службу фоновых задач"),
         BackgroundJob.objects.filter(state="queued", sent_at__isnull=True).exclude(
             task_name="")),
        ("queued", _("В очереди"),
         BackgroundJob.objects.filter(state="queued", sent_at__isnull=False)),
        ("failed", _("Завершились ошибкой или отменены (%(days)s дн.)")
         % {"days": FAILED_SHOWN_DAYS},
         BackgroundJob.objects.filter(state__in=["failed", "cancelled"]).filter(
             Q(finished_at__gte=recent) | Q(finished_at__isnull=True))),
    ]
    rows = []
    for key, title, jobs in groups:
        shown = list(jobs.select_related("started_by").order_by("created_at", "id")[:200])
        for job in shown:
            job.age_text = _age(now - (job.started_at if key in ("running", "stale") and
                                       job.started_at else job.created_at))
            job.stale = job_is_stale(job)
        rows.append({"key": key, "title": title, "jobs": shown})
    return render(request, "assessments/portal/job_list.html", {"groups": rows})


@login_required
@require_POST
def job_action(request: HttpRequest, pk: int) -> HttpResponse:
    _require_operator(request.user)
    job = get_object_or_404(BackgroundJob, pk=pk)
    if request.POST.get("action") == "cancel":
        job_cancel(job_id=job.pk, actor=request.user)
        messages.success(request, _("Задание отменено."))
    elif request.POST.get("action") == "retry":
        job_retry(job_id=job.pk, actor=request.user)
        messages.success(request, _("Задание поставлено в очередь снова."))
    return redirect("portal:job_list")
