"""Pages of re-verification: the risk-based selection, the assessor's workspace, the body's page
of requests and acts, the act with its signatures' status and its PDF.

Thin views: access through ``assessments.kernel.access``, one service call, a domain refusal
shown next to the form (nothing the user typed is lost on a refused submit). GET shows; POST acts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.kernel.people import assigned_assessors
from assessments.kernel.uploads import refusals_for
from assessments.models import (
    MAIN_DIRECTIONS,
    ConfirmingDocument,
    Cycle,
    Direction,
    DocumentRequest,
    EvaluatorRule,
    Finding,
    Organisation,
    ReconciliationAct,
    Reverification,
    RiskSample,
)
from assessments.registry.services.cycles import current_cycle
from assessments.reverification import services
from assessments.reverification.forms import (
    ActRemarksForm,
    CloseUnsignedForm,
    DocumentRequestForm,
    FindingForm,
    OptionalNoteForm,
    PickForm,
    RequiredReasonForm,
    RiskMethodForm,
    SampleForm,
    SignActForm,
    SystemCheckForm,
    UploadForm,
)
from reporting.signing.errors import SigningError
from reporting.signing.web import ncalayer_page, phase_response

PAGE_SIZE = 50


# --- The list ------------------------------------------------------------------------------------


def _rows(user, cycle: Cycle | None, *, state: str = "", to_sign: bool = False):
    qs = access.visible(user, Reverification).select_related("body", "cycle", "evaluator")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if state in Reverification.State.values:
        qs = qs.filter(state=state)
    if to_sign:
        qs = qs.filter(state=Reverification.State.ACT_ISSUED)
    return qs.prefetch_related(
        Prefetch("acts", queryset=ReconciliationAct.objects.filter(superseded_at__isnull=True)
                 .select_related("signed_document"), to_attr="current_acts")
    ).order_by("direction", "body__name_ru", "pk")


def _selection_links(user, cycle: Cycle | None) -> list[tuple[str, str]]:
    """(direction, label) of the selection pages the user may open (one query)."""
    if cycle is None:
        return []
    p = access.principal(user)
    pairs = set(
        EvaluatorRule.objects.filter(direction__in=MAIN_DIRECTIONS)
        .values_list("evaluator_id", "direction")
    )
    if not p.sees_every_body:
        pairs &= set(p.evaluator_scopes)
    directions = {d for _e, d in pairs}
    return [(d, Direction(d).label) for d in MAIN_DIRECTIONS if d in directions]


@login_required
@require_GET
def reverification_list(request: HttpRequest) -> HttpResponse:
    cycle = current_cycle()
    code = request.GET.get("cycle")
    if code:
        cycle = access.visible(request.user, Cycle).filter(code=code).first() or cycle
    rows = _rows(request.user, cycle, state=request.GET.get("state", ""),
                 to_sign=bool(request.GET.get("to_sign")))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/reverification/list.html", {
        "cycle": cycle,
        "page": page,
        "states": Reverification.State.choices,
        "state": request.GET.get("state", ""),
        "selection_links": _selection_links(request.user, cycle),
    })


# --- Selection (p.13) ----------------------------------------------------------------------------


def _evaluators_for(user, direction: str) -> list[Organisation]:
    """The evaluating bodies whose selection page the user may open for ``direction``."""
    p = access.principal(user)
    ids = set(
        EvaluatorRule.objects.filter(direction=direction).values_list("evaluator_id", flat=True)
    )
    if not p.sees_every_body:
        ids &= {org for org, d in p.evaluator_scopes if d == direction}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_ru"))


@login_required
@require_http_methods(["GET", "POST"])
def reverification_selection(request: HttpRequest, code: str, direction: str) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    if direction not in MAIN_DIRECTIONS:
        raise Http404
    evaluators = _evaluators_for(request.user, direction)
    if not evaluators:
        raise Http404
    chosen = request.POST.get("evaluator") or request.GET.get("evaluator")
    evaluator = next((e for e in evaluators if str(e.pk) == chosen), evaluators[0])
    user = request.user
    can_edit = access.can(user, "edit_risk_method", cycle, evaluator=evaluator,
                          direction=direction)
    can_select = access.can(user, "reverification_select", cycle, evaluator=evaluator,
                            direction=direction)
    method = services.risk_method_for(cycle=cycle, evaluator=evaluator, direction=direction)
    population = services.risk_population(cycle=cycle, evaluator=evaluator, direction=direction)
    form_name = request.POST.get("form") if request.method == "POST" else None
    weights_form = RiskMethodForm(
        request.POST if form_name == "weights" else None,
        initial=RiskMethodForm.initial_for(method),
    )
    pick_form = PickForm(request.POST if form_name == "pick" else None, bodies=population)
    sample_form = SampleForm(request.POST if form_name == "sample" else None,
                             initial={"size": max(1, method.sample_size)})
    if form_name and not (can_edit if form_name == "weights" else can_select):
        raise PermissionDenied
    if form_name == "weights" and weights_form.is_valid():
        data = weights_form.cleaned_data
        try:
            services.risk_method_save(
                actor=user, cycle=cycle, evaluator=evaluator, direction=direction,
                weights=weights_form.weights(), sample_size=data["sample_size"],
                revision=data["revision"], reason=data["reason"],
            )
        except services.InvalidWeights as error:
            for code_, message in error.errors.items():
                field = None if code_ == "__all__" else (
                    code_ if code_ == "sample_size" else f"w_{code_}")
                weights_form.add_error(field, message)
        except DomainError as error:
            weights_form.add_error(None, error.message)
        else:
            messages.success(request, _("Веса факторов риска сохранены."))
            return redirect(request.path + f"?evaluator={evaluator.pk}")
    elif form_name == "pick" and pick_form.is_valid():
        body = next(b for b in population if b.pk == pick_form.cleaned_data["body"])
        basis = Reverification.Basis.MANUAL if pick_form.cleaned_data["reason"] else (
            Reverification.Basis.RISK)
        try:
            services.reverification_select(
                actor=user, cycle=cycle, body=body, direction=direction, evaluator=evaluator,
                reason=pick_form.cleaned_data["reason"], basis=basis,
            )
        except DomainError as error:
            pick_form.add_error(None, error.message)
        else:
            messages.success(request, _("Орган отобран для перепроверки: %(body)s.")
                             % {"body": body.name})
            return redirect(request.path + f"?evaluator={evaluator.pk}")
    elif form_name == "sample" and sample_form.is_valid():
        try:
            sample = services.risk_sample_draw(
                actor=user, cycle=cycle, evaluator=evaluator, direction=direction,
                size=sample_form.cleaned_data["size"],
                reason=sample_form.cleaned_data["reason"],
            )
        except DomainError as error:
            sample_form.add_error(None, error.message)
        else:
            messages.success(request, _("Случайная выборка проведена, seed %(seed)s.")
                             % {"seed": sample.seed})
            return redirect(request.path + f"?evaluator={evaluator.pk}")
    ranking = services.risk_ranking(cycle=cycle, evaluator=evaluator, direction=direction,
                                    method=method, bodies=population)
    samples = RiskSample.objects.filter(
        cycle=cycle, evaluator=evaluator, direction=direction
    ).select_related("drawn_by")[:10]
    names = {b.pk: b.name for b in population}
    return render(request, "assessments/reverification/selection.html", {
        "cycle": cycle,
        "direction": direction,
        "direction_label": Direction(direction).label,
        "evaluator": evaluator,
        "evaluators": evaluators,
        "method": method,
        "factors": list(services.RISK_FACTORS.values()),
        "weights": services.risk_weights(method),
        "ranking": ranking,
        "samples": [(s, [names.get(i, i) for i in s.drawn]) for s in samples],
        "weights_form": weights_form,
        "pick_form": pick_form,
        "sample_form": sample_form,
        "can_edit": can_edit,
        "can_select": can_select,
    })


# --- The workspace and the body's page -----------------------------------------------------------


def _reverification(request: HttpRequest, pk: int) -> Reverification:
    return access.get_visible_or_404(
        request.user, Reverification.objects.select_related("cycle", "body", "evaluator"), pk=pk
    )


def _requests(rv: Reverification, user):
    """The requests with the documents ``user`` may see: accepted ones, and their own uploads
    still in quarantine (issue 16)."""
    documents = access.visible(user, ConfirmingDocument).order_by("uploaded_at")
    return list(
        rv.requests.select_related("requested_by").prefetch_related(
            Prefetch("documents", queryset=documents.select_related("uploaded_by"))
        )
    )


def _workspace_context(request, rv: Reverification, forms: dict) -> dict:
    user = request.user
    can_work = access.can(user, "work", rv)
    findings = list(rv.findings.select_related("document", "system_check", "recorded_by"))
    checks = list(rv.system_checks.select_related("recorded_by"))
    requests = _requests(rv, request.user)
    documents = [d for r in requests for d in r.documents.all()
                 if d.check_state == ConfirmingDocument.CheckState.ACCEPTED]
    # documents the body sent that are still being checked (issue 16): their number only
    checking = dict(ConfirmingDocument.objects.filter(
        request__reverification=rv, check_state__in=[
            ConfirmingDocument.CheckState.QUARANTINE, ConfirmingDocument.CheckState.HELD],
    ).values_list("request_id").annotate(n=Count("pk")))
    for r in requests:
        r.checking = checking.get(r.pk, 0)
    editable = can_work and rv.is_open
    gathering = rv.state in (Reverification.State.SELECTED,
                             Reverification.State.DOCUMENTS_REQUESTED,
                             Reverification.State.DOCUMENTS_RECEIVED)
    can_select = access.can(user, "reverification_select", rv.cycle, evaluator=rv.evaluator,
                            direction=rv.direction)
    context = {
        "rv": rv,
        "can_work": can_work,
        "assigned": [] if can_work else assigned_assessors(
            cycle_id=rv.cycle_id, body_id=rv.body_id, directions=[rv.direction]),
        "editable": editable,
        "gathering": gathering,
        "cancellable": can_select and gathering,
        "requests": requests,
        "checks": checks,
        "findings": [f for f in findings if f.is_active],
        "withdrawn": [f for f in findings if not f.is_active],
        "deduction": services.reverification_deduction(rv),
        "acts": list(rv.acts.select_related("signed_document", "issued_by")),
        "history": object_history(rv),
        "request_form": forms.get("request") or DocumentRequestForm(),
        "check_form": forms.get("check") or SystemCheckForm(initial={
            "checked_on": clock.today()}),
        "finding_form": forms.get("finding") or FindingForm(documents=documents, checks=checks),
    }
    return context


def _body_context(request, rv: Reverification, forms: dict) -> dict:
    requests = _requests(rv, request.user)
    upload_forms = {}
    failed = forms.get("upload")
    for r in requests:
        if failed is not None and str(failed.data.get("request")) == str(r.pk):
            upload_forms[r.pk] = failed
        else:
            upload_forms[r.pk] = UploadForm(initial={"request": r.pk},
                                            prefix=None, auto_id=f"id_{r.pk}_%s")
    return {
        "rv": rv,
        "can_respond": access.can(request.user, "respond", rv) and rv.is_open,
        "requests": [(r, upload_forms[r.pk]) for r in requests],
        "acts": list(rv.acts.select_related("signed_document")),
        "refused": refusals_for(rv, request.user),
        "checking": any(d.check_state == ConfirmingDocument.CheckState.QUARANTINE
                        for r in requests for d in r.documents.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def reverification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rv = _reverification(request, pk)
    user = request.user
    p = access.principal(user)
    evaluator_view = p.sees_every_body or services.works_on(user, rv)
    forms: dict = {}
    if request.method == "POST":
        name = request.POST.get("form")
        try:
            if name == "request":
                forms["request"] = form = DocumentRequestForm(request.POST)
                if form.is_valid():
                    services.document_request_create(actor=user, reverification=rv,
                                                     **form.cleaned_data)
                    messages.success(request, _("Запрос документов направлен органу."))
                    return redirect("reverification:reverification_detail", pk=rv.pk)
            elif name == "check":
                forms["check"] = form = SystemCheckForm(request.POST)
                if form.is_valid():
                    services.system_check_record(actor=user, reverification=rv,
                                                 **form.cleaned_data)
                    messages.success(request, _("Просмотр информационной системы записан."))
                    return redirect("reverification:reverification_detail", pk=rv.pk)
            elif name == "finding":
                requests = _requests(rv, request.user)
                documents = [d for r in requests for d in r.documents.all()
                             if d.check_state == ConfirmingDocument.CheckState.ACCEPTED]
                checks = list(rv.system_checks.all())
                forms["finding"] = form = FindingForm(request.POST, documents=documents,
                                                      checks=checks)
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    data["document"] = next(
                        (d for d in documents if d.pk == data["document"]), None)
                    data["system_check"] = next(
                        (c for c in checks if c.pk == data["system_check"]), None)
                    services.finding_record(actor=user, reverification=rv, **data)
                    messages.success(request, _("Факт зафиксирован."))
                    return redirect("reverification:reverification_detail", pk=rv.pk)
            elif name == "upload":
                forms["upload"] = form = UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    document_request = access.get_visible_or_404(
                        user, DocumentRequest.objects.filter(reverification=rv),
                        pk=form.cleaned_data["request"])
                    upload = form.cleaned_data["file"]
                    services.confirming_document_upload(
                        actor=user, request=document_request, upload=upload,
                        original_name=upload.name,
                        classification=form.cleaned_data["classification"],
                    )
                    messages.success(request, _(
                        "Документ загружен и проверяется; уполномоченный орган увидит его, "
                        "когда проверка его примет."))
                    return redirect("reverification:reverification_detail", pk=rv.pk)
            else:
                raise PermissionDenied
        except services.InvalidFinding as error:
            for field, message in error.errors.items():
                forms["finding"].add_error(field if field in forms["finding"].fields else None,
                                           message)
        except DomainError as error:
            forms[name].add_error(None, error.message)
    if evaluator_view:
        return render(request, "assessments/reverification/workspace.html",
                      _workspace_context(request, rv, forms))
    return render(request, "assessments/reverification/body.html",
                  _body_context(request, rv, forms))


@login_required
@require_GET
def reverification_document_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_visible_or_404(request.user, ConfirmingDocument, pk=pk)
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise Http404
    content_types = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                     "docx": "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(data, content_type=content_types.get(document.file_type,
                                                                 "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{document.sha256[:16]}.' \
                                      f'{document.file.name.rsplit(".", 1)[-1]}"'
    response["X-Content-SHA256"] = document.sha256
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reverification_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a document request (the evaluator), with the reason."""
    document_request = access.get_visible_or_404(
        request.user, DocumentRequest.objects.select_related("reverification__body",
                                                             "reverification__cycle"), pk=pk)
    rv = document_request.reverification
    access.require(request.user, "work", rv)
    form = RequiredReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_request_withdraw(actor=request.user, request=document_request,
                                               reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Запрос отозван."))
            return redirect("reverification:reverification_detail", pk=rv.pk)
    return render(request, "assessments/reverification/request_withdraw.html",
                  {"rv": rv, "document_request": document_request, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reverification_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit or withdraw a finding (with a check that nobody changed it meanwhile)."""
    finding = access.get_visible_or_404(
        request.user, Finding.objects.select_related("reverification__cycle",
                                                     "reverification__body"), pk=pk)
    rv = finding.reverification
    access.require(request.user, "work", rv)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {"kind": finding.kind, "description": finding.description,
               "report_section": finding.report_section, "origin": finding.origin,
               "source_url": finding.source_url, "revision": finding.revision}
    form = FindingForm(request.POST if action == "save" else None, initial=initial, editing=True)
    withdraw_form = RequiredReasonForm(request.POST if action == "withdraw" else None)
    try:
        if action == "save" and form.is_valid():
            services.finding_update(actor=request.user, finding=finding, **form.cleaned_data)
            messages.success(request, _("Факт изменён."))
            return redirect("reverification:reverification_detail", pk=rv.pk)
        if action == "withdraw" and withdraw_form.is_valid():
            services.finding_withdraw(actor=request.user, finding=finding,
                                      reason=withdraw_form.cleaned_data["reason"])
            messages.success(request, _("Факт исключён."))
            return redirect("reverification:reverification_detail", pk=rv.pk)
    except services.InvalidFinding as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    except DomainError as error:
        (form if action == "save" else withdraw_form).add_error(None, error.message)
    return render(request, "assessments/reverification/finding.html", {
        "rv": rv, "finding": finding, "form": form, "withdraw_form": withdraw_form,
        "editable": rv.is_open and finding.is_active,
    })


# --- Transitions: a confirmation page each -------------------------------------------------------

ACTIONS = {
    # action: (title, button, needs a reason)
    "complete": (_("Завершить фиксацию фактов"), _("Зафиксировать"), False),
    "issue": (_("Сформировать акт сверки"), _("Сформировать акт"), False),
    "close": (_("Завершить перепроверку"), _("Завершить"), False),
    "reopen": (_("Изменить акт: новая версия"), _("Открыть для изменения"), True),
    "cancel": (_("Исключить из отбора"), _("Исключить"), True),
}


def _run_action(action: str, user, rv: Reverification, reason: str):
    if action == "complete":
        return services.findings_complete(actor=user, reverification=rv, note=reason)
    if action == "issue":
        return services.reconciliation_act_issue(actor=user, reverification=rv)
    if action == "close":
        return services.reverification_close(actor=user, reverification=rv, note=reason)
    if action == "reopen":
        return services.reverification_reopen(actor=user, reverification=rv, reason=reason)
    return services.reverification_cancel(actor=user, reverification=rv, reason=reason)


@login_required
@require_http_methods(["GET", "POST"])
def reverification_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    rv = _reverification(request, pk)
    if action == "cancel":
        access.require(request.user, "reverification_select", rv.cycle, evaluator=rv.evaluator,
                       direction=rv.direction)
    else:
        access.require(request.user, "work", rv)
    title, button, needs_reason = ACTIONS[action]
    form = (RequiredReasonForm if needs_reason else OptionalNoteForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = _run_action(action, request.user, rv, form.cleaned_data["reason"])
        except (DomainError, SigningError) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("Готово: %(title)s.") % {"title": title})
            if isinstance(result, ReconciliationAct):
                return redirect("reverification:reverification_act", pk=result.pk)
            return redirect("reverification:reverification_detail", pk=rv.pk)
    return render(request, "assessments/reverification/action.html", {
        "rv": rv, "action": action, "title": title, "button": button, "form": form,
        "deduction": services.reverification_deduction(rv) if action == "issue" else None,
    })


# --- The act -------------------------------------------------------------------------------------


def _act(request: HttpRequest, pk: int) -> ReconciliationAct:
    return access.get_visible_or_404(
        request.user,
        ReconciliationAct.objects.select_related(
            "reverification__cycle", "reverification__body", "reverification__evaluator",
            "signed_document", "issued_by",
        ),
        pk=pk,
    )


def _act_other_action(request: HttpRequest, act: ReconciliationAct, action: str, form):
    """The body's remarks without signing, or the closure without the body's signature."""
    if not form.is_valid():
        return None
    try:
        if action == "remarks":
            services.reconciliation_act_remarks(actor=request.user, act=act,
                                                remarks=form.cleaned_data["remarks"])
            messages.success(request, _("Замечания к акту внесены."))
        else:
            services.reconciliation_act_close_unsigned(actor=request.user, act=act,
                                                       reason=form.cleaned_data["reason"])
            messages.success(request, _("Акт закрыт без подписи органа; вычет применяется."))
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    return redirect("reverification:reverification_act", pk=act.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reverification_act(request: HttpRequest, pk: int) -> HttpResponse:
    """The act (annex 1): its facts and total, each signature (name, position, date) with its
    verification, the body's term and remarks, how it was closed; the sign form at the user's
    turn, the body's remarks form, the closure past the term."""
    act = _act(request, pk)
    status = services.act_signing_status(act, request.user)
    body_turn = bool(status.turn and status.turn.may_sign and status.turn.slot
                     and status.turn.slot.role == services.BODY_SLOT_ROLE)
    action = request.POST.get("action", "sign") if request.method == "POST" else None
    allowed = services.act_actions(request.user, act)
    form = SignActForm(request.POST if action == "sign" else None, body_turn=body_turn)
    remarks_form = ActRemarksForm(request.POST if action == "remarks" else None,
                                  initial={"remarks": act.body_remarks},
                                  auto_id="id_disagree_%s")  # beside the sign form's remarks
    close_form = CloseUnsignedForm(request.POST if action == "close_unsigned" else None,
                                   auto_id="id_close_%s")
    if action in ("remarks", "close_unsigned"):
        if action not in allowed:
            raise PermissionDenied
        done = _act_other_action(request, act, action,
                                 remarks_form if action == "remarks" else close_form)
        if done is not None:
            return done
    elif action == "sign":
        access.require(request.user, "sign", act)
        answer = phase_response(  # the two phases of NCALayer answer JSON
            request,
            lambda step: services.reconciliation_act_sign(
                actor=request.user, act=act, passphrase=step,
                remarks=(request.POST.get("remarks", "") if body_turn else "")[:900]),
            redirect_url=reverse("reverification:reverification_act", args=[act.pk]),
        )
        if answer is not None:
            return answer
        if form.is_valid():
            try:
                signature = services.reconciliation_act_sign(
                    actor=request.user, act=act, passphrase=form.cleaned_data["passphrase"],
                    remarks=form.cleaned_data.get("remarks", ""),
                )
            except (DomainError, SigningError) as error:
                form.add_error("passphrase" if "парол" in str(error).lower() else None,
                               getattr(error, "message", str(error)))
            else:
                messages.success(request, _("Акт подписан: %(who)s.")
                                 % {"who": signature.printed_name})
                return redirect("reverification:reverification_act", pk=act.pk)
    checks = {c.field_name: c for c in (status.report.signatures if status.report else ())}
    slots = [(slot, getattr(slot, "signature", None),
              checks.get(slot.signature.field_name) if hasattr(slot, "signature") else None)
             for slot in status.slots]
    today = clock.today()
    due = act.body_sign_due_on
    return ncalayer_page(render(request, "assessments/reverification/act.html", {
        "act": act,
        "rv": act.reverification,
        "status": status,
        "slots": slots,
        "form": form if status.turn and status.turn.may_sign and act.is_current else None,
        "body_turn": body_turn,
        "remarks_form": remarks_form if "remarks" in allowed else None,
        "close_form": close_form if "close_unsigned" in allowed else None,
        "close_blocker": (services.act_close_unsigned_blocker(act, today)
                          if services.works_on(request.user, act.reverification) else ""),
        "term_days": act.reverification.cycle.act_signing_working_days,
        "term_passed": bool(due and today > due),
        "term_working_days_left": (calendar.working_days_between(today, due)
                                   if due and today < due else 0),
    }))


@login_required
@require_GET
def reverification_act_closure_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Annex 1 with the closure record of an act closed without the body's signature."""
    act = _act(request, pk)
    document = act.closure_document
    if document is None or not document.file:
        raise Http404
    with document.file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="act-{act.reverification_id}-v{act.version}-closure.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def reverification_act_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The act's PDF as stored now (or after signature ``?order=N``; 0 = unsigned), verified at
    download: ``X-Signature-Status`` says valid_trusted / untrusted / altered / unsigned."""
    from reporting.signing.services import signed_document_download

    act = _act(request, pk)
    order = request.GET.get("order")
    try:
        download = signed_document_download(
            signed_document=act.signed_document,
            order=int(order) if order not in (None, "") else None,
        )
    except (LookupError, ValueError):
        raise Http404
    response = HttpResponse(download.data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="act-{act.reverification_id}-v{act.version}-'
        f'{download.order}.pdf"'
    )
    response["X-Signature-Status"] = download.report.status.value
    response["X-Signature-Count"] = str(len(download.report.signatures))
    response["X-Content-SHA256"] = download.report.sha256
    response["Cache-Control"] = "no-store"
    return response
