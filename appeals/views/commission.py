"""The special commission's pages (p.113–115): the commissions of the cycle and the form,
convening a sitting (the composition rule's refusals shown next to the names), attendance,
votes and rulings per row, and the completed table's signatures (the chair, the body).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appeals import rules
from appeals import services as svc
from appeals.forms import AttendanceForm, CommissionForm, ConveneForm, RulingForm, show_value
from appeals.models import Objection, SpecialCommission
from appeals.views.common import _commission, _objection, _require_action, _sitting
from assessments.kernel import access, clock
from assessments.kernel.errors import DomainError
from assessments.kernel.people import memberships_active
from assessments.models import Organisation, Role, User
from assessments.registry.services.cycles import current_cycle
from reporting.forms import SignForm
from reporting.signing.errors import CredentialRefused, SigningError
from reporting.signing.web import ncalayer_page, phase_response

# --- Commissions ------------------------------------------------------------------------------


def _commission_people(evaluator_ids) -> list[tuple[int, str]]:
    return [
        (u.pk, f"{u.display_name} — {u.position}" if u.position else u.display_name)
        for u in User.objects.filter(
            pk__in=memberships_active().filter(
                organisation_id__in=list(evaluator_ids)).values("user_id"),
            is_active=True,
        ).order_by("full_name")
    ]


def _evaluators_for_commission(user, cycle) -> list[Organisation]:
    """The evaluating bodies whose commission ``user`` may form in ``cycle``."""
    return [
        o for o in Organisation.objects.exclude(evaluator_role="").order_by("name_ru")
        if access.can(user, "form_commission", cycle, evaluator=o)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def commission_list(request: HttpRequest) -> HttpResponse:
    """The special commissions of the cycle (one per evaluating body, p.113) and, for whoever
    may form one (the evaluating body's signatory, the coordinator), the form."""
    cycle = current_cycle()
    commissions = []
    if cycle is not None:
        commissions = list(
            access.visible(request.user, SpecialCommission).filter(cycle=cycle)
            .select_related("evaluator", "chair", "secretary").order_by("evaluator__name_ru")
        )
    evaluators = _evaluators_for_commission(request.user, cycle) if cycle is not None else []
    form = None
    if evaluators:
        form = CommissionForm(
            request.POST or None,
            evaluators=[(o.pk, o.name_ru) for o in evaluators],
            people=_commission_people([o.pk for o in evaluators]),
        )
        if request.method == "POST" and form.is_valid():
            try:
                commission = svc.commission_get_or_create(
                    cycle=cycle,
                    evaluator=Organisation.objects.get(pk=form.cleaned_data["evaluator"]),
                    chair=User.objects.get(pk=form.cleaned_data["chair"]),
                    secretary=User.objects.get(pk=form.cleaned_data["secretary"]),
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Специальная комиссия сформирована."))
                return redirect("appeals:commission_detail", pk=commission.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "appeals/commission_list.html", {
        "cycle": cycle, "commissions": commissions, "form": form,
    }, status=400 if request.method == "POST" else 200)


@login_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = access.get_visible_or_404(
        request.user, SpecialCommission.objects.select_related("cycle", "evaluator", "chair",
                                                              "secretary"), pk=pk)
    objections = list(
        access.visible(request.user, Objection)
        .filter(cycle=commission.cycle_id, evaluator=commission.evaluator_id)
        .select_related("body").order_by("decision_due", "pk")
    )
    members = list(
        memberships_active(organisation_id=commission.evaluator_id,
                           roles=[Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY,
                                  Role.COMMISSION_MEMBER])
        .select_related("user").order_by("role", "user__full_name")
    )
    return render(request, "appeals/commission_detail.html", {
        "commission": commission, "objections": objections, "members": members,
        "today": clock.today(),
    })


# --- The sitting ------------------------------------------------------------------------------


class Candidate:
    """A person who might sit on the objection's sitting, with the composition rule's answer."""

    def __init__(self, user, eligibility) -> None:
        self.user = user
        self.eligible = eligibility.eligible
        self.capacity = eligibility.group
        self.reason = eligibility.reason

    @property
    def capacity_label(self) -> str:
        return str(CAPACITY_LABELS.get(self.capacity, ""))


def _capacity_labels():
    from django.utils.translation import gettext_lazy

    return {
        "body": gettext_lazy("Сотрудник оцениваемого органа"),
        "evaluator": gettext_lazy("Сотрудник уполномоченного органа, не участвовавший в оценке"),
        "working_body": gettext_lazy("Представитель рабочего органа Комиссии"),
    }


CAPACITY_LABELS = _capacity_labels()


def candidates_for(objection: Objection) -> list[Candidate]:
    """Everyone the composition rule knows of (the body's staff, the evaluating body's staff,
    the working body), each with whether they may sit and why not (p.113)."""
    from appeals.composition import CompositionContext

    context = CompositionContext(body=objection.body, evaluator=objection.evaluator,
                                 direction=objection.direction, cycle=objection.cycle)
    users = {u.pk: u for u in User.objects.filter(pk__in=context.candidates(), is_active=True)}
    out = [Candidate(users[e.user_id], e) for e in context.check_many(sorted(users))]
    order = {"body": 0, "evaluator": 1, "working_body": 2, "": 3}
    out.sort(key=lambda c: (order[c.capacity], c.user.full_name))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def sitting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    _require_action(request, objection, "convene")
    candidates = candidates_for(objection)
    sitting = _sitting(objection)  # a planned sitting is re-convened: its members replaced
    initial = {"held_on": clock.today()}
    if sitting is not None:
        initial = {"held_on": sitting.held_on or clock.today(),
                   "members": list(sitting.members.values_list("user_id", flat=True))}
    form = ConveneForm(request.POST or None, candidates=candidates, initial=initial)
    refused: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        by_id = {c.user.pk: c for c in candidates}
        chosen = [by_id[i] for i in form.cleaned_data["members"]]
        for candidate in chosen:
            if not candidate.eligible:
                refused[candidate.user.pk] = candidate.reason
        try:
            svc.sitting_convene(
                objection=objection,
                members=[(c.user, c.capacity or "evaluator") for c in chosen],
                held_on=form.cleaned_data["held_on"], actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Заседание специальной комиссии назначено."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    chosen_ids = set(form["members"].value() or [])
    rows = [{"c": c, "checked": str(c.user.pk) in {str(i) for i in chosen_ids},
             "refused": refused.get(c.user.pk, "")} for c in candidates]
    return render(request, "appeals/sitting_convene.html", {
        "o": objection, "form": form, "candidates": rows, "sitting": sitting,
        "eligible_count": sum(1 for c in candidates if c.eligible),
        "min_present": rules.MIN_PRESENT,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def sitting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    _require_action(request, objection, "attendance")
    sitting = _sitting(objection)
    if sitting is None:
        raise PermissionDenied
    members = list(sitting.members.select_related("user").order_by("capacity", "user__full_name"))
    initial = {"present": [m.user_id for m in members if m.present]}
    form = AttendanceForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.sitting_attendance(sitting=sitting, present=set(form.cleaned_data["present"]),
                                   actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Присутствие отмечено."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    checked = {int(v) for v in (form["present"].value() or []) if str(v).isdigit()}
    return render(request, "appeals/sitting_attendance.html", {
        "o": objection, "sitting": sitting, "form": form, "members": members, "checked": checked,
        "min_present": rules.MIN_PRESENT,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Per row: each present member's vote and the reasoning (and the value applied when
    accepted); the decision of the commission (quorum, majority, chair's tie, p.113–114)."""
    objection = _objection(request, pk)
    _require_action(request, objection, "decide")
    sitting = _sitting(objection)
    if sitting is None:
        raise PermissionDenied
    voters = [m.user for m in sitting.members.select_related("user")
              .filter(present=True).order_by("capacity", "user__full_name")]
    rows = list(objection.rows.order_by("number"))
    data = request.POST or None
    forms = [
        RulingForm(data, row=row, voters=voters,
                   initial={"applied_value": show_value(row.proposed_value)})
        for row in rows
    ]
    error = ""
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        try:
            svc.objection_decide(
                objection=objection, actor=request.user,
                rulings={f.row.pk: f.ruling() for f in forms},
                votes={f.row.pk: f.votes() for f in forms},
            )
        except svc.ProposedValueError as exc:  # next to the row's applied value
            form = next((f for f in forms if f.row.number == exc.row), None)
            if form is not None and "applied_value" in form.fields:
                form.add_error("applied_value", exc.field_message)
            else:
                error = exc.message
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Решение специальной комиссии оформлено."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    return render(request, "appeals/objection_decide.html", {
        "o": objection, "sitting": sitting, "forms": forms, "voters": voters, "error": error,
        "chair": _commission(objection).chair if _commission(objection) else None,
    }, status=400 if request.method == "POST" else 200)


def _sign(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    objection = _objection(request, pk)
    _require_action(request, objection, action)
    service = (svc.objection_chair_sign if action == "chair_sign"
               else svc.objection_acknowledge)
    answer = phase_response(  # the two phases of NCALayer answer JSON
        request,
        lambda step: service(objection=objection, user=request.user, passphrase=step),
        redirect_url=reverse("appeals:objection_detail", args=[objection.pk]),
    )
    if answer is not None:
        return answer
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(objection=objection, user=request.user,
                    passphrase=form.cleaned_data["passphrase"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        except SigningError as exc:
            form.add_error("passphrase" if isinstance(exc, CredentialRefused) else None, str(exc))
        else:
            messages.success(request, _("Таблица разногласий подписана председателем.")
                             if action == "chair_sign"
                             else _("С итогами обжалования ознакомлены."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    title = (_("Подписать таблицу (председатель)") if action == "chair_sign"
             else _("С итогами обжалования ознакомлен"))
    return ncalayer_page(render(request, "appeals/objection_sign.html", {
        "o": objection, "form": form, "title": title, "action": action,
    }, status=400 if request.method == "POST" else 200))


@login_required
@require_http_methods(["GET", "POST"])
def objection_chair_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, "chair_sign")


@login_required
@require_http_methods(["GET", "POST"])
def objection_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, "acknowledge")
