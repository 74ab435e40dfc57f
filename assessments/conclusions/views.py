"""Pages of the conclusions (p.21): the lists and queues, the assessor's editor with the live
scores and their explanations, one confirmation page per transition, the preview PDF.

Thin views: the object through ``access`` (404 for outsiders), one service call, a domain
refusal turned into a message next to the form. Every action button is shown only when
``conclusion_actions`` offers it; the services check again.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.conclusions import selectors
from assessments.conclusions import services as svc
from assessments.conclusions.forms import ConclusionEditForm, DraftForm, ReturnForm
from assessments.conclusions.selectors import CRITERION_LABELS, printed, value_label
from assessments.conclusions.services.guard_scores import GUARDED_STATES, current_sheets
from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.models import (
    AssessorAssignment,
    Conclusion,
    ConclusionState,
    ScoreSheet,
    WindowOutcome,
)
from assessments.registry.services.cycles import current_cycle
from reporting.forms import SignForm
from reporting.models import RenderedDocument
from reporting.signing.errors import CredentialRefused, SigningError
from reporting.signing.services import active_credential, credential_expiry_warning
from reporting.signing.web import ncalayer_page, phase_response

PAGE_SIZE = 50


def _score_rows(c: Conclusion, live: ScoreSheet | None) -> list[dict]:
    """Each printed value labelled by the conclusion's own direction, as the annex prints it
    (decimal comma): the conclusion's, the live one (the current sheet), and the engine's
    explanation (formula, inputs, rules, seed paragraph)."""
    explain = (live or c.score_sheet).explain if (live or c.score_sheet) else {}
    prefix = {"automation": "services."}.get(c.direction, f"{c.direction}.")
    live_values = dict(live.values) if live else {}
    if c.direction == "automation" and live_values:
        live_values = {k: v for k, v in live_values.items() if k in svc.AUTOMATION_CODES}
    bands = dict(ScoreSheet.Band.choices)
    rows = []
    for code, value in c.values.items():
        entry = explain.get(prefix + code) or {}
        shown_code, label = value_label(c.direction, code)
        live_value = live_values.get(code, value) if live else value
        rows.append({
            "code": code,
            "shown_code": shown_code,
            "label": label,
            "value": bands.get(value, printed(value)) if code == "band" else printed(value),
            "live": (bands.get(live_value, printed(live_value)) if code == "band"
                     else printed(live_value)),
            "changed": bool(live) and live_values.get(code) != value,
            "formula": entry.get("formula", ""),
            "inputs": {k: printed(v) for k, v in (entry.get("inputs") or {}).items()},
            "rules": entry.get("rules", []),
            "source": entry.get("source", ""),
        })
    return rows


def _live_sheet(c: Conclusion) -> ScoreSheet | None:
    if c.direction == "block":
        return None
    return (
        ScoreSheet.objects.filter(cycle=c.cycle_id, body=c.body_id,
                                  direction=svc.SHEET_DIRECTION[c.direction], is_current=True)
        .first()
    )


def _window(c: Conclusion) -> dict | None:
    """The objection window as the body's page shows it: the last day and the time left (it
    closes at the end of that day, Asia/Almaty)."""
    if c.objection_deadline is None:
        return None
    closes_at = clock.end_of_day(c.objection_deadline)
    left = closes_at - clock.now()
    return {
        "last_day": c.objection_deadline,
        "closes_at": closes_at,
        "open": left > timedelta(0),
        "days": max(left.days, 0),
        "hours": max(left.seconds // 3600, 0) if left > timedelta(0) else 0,
    }


# --- Lists -----------------------------------------------------------------------------------


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def conclusion_list(request: HttpRequest) -> HttpResponse:
    """Every conclusion the person may see in the current cycle: the body's conclusions with
    their download links and objection windows; the evaluators' work."""
    cycle = current_cycle()
    qs = selectors.conclusions_for(request.user, cycle)
    state = request.GET.get("state", "")
    if state in ConclusionState.values:
        qs = qs.filter(state=state)
    window = request.GET.get("window", "")
    if window in WindowOutcome.values:
        qs = qs.filter(window_outcome=window)
    page = _page(request, qs)
    rows = [(c, _window(c)) for c in page.object_list]
    return render(request, "assessments/conclusions/conclusion_list.html", {
        "cycle": cycle, "page": page, "rows": rows, "state": state,
        "states": ConclusionState.choices, "window": window,
        "window_outcomes": WindowOutcome.choices,
        "candidates": _draft_candidates(request.user, cycle),
    })


def _draft_candidates(user, cycle) -> list[tuple[AssessorAssignment, str]]:
    """The person's assignments (body × direction) that have no conclusion yet, each with why
    it cannot be drafted yet ("" when it can: the report accepted or closed)."""
    if cycle is None:
        return []
    assignments = list(
        AssessorAssignment.objects.filter(cycle=cycle, assessor_id=user.pk,
                                          removed_at__isnull=True)
        .select_related("body").order_by("body__name_ru", "direction")
    )
    done = set(
        Conclusion.objects.filter(cycle=cycle, body_id__in=[a.body_id for a in assignments])
        .values_list("body_id", "direction")
    )
    return [(a, svc.report_refusal(cycle, a.body, a.direction)) for a in assignments
            if (a.body_id, a.direction) not in done]


@login_required
def conclusion_review_queue(request: HttpRequest) -> HttpResponse:
    """The head of the unit's queue: conclusions waiting for review in the current cycle."""
    cycle = current_cycle()
    p = access.principal(request.user)
    qs = selectors.conclusions_for(request.user, cycle).filter(state=ConclusionState.IN_REVIEW)
    rows = [c for c in qs if access.can(p, "review", c)]
    return render(request, "assessments/conclusions/conclusion_queue.html", {
        "title": _("Заключения на рассмотрении"), "rows": rows, "queue": "review",
    })


@login_required
def conclusion_signing_queue(request: HttpRequest) -> HttpResponse:
    """The signatory's queue: approved conclusions, with whether it is their turn now.

    A constant number of queries: the documents' slots and signatures are prefetched, the
    bodies' current scores read at once (a conclusion whose scores changed waits), the turn
    is the first unsigned slot's role, and annex 3's wait for annex 5 is read in one query."""
    from django.db.models import Prefetch

    from assessments.conclusions.signing import holds_slot_role
    from reporting.models import SignatorySlot
    from reporting.signing.blocks import SIGNATURE_BLOCKS

    cycle = current_cycle()
    p = access.principal(request.user)
    qs = selectors.conclusions_for(request.user,
                                   cycle).filter(state=ConclusionState.APPROVED).prefetch_related(
        Prefetch("signed_document__slots",
                 queryset=SignatorySlot.objects.select_related("signature").order_by("order"))
    )
    conclusions = [c for c in qs if access.can(p, "sign", c)]
    automation = {
        a.body_id: a
        for a in Conclusion.objects.filter(
            cycle=cycle, direction="automation",
            body_id__in=[c.body_id for c in conclusions if c.annex == 3],
        ).exclude(state=ConclusionState.SUPERSEDED).order_by("body_id", "version")
    }
    sheets = current_sheets(cycle.pk, {c.body_id for c in conclusions}) if conclusions else {}
    rows = []
    for c in conclusions:
        blocker = svc.stale_scores_reason(c, sheets.get(c.body_id, {}))
        if not blocker and c.annex == 3:
            a = automation.get(c.body_id)
            if a is None or a.state not in svc.SIGNED_OR_LATER:
                blocker = _("Ожидает подписания заключения по приложению 5.")
            elif a.values.get("K3") != c.values.get("K3"):
                blocker = _("Балл K3 не совпадает с заключением по приложению 5.")
        if c.signed_document_id is None:
            pending_role = SIGNATURE_BLOCKS[c.annex][0][0]
            signed_by_me = False
        else:
            slots = list(c.signed_document.slots.all())
            pending = [s for s in slots if not hasattr(s, "signature")]
            pending_role = pending[0].role if pending else ""
            signed_by_me = any(
                hasattr(s, "signature") and s.signature.signer_id == request.user.pk
                for s in slots
            )
        my_turn = bool(pending_role) and not blocker and not signed_by_me and holds_slot_role(
            p, c, pending_role)
        rows.append((c, my_turn, blocker))
    return ncalayer_page(render(request, "assessments/conclusions/conclusion_queue.html", {
        "title": _("Заключения на подписании"), "signing_rows": rows, "queue": "signing",
        "batch_count": sum(1 for _c, my_turn, _b in rows if my_turn),
        "expiry_warning": credential_expiry_warning(request.user),
    }))


# --- One conclusion ----------------------------------------------------------------------------


def _conclusion(request, pk: int) -> Conclusion:
    return selectors.conclusion_for_page(request.user, pk)


def _edit_form(c: Conclusion, data=None) -> ConclusionEditForm:
    initial = {f"analysis_{code}": c.analysis.get(code, "") for code in svc.CRITERIA[c.annex]}
    initial.update(recommendations=c.recommendations, revision=c.revision)
    return ConclusionEditForm(data, initial=initial, conclusion=c, labels=CRITERION_LABELS)


@login_required
def conclusion_detail(request: HttpRequest, pk: int, form: ConclusionEditForm | None = None,
                      status: int = 200) -> HttpResponse:
    """The conclusion: scores (live, with explanations), analysis and recommendations (the
    editor while it is a draft), its documents, its window, the actions the person may take."""
    c = _conclusion(request, pk)
    if svc.conclusion_window_close_if_due(c).state != c.state:
        c = _conclusion(request, pk)  # its window passed unrecorded: recorded now
    actions = svc.conclusion_actions(request.user, c)
    if form is None and "edit" in actions:
        form = _edit_form(c)
    live = _live_sheet(c) if c.state in GUARDED_STATES else None
    report = None
    if c.signed_document_id:
        from reporting.signing.services import signed_document_verify

        report = signed_document_verify(c.signed_document)
    score_rows = _score_rows(c, live)
    response = render(request, "assessments/conclusions/conclusion_detail.html", {
        "c": c,
        "actions": actions,
        "form": form,
        "score_rows": score_rows,
        "live_changed": any(row["changed"] for row in score_rows),
        "stale_scores": svc.stale_scores_reason(c),
        "analysis_rows": [(code, CRITERION_LABELS.get(code, code), c.analysis.get(code, ""))
                          for code in svc.CRITERIA[c.annex]],
        "window": _window(c),
        "report": report,
        "sign_blocker": svc.sign_blocker(c) or (svc.issue_blocker(c) if c.state == "signed"
                                                else ""),
        "history": object_history(c),
        "versions": Conclusion.objects.filter(cycle=c.cycle_id, body=c.body_id,
                                              direction=c.direction).order_by("version"),
    }, status=status)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor (GET: the conclusion's page with the form; POST: save)."""
    c = _conclusion(request, pk)
    if "edit" not in svc.conclusion_actions(request.user, c):
        raise PermissionDenied
    if request.method == "GET":
        return conclusion_detail(request, pk)
    form = _edit_form(c, request.POST)
    if form.is_valid():
        try:
            svc.conclusion_update(
                conclusion=c, actor=request.user, analysis=form.analysis(),
                recommendations=form.cleaned_data["recommendations"],
                revision=form.cleaned_data["revision"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Заключение сохранено."))
            if request.POST.get("then") == "submit":
                return redirect("conclusions:conclusion_submit", pk=c.pk)
            return redirect("conclusions:conclusion_detail", pk=c.pk)
    # What the person typed stays in the form; nothing saved is lost.
    return conclusion_detail(request, pk, form=form, status=400)


@login_required
@require_http_methods(["POST"])
def conclusion_create(request: HttpRequest) -> HttpResponse:
    """Draft the conclusion of one of the person's assignments (body × direction)."""
    form = DraftForm(request.POST)
    if not form.is_valid():
        raise Http404
    assignment = access.get_visible_or_404(
        request.user, AssessorAssignment.objects.select_related("cycle", "body"),
        pk=form.cleaned_data["assignment"],
    )
    try:
        c = svc.conclusion_draft(cycle=assignment.cycle, body=assignment.body,
                                 direction=assignment.direction, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("conclusions:conclusion_list")
    messages.success(request, _("Проект заключения сформирован из рассчитанных баллов."))
    return redirect("conclusions:conclusion_detail", pk=c.pk)


# --- Transitions: GET confirms, POST acts -------------------------------------------------------

TRANSITIONS = {
    "submit": (gettext_lazy("Направить на рассмотрение"),
               gettext_lazy("Заключение уйдёт руководителю подразделения; до его решения текст "
                            "не редактируется.")),
    "approve": (gettext_lazy("Согласовать"),
                gettext_lazy("Текст заключения будет зафиксирован и передан на подписание; "
                             "первая подпись заморозит PDF.")),
    "return": (gettext_lazy("Вернуть на доработку"),
               gettext_lazy("Заключение вернётся эксперту с вашими замечаниями.")),
    "sign": (gettext_lazy("Подписать"),
             gettext_lazy("Подпись PAdES добавляется к замороженному PDF в порядке блока "
                          "подписей; после подписания документ сразу проверяется.")),
    "redraft": (gettext_lazy("Пересформировать из текущих баллов"),
                gettext_lazy("Баллы заключения будут заменены текущими баллами органа; анализ и "
                             "выводы сохранятся для доработки. Заключение на рассмотрении или "
                             "согласованное вернётся в проект: данные подписи не сохранятся, "
                             "его снова рассматривают и подписывают.")),
    "issue": (gettext_lazy("Направить органу"),
              gettext_lazy("Заключение будет вручено органу в системе; момент получения "
                           "начинает срок для возражений (пять рабочих дней, п.109).")),
}


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = _conclusion(request, pk)
    if action not in svc.conclusion_actions(request.user, c):
        if action == "sign" and access.can(request.user, "sign", c):
            # A signatory whose turn has not come: say why (403, nothing to do here now).
            return render(request, "assessments/conclusions/conclusion_confirm.html", {
                "c": c, "action": action, "title": TRANSITIONS[action][0],
                "refusal": svc.sign_blocker(c) or _sign_refusal(request.user, c),
            }, status=403)
        raise PermissionDenied
    if action == "sign":  # the two phases of NCALayer (and the demo batch) answer JSON
        answer = phase_response(
            request,
            lambda step: svc.conclusion_sign(conclusion=c, user=request.user, passphrase=step),
            redirect_url=reverse("conclusions:conclusion_detail", args=[c.pk]),
        )
        if answer is not None:
            return answer
    form_class = {"return": ReturnForm, "sign": SignForm}.get(action)
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "submit":
                svc.conclusion_submit(conclusion=c, actor=request.user)
            elif action == "approve":
                svc.conclusion_approve(conclusion=c, actor=request.user)
            elif action == "return":
                svc.conclusion_return(conclusion=c, actor=request.user,
                                      comments=form.cleaned_data["comments"])
            elif action == "sign":
                svc.conclusion_sign(conclusion=c, user=request.user,
                                    passphrase=form.cleaned_data["passphrase"])
            elif action == "issue":
                svc.conclusion_issue(conclusion=c, actor=request.user)
            elif action == "redraft":
                svc.conclusion_redraft(conclusion=c, actor=request.user)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("conclusions:conclusion_detail", pk=c.pk)
            form.add_error(None, exc.message)
        except SigningError as exc:
            form.add_error("passphrase" if isinstance(exc, CredentialRefused) else None, str(exc))
        else:
            messages.success(request, _("Готово: %(action)s.") % {
                "action": TRANSITIONS[action][0]})
            return redirect("conclusions:conclusion_detail", pk=c.pk)
    title, explanation = TRANSITIONS[action]
    response = render(request, "assessments/conclusions/conclusion_confirm.html", {
        "c": c, "action": action, "title": title, "explanation": explanation, "form": form,
        "expiry_warning": credential_expiry_warning(request.user) if action == "sign" else "",
        "credential": active_credential(request.user) if action == "sign" else None,
    }, status=400 if request.method == "POST" else 200)
    return ncalayer_page(response) if action == "sign" else response


def _sign_refusal(user, c: Conclusion) -> str:
    if c.state == ConclusionState.APPROVED and c.signed_document_id:
        from reporting.signing.services import signing_turn

        return signing_turn(signed_document=c.signed_document, user=user).reason
    return _("Сейчас не ваша очередь подписывать или заключение ещё не на подписании.")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_submit(request, pk):
    return _transition(request, pk, "submit")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_approve(request, pk):
    return _transition(request, pk, "approve")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_return(request, pk):
    return _transition(request, pk, "return")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_sign(request, pk):
    return _transition(request, pk, "sign")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_issue(request, pk):
    return _transition(request, pk, "issue")


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_redraft(request, pk):
    return _transition(request, pk, "redraft")


# --- The preview ---------------------------------------------------------------------------------


@login_required
def conclusion_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft PDF ("ПРОЕКТ" on every page) at any state: requested in the background and
    served once rendered (the page refreshes itself meanwhile)."""
    c = _conclusion(request, pk)
    language = request.GET.get("lang", "ru")
    document = svc.conclusion_preview(conclusion=c, actor=request.user, language=language)
    document = RenderedDocument.objects.get(pk=document.pk)
    if document.state == RenderedDocument.State.RENDERED and document.file:
        with document.file.open("rb") as handle:
            data = handle.read()
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="conclusion-{c.pk}-v{c.version}-draft-{document.language}.pdf"'
        )
        response["X-Content-SHA256"] = document.sha256
        return response
    return render(request, "assessments/conclusions/conclusion_preview.html", {
        "c": c, "document": document,
    }, status=200 if document.state == RenderedDocument.State.PENDING else 500)


@login_required
def conclusion_annex10(request: HttpRequest, pk: int) -> HttpResponse:
    """Annex 10 of an openness conclusion's version: the assessors' scores per indicator and
    language, its supporting tables (its own PDF, rendered with the final annex 8)."""
    from django.urls import reverse

    from assessments.conclusions.documents import annex10_request
    from reporting.views import rendered_document_response

    c = _conclusion(request, pk)
    if c.annex != 8 or c.rendered_document_id is None:
        raise Http404
    document = annex10_request(c, requested_by=request.user)
    return rendered_document_response(
        request, document,
        title=_("Приложение 10: операционная оценка по критериям открытости"),
        filename=f"annex10-conclusion-{c.pk}-v{c.version}.pdf",
        back_url=reverse("conclusions:conclusion_detail", args=[c.pk]), back_label=str(c),
    )
