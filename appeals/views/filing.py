"""The body's pages (p.109–112): "Обжалование" (its conclusions with their windows), the
objection form (annex 14's rows, their documents kept across submits), the evaluator's
conclusion prefilled per row, the "no objections" notice, the refusal after the window, and a
document added to a row while the objection is filed.
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
from appeals.forms import DisagreementFormSet, StagedDocument, show_value
from appeals.models import NoObjectionNotice, Objection, ObjectionState
from appeals.views.common import _date, _objection, _objections, _require_action
from assessments.conclusions import selectors
from assessments.kernel import access, clock
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Role
from assessments.models.conclusions import APPEALABLE_DIRECTIONS, DELIVERED_STATES
from assessments.registry.services.cycles import current_cycle
from assessments.submission.services.evidence import DocumentRefused, document_check
from reporting.forms import SignForm
from reporting.signing.errors import CredentialRefused, SigningError
from reporting.signing.services import METHOD_NCALAYER, signing_method
from reporting.signing.web import ncalayer_page, phase_response

# --- Windows ---------------------------------------------------------------------------------


def _deadline(c: Conclusion):
    """The last day of the window objections to ``c`` are filed in: its own, or for annex 5
    (version 1) its annex 3's (``svc.window_carrier``)."""
    carrier = svc.window_carrier(c)
    return carrier.objection_deadline if carrier is not None and carrier.has_window else None


def window_of(c: Conclusion) -> rules.TimeLeft | None:
    """The objection window as the pages show it (last day, time left), or None where there is
    none (annex 15, corrected versions, not received yet; annex 5 shows its annex 3's)."""
    deadline = _deadline(c)
    if deadline is None:
        return None
    return rules.time_left(deadline)


def late_message(c: Conclusion) -> str:
    return _("Срок подачи возражений истёк %(date)s (пять рабочих дней со дня получения "
             "заключения, п.109). Возражения, направленные по истечении срока, не "
             "рассматриваются (п.111).") % {"date": _date(_deadline(c))}


def _is_body_head(user, c: Conclusion) -> bool:
    """Files the table and notifies "no objections": the body's head (its representative)."""
    return access.can(user, "file_objection", c)


def conclusion_appeal_actions(user, c: Conclusion) -> frozenset[str]:
    """What the body's pages offer on a delivered conclusion: ``objection`` once one was filed
    (its page), otherwise the service's answer — ``object`` and ``no_objection`` (the body's
    head, within the window), ``late`` (the window closed with neither: the refusal)."""
    if Objection.objects.lodged().filter(conclusion=c).exists():
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
            .filter(state__in=DELIVERED_STATES, version=1,
                    direction__in=(*APPEALABLE_DIRECTIONS, "automation"),
                    body_id__in=sorted(p.body_ids))
        )
        objections = {
            o.conclusion_id: o
            for o in Objection.objects.filter(conclusion__in=qs.values("pk"))
            .exclude(state=ObjectionState.WITHDRAWN).order_by("created_at", "pk")
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


# --- The conclusion: object, notify, refusal --------------------------------------------------


def _conclusion(request, pk: int) -> Conclusion:
    return selectors.conclusion_for_page(request.user, pk)


def _subjects(c: Conclusion) -> list[tuple[str, str]]:
    """The criteria and indicators of the conclusion the body may dispute: its printed values
    (criteria, indicators, totals), labelled."""
    from assessments.conclusions.selectors import CRITERION_LABELS
    from assessments.conclusions.services.common import AUTOMATION_CODES
    from assessments.scores.selectors import sheet_labels

    labels = sheet_labels().get(
        {"automation": "services", "block": "overall"}.get(c.direction, c.direction), {}
    )
    out = []
    for code in (c.values or {}):
        if c.direction == "services" and code in AUTOMATION_CODES:
            continue  # the automation criterion: its own table, to the digital ministry
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
            automation_path = row.path == "services.automation" or row.path.startswith(
                "services.automation.")
            if automation_path != (c.direction == "automation"):
                continue  # the automation inputs belong to annex 5's table only
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
            try:  # the upload itself: its real size first, never read whole into memory
                checked = document_check(upload, classification=classification)
            except DocumentRefused as refusal:
                form.add_error("documents", f"{upload.name}: {refusal.message}")
                continue
            form.staged.append(StagedDocument.stage(
                content=checked.content, name=upload.name, classification=classification,
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
        objection = Objection.objects.lodged().get(conclusion=c)
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
    # NCALayer: the table is drawn up here and signed on its own sign page (two phases in the
    # browser); the demo signs it here with the passphrase (both phases on the server).
    ncalayer = signing_method() == METHOD_NCALAYER
    sign_form = SignForm(request.POST if request.method == "POST" and not ncalayer else None)
    if request.method == "POST":
        adding = "add_row" in request.POST
        data = _grow(request.POST) if adding else request.POST
        formset = _formset(request, c, data, request.FILES)
        _kept_documents(request, formset)
        valid = formset.is_valid()
        _stage_uploads(request, formset)
        valid = valid and not any(f.errors for f in formset.forms)
        if adding or ncalayer:
            sign_form = SignForm()  # "Добавить строку" is not a signature: no error shown
        signable = adding or ncalayer or sign_form.is_valid()
        if not adding and valid and signable:
            rows = formset.rows()
            try:
                objection = svc.objection_file(
                    conclusion=c, actor=request.user, rows=[f.row() for f in rows],
                    documents=_documents_for(rows),
                    passphrase=None if ncalayer else sign_form.cleaned_data["passphrase"],
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
                if objection.state == ObjectionState.AWAITING_SIGNATURE:
                    messages.info(request, _("Таблица разногласий составлена: подпишите её, "
                                             "чтобы направить возражения."))
                    return redirect("appeals:objection_file_sign", pk=objection.pk)
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

    unsigned = (access.visible(request.user, Objection).awaiting()
                .filter(conclusion=c, filed_by=request.user).first())
    return render(request, "appeals/objection_form.html", {
        "c": c, "formset": formset, "rows": rows, "window": window_of(c),
        "sign_form": sign_form, "credential": active_credential(request.user),
        "ncalayer": ncalayer, "unsigned": unsigned,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def objection_file_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The head signs the table they drew up — and so files the objections (p.109): NCALayer's
    two phases in the browser (JSON), or the demo passphrase. The window is judged when the
    signature completes; a table whose window has closed lapses with the reason (p.111)."""
    objection = _objection(request, pk)
    if objection.state == ObjectionState.AWAITING_SIGNATURE:
        svc.objection_lapse_if_due(objection)
        objection = _objection(request, pk)
    detail = reverse("appeals:objection_detail", args=[objection.pk])
    if objection.state != ObjectionState.AWAITING_SIGNATURE and request.method == "GET":
        return redirect(detail)
    c = objection.conclusion
    answer = phase_response(  # the two phases of NCALayer answer JSON
        request,
        lambda step: svc.objection_filed_sign(objection=objection, user=request.user,
                                              passphrase=step),
        redirect_url=detail,
    )
    if answer is not None:
        return answer
    _require_action(request, objection, "sign_filed")
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.objection_filed_sign(objection=objection, user=request.user,
                                     passphrase=form.cleaned_data["passphrase"])
        except DomainError as exc:
            if exc.code == "window_closed":  # lapsed and recorded by the service (p.111)
                return render(request, "appeals/refusal.html", {
                    "c": c, "message": exc.message, "window": window_of(c),
                }, status=403)
            form.add_error(None, exc.message)
        except SigningError as exc:
            form.add_error("passphrase" if isinstance(exc, CredentialRefused) else None, str(exc))
        else:
            messages.success(request, _("Возражения направлены."))
            return redirect(detail)
    from reporting.signing.services import active_credential, credential_expiry_warning

    return ncalayer_page(render(request, "appeals/objection_file_sign.html", {
        "o": objection, "c": c, "form": form, "window": window_of(c),
        "rows": list(objection.rows.order_by("number")),
        "credential": active_credential(request.user),
        "expiry_warning": credential_expiry_warning(request.user),
    }, status=400 if request.method == "POST" else 200))


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
            messages.success(request, _("Документ приложен и проверяется; комиссия увидит его, "
                                        "когда проверка его примет."))
            return redirect("appeals:objection_detail", pk=objection.pk)
    return render(request, "appeals/row_document_add.html", {
        "o": objection, "row": row, "form": form,
    }, status=400 if request.method == "POST" else 200)
