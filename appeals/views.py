"""Pages of the appeal procedure (chapter 7, issue 8), under ``/appeals/``.

* the body: "Обжалование" (its conclusions with their windows), the objection form (annex 14's
  rows), the "no objections" notice, the refusal after the window, the acknowledgement;
* everyone concerned: the objection's page (rows, documents, state, due date, history, the
  actions ``objection_actions`` offers), the annex 14 PDF;
* the special commission: its page per evaluating body and cycle, convening a sitting (the
  composition rule's refusals shown next to the names), attendance, votes and rulings per row,
  the chair's signature;
* the Agency's coordinator: objections by state with due dates, hand-overs, result checks.

Thin views, as the conclusions' pages: the object through ``access`` (404 for outsiders), one
service call, a ``DomainError`` shown next to the form (status 400, what was typed kept).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appeals import rules
from appeals import services as svc
from appeals.forms import (
    AttendanceForm,
    CommissionForm,
    ConveneForm,
    DisagreementFormSet,
    ResultCheckCloseForm,
    ResultCheckOpenForm,
    RulingForm,
    StagedDocument,
    show_value,
)
from appeals.models import (
    Handover,
    NoObjectionNotice,
    Objection,
    ObjectionState,
    ResultCheck,
    RowDocument,
    SpecialCommission,
)
from assessments.conclusions import selectors
from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Membership, Organisation, Role, User
from assessments.models.conclusions import APPEALABLE_DIRECTIONS, DELIVERED_STATES
from assessments.registry.services.cycles import current_cycle
from assessments.submission.services.evidence import DocumentRefused, document_check
from reporting.forms import SignForm
from reporting.signing.errors import CredentialRefused, SigningError

OS = ObjectionState


def _date(day: date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


# --- Windows ---------------------------------------------------------------------------------


def window_of(c: Conclusion) -> rules.TimeLeft | None:
    """The objection window as the pages show it (last day, time left), or None where there is
    none (annexes 5 and 15, corrected versions, not received yet)."""
    if c.objection_deadline is None:
        return None
    return rules.time_left(c.objection_deadline)


def late_message(c: Conclusion) -> str:
    return _("Срок подачи возражений истёк %(date)s (пять рабочих дней со дня получения "
             "заключения, п.109). Возражения, направленные по истечении срока, не "
             "рассматриваются (п.111).") % {"date": _date(c.objection_deadline)}


def _is_body_head(user, c: Conclusion) -> bool:
    """Files the table and notifies "no objections": the body's head (its representative)."""
    return access.can(user, "file_objection", c)


def conclusion_appeal_actions(user, c: Conclusion) -> frozenset[str]:
    """What the body's pages offer on a delivered conclusion: ``objection`` once one was filed
    (its page), otherwise the service's answer — ``object`` and ``no_objection`` (the body's
    head, within the window), ``late`` (the window closed with neither: the refusal)."""
    if Objection.objects.filter(conclusion=c).exists():
        return frozenset({"objection"})
    return svc.conclusion_appeal_actions(user, c)


# --- The body's list: "Обжалование" ----------------------------------------------------------


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    """The body's conclusions that may be appealed, with their windows and objections; the
    objections the person sees (commissions, the working body, the coordinator)."""
    cycle = current_cycle()
    p = access.principal(request.user)
    conclusions = []
    if cycle is not None and p.body_ids:
        qs = (
            selectors.conclusions_for(request.user, cycle)
            .filter(state__in=DELIVERED_STATES, version=1, direction__in=APPEALABLE_DIRECTIONS,
                    body_id__in=sorted(p.body_ids))
        )
        objections = {
            o.conclusion_id: o
            for o in Objection.objects.filter(conclusion__in=qs.values("pk"))
        }
        notices = set(
            NoObjectionNotice.objects.filter(conclusion__in=qs.values("pk"))
            .values_list("conclusion_id", flat=True)
        )
        for c in qs:
            conclusions.append({
                "c": c, "window": window_of(c), "objection": objections.get(c.pk),
                "notice": c.pk in notices, "actions": conclusion_appeal_actions(request.user, c),
            })
    objections = _objections(request.user, cycle)
    return render(request, "appeals/appeal_list.html", {
        "cycle": cycle, "conclusions": conclusions, "objections": objections,
        "today": clock.today(),
        "is_coordinator": p.is_admin or p.is_coordinator or Role.WORKING_BODY_REP in p.roles,
        "commission_roles": bool(p.commission_org_ids),
    })


def _objections(user, cycle):
    qs = access.visible(user, Objection).select_related("body", "evaluator", "conclusion")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return list(qs.order_by("decision_due", "pk"))


# --- The conclusion: object, notify, refusal --------------------------------------------------


def _conclusion(request, pk: int) -> Conclusion:
    return selectors.conclusion_for_page(request.user, pk)


def _subjects(c: Conclusion) -> list[tuple[str, str]]:
    """The criteria and indicators of the conclusion the body may dispute: its printed values
    (criteria, indicators, totals), labelled."""
    from assessments.conclusions.views import CRITERION_LABELS
    from assessments.scores.selectors import _labels

    labels = _labels().get(
        {"automation": "services", "block": "overall"}.get(c.direction, c.direction), {}
    )
    out = []
    for code in (c.values or {}):
        label = labels.get(code) or CRITERION_LABELS.get(code) or ""
        out.append((code, f"{code}. {label}" if label else code))
    return out


def _paths(c: Conclusion) -> list[tuple[str, str]]:
    """The body's scoring-input paths on the conclusion's direction, with their current values
    (the inputs an objection may concern)."""
    from assessments.scores.selectors import input_sections
    from assessments.scores.services.scoring_inputs import scoring_input_current

    si = scoring_input_current(cycle=c.cycle, body=c.body)
    if si is None:
        return []
    direction = {"automation": "services"}.get(c.direction, c.direction)
    out = []
    for section in input_sections(si, (direction,)):
        for row in section.rows:
            label = f"{row.path} = {show_value(row.value)}"
            if row.label:
                label += f" — {row.label}"
            out.append((row.path, label))
    return out


def _prefill(c: Conclusion, code: str) -> str:
    if not code:
        return ""
    try:
        return svc.evaluator_conclusion_for(c, code) or ""
    except (DomainError, LookupError, ValueError):
        return ""


def _kept_documents(request, formset) -> None:
    """The documents staged by an earlier submit, from the signed tokens posted back."""
    for form in formset.forms:
        tokens = request.POST.getlist(f"{form.prefix}-staged")
        staged = [StagedDocument.from_token(t, request.user.pk) for t in tokens]
        form.staged = [d for d in staged if d is not None]


def _stage_uploads(request, formset) -> None:
    """Keep the rows' new uploads across submits: those that pass the evidence rules are
    staged; a refusal goes next to the row's field with the file's name (p.16)."""
    for form in formset.forms:
        classification = form.data.get(f"{form.prefix}-classification", "")
        uploads = request.FILES.getlist(f"{form.prefix}-documents")
        if not uploads or not classification:
            continue  # no classification: the form already says so next to the field
        for upload in uploads:
            content = upload.read()
            try:
                checked = document_check(content, classification=classification)
            except DocumentRefused as refusal:
                form.add_error("documents", f"{upload.name}: {refusal.message}")
                continue
            form.staged.append(StagedDocument.stage(
                content=content, name=upload.name, classification=classification,
                sha256=checked.sha256, file_type=checked.file_type,
            ))


def _documents_for(forms) -> list[dict]:
    """The rows' documents as ``objection_file`` takes them (``row`` is the row's number)."""
    return [
        {"row": number, "upload": d.content(), "original_name": d.name,
         "classification": d.classification}
        for number, form in enumerate(forms, start=1)
        for d in form.staged
    ]


def _discard_staged(forms) -> None:
    """The staged copies are no longer needed once the documents are stored with the rows."""
    for form in forms:
        for document in form.staged:
            document.discard()


def _formset(request, c: Conclusion, data=None, files=None) -> DisagreementFormSet:
    return DisagreementFormSet(
        data, files, prefix="rows",
        form_kwargs={"subjects": _subjects(c), "paths": _paths(c)},
    )


def _grow(data):
    """The POST with one more (empty) row: "Добавить строку" keeps everything typed."""
    data = data.copy()
    data["rows-TOTAL_FORMS"] = str(int(data.get("rows-TOTAL_FORMS") or 0) + 1)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's head files the disagreement table (annex 14) within the window."""
    c = _conclusion(request, pk)
    actions = conclusion_appeal_actions(request.user, c)
    if "objection" in actions:
        objection = Objection.objects.get(conclusion=c)
        return redirect("appeals:objection_detail", pk=objection.pk)
    if "late" in actions and request.method == "GET":
        return render(request, "appeals/refusal.html", {
            "c": c, "message": late_message(c), "window": window_of(c),
        }, status=403)
    if not actions & {"object", "late"}:
        raise PermissionDenied
    if "late" in actions:  # any POST after the window is a refused filing, recorded (p.111)
        message = svc.objection_late_refuse(conclusion=c, actor=request.user)
        return render(request, "appeals/refusal.html", {
            "c": c, "message": message, "window": window_of(c),
        }, status=403)
    status = 200
    sign_form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        adding = "add_row" in request.POST
        data = _grow(request.POST) if adding else request.POST
        formset = _formset(request, c, data, request.FILES)
        _kept_documents(request, formset)
        valid = formset.is_valid()
        _stage_uploads(request, formset)
        valid = valid and not any(f.errors for f in formset.forms)
        if adding:
            sign_form = SignForm()  # "Добавить строку" is not a signature: no error shown
        signable = adding or sign_form.is_valid()
        if not adding and valid and signable:
            rows = formset.rows()
            try:
                objection = svc.objection_file(
                    conclusion=c, actor=request.user, rows=[f.row() for f in rows],
                    documents=_documents_for(rows),
                    passphrase=sign_form.cleaned_data["passphrase"],
                )
            except svc.ProposedValueError as exc:  # next to the row's value, all kept
                kept = rows[exc.row - 1] if 0 < exc.row <= len(rows) else None
                if kept is not None:
                    kept.add_error("proposed_value", exc.field_message)
                else:
                    formset._non_form_errors = formset.error_class([exc.message])
            except SigningError as exc:  # the head's credential or passphrase
                sign_form.add_error("passphrase" if isinstance(exc, CredentialRefused)
                                    else None, str(exc))
            except DocumentRefused as exc:
                formset._non_form_errors = formset.error_class([exc.message])
            except DomainError as exc:
                if exc.code == "window_closed":  # refused and recorded by the service (p.111)
                    return render(request, "appeals/refusal.html", {
                        "c": c, "message": exc.message, "window": window_of(c),
                    }, status=403)
                formset._non_form_errors = formset.error_class([exc.message])
            else:
                _discard_staged(rows)
                messages.success(request, _("Возражения направлены."))
                return redirect("appeals:objection_detail", pk=objection.pk)
        status = 200 if adding else 400
    else:
        formset = _formset(request, c)
    rows = []
    for form in formset.forms:
        code = form["subject"].value() or ""
        rows.append({"form": form, "prefill": _prefill(c, code),
                     "staged": [(d, d.token(request.user.pk)) for d in form.staged]})
    from reporting.signing.services import active_credential

    return render(request, "appeals/objection_form.html", {
        "c": c, "formset": formset, "rows": rows, "window": window_of(c),
        "sign_form": sign_form, "credential": active_credential(request.user),
    }, status=status)


@login_required
def evaluator_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the evaluator's conclusion on the chosen criterion (read-only, from the
    conclusion), shown next to the row when the body picks the subject."""
    c = _conclusion(request, pk)
    if not _is_body_head(request.user, c):
        raise PermissionDenied
    code = ""
    for key, value in request.GET.items():
        if key == "subject" or key.endswith("-subject"):
            code = value
    return render(request, "appeals/partials/prefill.html", {"text": _prefill(c, code)})


@login_required
@require_http_methods(["GET", "POST"])
def no_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """The body notifies that it has no objections (p.112): GET confirms, POST sends."""
    c = _conclusion(request, pk)
    actions = conclusion_appeal_actions(request.user, c)
    if "late" in actions:
        return render(request, "appeals/refusal.html", {
            "c": c, "message": late_message(c), "window": window_of(c),
        }, status=403)
    if "no_objection" not in actions:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            svc.no_objection_notify(conclusion=c, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Уведомление об отсутствии возражений направлено."))
            return redirect("conclusions:conclusion_detail", pk=c.pk)
    return render(request, "appeals/no_objection.html", {
        "c": c, "window": window_of(c), "error": error,
    }, status=400 if error else 200)


# --- The objection's page ---------------------------------------------------------------------


def _objection(request, pk: int) -> Objection:
    return access.get_visible_or_404(
        request.user,
        Objection.objects.select_related("cycle", "body", "evaluator", "conclusion", "filed_by",
                                         "correction", "table_document", "filed_document",
                                         "filed_signed_document"),
        pk=pk,
    )


def _sitting(objection: Objection):
    from appeals.models import Sitting

    return Sitting.objects.filter(objection=objection).select_related("commission").first()


def _commission(objection: Objection) -> SpecialCommission | None:
    return SpecialCommission.objects.filter(
        cycle=objection.cycle_id, evaluator=objection.evaluator_id
    ).select_related("chair", "secretary").first()


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    actions = svc.objection_actions(request.user, objection)
    rows = list(objection.rows.order_by("number").prefetch_related("documents"))
    sitting = _sitting(objection)
    members, votes = [], defaultdict(list)
    if sitting is not None:
        members = list(sitting.members.select_related("user")
                       .order_by("capacity", "user__full_name"))
        from appeals.models import Vote

        for vote in Vote.objects.filter(sitting=sitting).select_related("member"):
            votes[vote.row_id].append(vote)
    from reporting.signing.services import signed_document_verify

    report = filed_report = None
    if objection.table_document_id:
        report = signed_document_verify(objection.table_document)
    if objection.filed_signed_document_id:
        filed_report = signed_document_verify(objection.filed_signed_document)
    today = clock.today()
    return render(request, "appeals/objection_detail.html", {
        "o": objection, "actions": actions, "rows": [(r, votes.get(r.pk, [])) for r in rows],
        "sitting": sitting, "members": members, "commission": _commission(objection),
        "report": report, "filed_report": filed_report, "history": object_history(objection),
        "overdue": objection.decided_on is None and objection.decision_due
        and objection.decision_due < today,
        "days_left": (objection.decision_due - today).days if objection.decision_due else None,
    })


@login_required
def row_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document of a row: to whoever sees the objection."""
    document = RowDocument.objects.select_related("row__objection").filter(pk=pk).first()
    if document is None:
        raise Http404
    access.get_visible_or_404(request.user, Objection, pk=document.row.objection_id)
    with document.file.open("rb") as handle:
        data = handle.read()
    from django.http import HttpResponse as Response

    content_types = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                     "docx": "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = Response(data, content_type=content_types.get(
        getattr(document, "file_type", ""), "application/octet-stream"))
    name = getattr(document, "original_name", "") or f"document-{document.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if getattr(document, "sha256", ""):
        response["X-Content-SHA256"] = document.sha256
    return response


@login_required
def annex14_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The annex 14 PDF: the signed table (verified at download) once the chair signed, before
    that the table as it stands, marked "ПРОЕКТ"."""
    objection = _objection(request, pk)
    if objection.table_document_id:
        from reporting.signing.services import signed_document_download

        download = signed_document_download(signed_document=objection.table_document)
        response = HttpResponse(download.data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        response["X-Signature-Status"] = download.report.status.value
        response["X-Content-SHA256"] = download.report.sha256
        response["Cache-Control"] = "no-store"
        return response
    from reporting.annexes import render_annex

    data = render_annex("annex14", annex14_context(objection, draft=True), draft=True)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="annex14-objection-{objection.pk}-draft.pdf"'
    )
    return response


def annex14_context(objection: Objection, *, draft: bool) -> dict:
    """Annex 14's context for an objection as it stands (the appeals service renders the
    signed one; this is the page's draft)."""
    try:  # the appeals documents' own builder (the one the signed table is rendered with)
        from appeals.documents import annex14_context as builder
    except ImportError:
        builder = None
    if builder is not None:
        return builder(objection, draft=draft)
    from assessments.registry.selectors import name_on
    from reporting.annexes import Body
    from reporting.annexes.appeal import disagreement_table_context

    cycle = objection.cycle
    name_ru, name_kk = name_on(objection.body, cycle.names_on)
    evaluator_ru, _kk = name_on(objection.evaluator, cycle.names_on)
    rows = [
        {"subject": r.subject, "evaluator_conclusion": r.evaluator_conclusion,
         "objection": r.objection_text, "decision": r.decision or None,
         "reasoning": r.reasoning}
        for r in objection.rows.order_by("number")
    ]
    decided = bool(rows) and all(r["decision"] for r in rows)
    return disagreement_table_context(
        body=Body(name_ru=name_ru, kind=objection.body.kind, name_kk=name_kk or ""),
        direction=objection.direction, rows=rows, period=cycle.year, evaluator=evaluator_ru,
        overall_after_appeal=(objection.overall_after_appeal or None) if decided else None,
        decided_on=objection.decided_on, draft=draft,
    )


# --- Commissions ------------------------------------------------------------------------------


def _commission_people(evaluator_ids) -> list[tuple[int, str]]:
    return [
        (u.pk, f"{u.display_name} — {u.position}" if u.position else u.display_name)
        for u in User.objects.filter(
            memberships__organisation_id__in=list(evaluator_ids), is_active=True
        ).distinct().order_by("full_name")
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
        Membership.objects.filter(organisation=commission.evaluator_id,
                                  role__in=[Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY,
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


def _require_action(request, objection: Objection, action: str) -> frozenset[str]:
    actions = svc.objection_actions(request.user, objection)
    if action not in actions:
        raise PermissionDenied
    return actions


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
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = (svc.objection_chair_sign if action == "chair_sign"
                   else svc.objection_acknowledge)
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
    return render(request, "appeals/objection_sign.html", {
        "o": objection, "form": form, "title": title, "action": action,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def objection_chair_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, "chair_sign")


@login_required
@require_http_methods(["GET", "POST"])
def objection_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, "acknowledge")


# --- The coordinator's overview ---------------------------------------------------------------


def _overview_allowed(user) -> bool:
    """The Agency's coordinator, the Commission's working body and administrators."""
    p = access.principal(user)
    return p.is_admin or p.is_coordinator or Role.WORKING_BODY_REP in p.roles


def _bodies(user) -> list[tuple[int, str]]:
    return [(o.pk, o.name_ru) for o in access.visible(user, Organisation).filter(
        is_evaluated=True).order_by("name_ru")]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Objections by state with their due dates (overdue highlighted), hand-overs to the Agency
    with theirs, result checks (p.110)."""
    if not _overview_allowed(request.user):
        raise PermissionDenied
    cycle = current_cycle()
    today = clock.today()
    objections = _objections(request.user, cycle)
    by_state = []
    for value, label in OS.choices:
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


@login_required
@require_http_methods(["GET", "POST"])
def row_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's staff attach a supporting document to a row while the objection is filed
    (checked by the evidence rules; a refusal is shown next to the file field)."""
    from appeals.forms import RowDocumentForm
    from appeals.models import DisagreementRow

    row = access.get_visible_or_404(
        request.user, DisagreementRow.objects.select_related("objection"), pk=pk)
    objection = row.objection
    _require_action(request, objection, "documents")
    form = RowDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            svc.row_document_add(row=row, actor=request.user, upload=upload,
                                 original_name=upload.name,
                                 classification=form.cleaned_data["classification"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Документ приложен."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    return render(request, "appeals/row_document_add.html", {
        "o": objection, "row": row, "form": form,
    }, status=400 if request.method == "POST" else 200)
