"""The cycle's page with its schedule, the coordinator's editing of milestones, and the
assignment of assessors. Thin views: access check, a service call, a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.kernel.people import memberships_active
from assessments.models import AssessorAssignment, Cycle, Milestone, Organisation, Role
from assessments.registry import selectors
from assessments.registry.forms import AssignmentForm, MilestoneForm, ReasonForm
from assessments.registry.services.assignments import assessor_assign, assessor_unassign
from assessments.registry.services.cycles import cycle_schedule, milestone_change


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = access.visible(request.user, Cycle).order_by("-year", "code")
    return render(request, "assessments/registry/cycle_list.html", {"cycles": cycles})


@login_required
def cycle_detail(request: HttpRequest, code: str) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    today = clock.today()
    return render(
        request,
        "assessments/registry/cycle_detail.html",
        {
            "cycle": cycle,
            "schedule": cycle_schedule(cycle, today=today),
            "today": today,
            "can_edit": access.can(request.user, "edit_schedule", cycle),
            "assignment_count": selectors.cycle_assignments(request.user, cycle)
            .filter(removed_at__isnull=True)
            .count(),
            "history": object_history(cycle),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    milestone = access.get_visible_or_404(
        request.user, Milestone.objects.filter(cycle=cycle), pk=pk
    )
    access.require(request.user, "change", milestone)
    form = MilestoneForm(request.POST or None, instance=Milestone.objects.get(pk=milestone.pk))
    if request.method == "POST" and form.is_valid():
        try:
            milestone_change(
                actor=request.user,
                milestone=milestone,
                reason=form.cleaned_data["reason"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("График изменён."))
            return redirect("registry:cycle_detail", code=cycle.code)
    return render(
        request,
        "assessments/registry/milestone_form.html",
        {
            "cycle": cycle,
            "milestone": milestone,
            "form": form,
            "history": object_history(milestone),
        },
    )


def _assignable(user, cycle: Cycle):
    """Bodies and assessors the user could pick on the assignment form (the service decides)."""
    p = access.principal(user)
    bodies = access.visible(user, Organisation.objects.filter(is_evaluated=True)).order_by(
        "name_ru"
    )
    assessors = memberships_active(roles=[Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD])
    if not (p.is_admin or p.is_coordinator):
        assessors = assessors.filter(organisation_id__in=sorted(p.org_ids()))
    from assessments.models import User

    users = User.objects.filter(pk__in=assessors.values("user_id")).order_by("full_name")
    return bodies, users


@login_required
@require_http_methods(["GET", "POST"])
def cycle_assignments(request: HttpRequest, code: str) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    may_assign = access.can(request.user, "assign_assessor", cycle)
    form = None
    if may_assign:
        bodies, assessors = _assignable(request.user, cycle)
        form = AssignmentForm(request.POST or None, bodies=bodies, assessors=assessors)
    if request.method == "POST":
        if form is None:
            access.require(request.user, "assign_assessor", cycle)
        if form.is_valid():
            try:
                assessor_assign(
                    actor=request.user,
                    cycle=cycle,
                    body=form.cleaned_data["body"],
                    direction=form.cleaned_data["direction"],
                    assessor=form.cleaned_data["assessor"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            except PermissionDenied:
                form.add_error(
                    None, _("Вы не можете назначать экспертов на этот орган и направление.")
                )
            else:
                messages.success(request, _("Эксперт назначен."))
                return redirect("registry:cycle_assignments", code=cycle.code)
    assignments = selectors.cycle_assignments(request.user, cycle)
    if request.GET.get("mine"):
        assignments = assignments.filter(assessor=request.user)
    return render(
        request,
        "assessments/registry/assignment_list.html",
        {"cycle": cycle, "assignments": assignments, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_visible_or_404(
        request.user, AssessorAssignment.objects.select_related("cycle", "body", "assessor"), pk=pk
    )
    access.require(request.user, "remove", assignment)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessor_unassign(
            actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Эксперт снят с оценки органа."))
        return redirect("registry:cycle_assignments", code=assignment.cycle.code)
    return render(
        request,
        "assessments/registry/assignment_remove.html",
        {"assignment": assignment, "form": form, "history": object_history(assignment)},
    )
