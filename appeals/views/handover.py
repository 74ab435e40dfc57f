"""The Agency's coordinator and the Commission's working body (p.110, p.116–121): objections by
state with their due dates, hand-overs to the Agency, and checks of individual results.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appeals import services as svc
from appeals.forms import ResultCheckCloseForm, ResultCheckOpenForm
from appeals.models import Handover, ObjectionState, ResultCheck
from appeals.views.common import _objections
from assessments.conclusions.selectors import silent_windows
from assessments.conclusions.services import conclusion_windows_close
from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.models import Organisation, Role
from assessments.registry.services.cycles import current_cycle


def _overview_allowed(user) -> bool:
    """The Agency's coordinator, the Commission's working body and administrators."""
    p = access.principal(user)
    return p.is_admin or p.is_coordinator or Role.WORKING_BODY_REP in p.roles


def _bodies(user) -> list[tuple[int, str]]:
    return [(o.pk, o.name_ru) for o in access.visible(user, Organisation).filter(
        is_evaluated=True).order_by("name_ru")]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Objections by state with their due dates (overdue highlighted), windows that closed with
    neither an objection nor a notice (recorded first if the clock's job has not run yet),
    hand-overs to the Agency with theirs, result checks (p.110)."""
    if not _overview_allowed(request.user):
        raise PermissionDenied
    cycle = current_cycle()
    today = clock.today()
    conclusion_windows_close(today=today)
    objections = _objections(request.user, cycle)
    by_state = []
    for value, label in ObjectionState.choices:
        items = [o for o in objections if o.state == value]
        by_state.append({"state": value, "label": label, "items": items})
    overdue = [o for o in objections if o.decided_on is None and o.decision_due < today]
    handovers = list(
        access.visible(request.user, Handover)
        .filter(**({"conclusion__cycle": cycle} if cycle else {}))
        .select_related("conclusion__body", "conclusion__evaluator", "to")
        .order_by("handed_at", "due_on", "pk")
    )
    checks = list(
        access.visible(request.user, ResultCheck)
        .filter(**({"cycle": cycle} if cycle else {}))
        .select_related("body").order_by("state", "last_day", "pk")
    )
    form = None
    if cycle is not None and access.can(request.user, "result_check", cycle):
        form = ResultCheckOpenForm(bodies=_bodies(request.user))
    return render(request, "appeals/overview.html", {
        "cycle": cycle, "today": today, "by_state": by_state, "overdue": overdue,
        "handovers": [(h, access.can(request.user, "record", h)) for h in handovers],
        "checks": checks, "form": form,
        "silent": list(silent_windows(request.user, cycle)),
    })


@login_required
@require_http_methods(["POST"])
def result_check_open(request: HttpRequest) -> HttpResponse:
    """The working body opens a check of individual results on a body's complaint (p.110)."""
    cycle = current_cycle()
    if cycle is None or not access.can(request.user, "result_check", cycle):
        raise PermissionDenied
    form = ResultCheckOpenForm(request.POST, bodies=_bodies(request.user))
    if form.is_valid():
        try:
            check = svc.result_check_open(
                cycle=cycle, body=Organisation.objects.get(pk=form.cleaned_data["body"]),
                actor=request.user, text=form.cleaned_data["text"],
                lodged_on=form.cleaned_data["lodged_on"],
                direction=form.cleaned_data["direction"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Проверка начата."))
            return redirect("appeals:result_check", pk=check.pk)
    return render(request, "appeals/result_check_open.html", {"form": form, "cycle": cycle},
                  status=400)


@login_required
@require_http_methods(["GET", "POST"])
def result_check(request: HttpRequest, pk: int) -> HttpResponse:
    """One result check: the body's complaint and its last day; closing it with the outcome."""
    check = access.get_visible_or_404(
        request.user, ResultCheck.objects.select_related("body", "cycle", "opened_by",
                                                         "closed_by"), pk=pk)
    may_close = access.can(request.user, "close", check)
    form = ResultCheckCloseForm(request.POST or None) if may_close else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.result_check_close(check=check, actor=request.user,
                                       outcome=form.cleaned_data["outcome"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Проверка результатов оценки по жалобе органа "
                                            "завершена."))
                return redirect("appeals:result_check", pk=check.pk)
    return render(request, "appeals/result_check.html", {
        "check": check, "form": form, "history": object_history(check),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def handover_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm that a final conclusion was handed over to the Agency (p.116–121)."""
    handover = access.get_visible_or_404(
        request.user, Handover.objects.select_related("conclusion__body", "to"), pk=pk)
    if handover.handed_at is not None or not access.can(request.user, "record", handover):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            svc.handover_record(handover=handover, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Внесение заключения в Агентство отмечено."))
            return redirect("appeals:overview" if _overview_allowed(request.user)
                            else "appeals:appeal_list")
    return render(request, "appeals/handover_record.html", {
        "h": handover, "error": error,
    }, status=400 if error else 200)
