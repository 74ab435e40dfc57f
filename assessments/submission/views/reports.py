"""Report pages: the queue, a body's reports, a report with its sections and documents side by
side, section forms, and one confirmation page per transition. Thin views: access, a service,
a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.kernel.uploads import refusals_for
from assessments.models import Cycle, Direction, Evidence, Organisation, Report, ReportSection
from assessments.registry.services.cycles import current_cycle
from assessments.submission.forms import (
    EvidenceForm,
    ReasonForm,
    ReturnForm,
    SectionForm,
    SubmitForm,
    row_formset,
    rows_initial,
    with_added_rows,
)
from assessments.submission.report_schema import (
    SECTIONS_BY_KEY,
    evidence_indicators,
    publication_deadline,
    report_directions,
    sections_for,
)
from assessments.submission.services.evidence import evidence_confirm as evidence_confirm_service
from assessments.submission.services.evidence import evidence_upload
from assessments.submission.services.incompleteness import report_facts
from assessments.submission.services.reports import (
    EditConflict,
    SectionInvalid,
    body_kind,
    report_accept,
    report_close_not_submitted,
    report_deadline,
    report_elements,
    report_get_or_create,
    report_missing,
    report_reopen_submission,
    report_return,
    report_start_review,
    report_submit,
    section_errors,
)

STATE_ORDER = Case(
    When(state=Report.State.SUBMITTED, then=Value(0)),
    When(state=Report.State.UNDER_REVIEW, then=Value(1)),
    When(state=Report.State.RETURNED, then=Value(2)),
    When(state=Report.State.DRAFT, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


@login_required
def report_queue(request: HttpRequest) -> HttpResponse:
    """Reports the user may see, by state and deadline (the assessors' queue, p.12)."""
    cycle = current_cycle()
    reports = (
        access.visible(request.user, Report)
        .select_related("body", "cycle")
        .annotate(state_order=STATE_ORDER)
        .order_by("state_order", "deadline", "body__name_ru", "direction")
    )
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    state = request.GET.get("state", "")
    if state in Report.State.values:
        reports = reports.filter(state=state)
    direction = request.GET.get("direction", "")
    if direction in Direction.values:
        reports = reports.filter(direction=direction)
    p = access.principal(request.user)
    bodies = []
    if cycle is not None and p.body_ids:
        bodies = list(Organisation.objects.filter(pk__in=sorted(p.body_ids), is_evaluated=True))
    return render(request, "assessments/submission/report_queue.html", {
        "cycle": cycle, "reports": reports[:500], "states": Report.State.choices,
        "directions": Direction.choices, "state": state, "direction": direction,
        "bodies": bodies, "today": clock.today(),
    })


@login_required
def body_reports(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A body's reports of the cycle, one per direction it reports on (created on first use)."""
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    body = access.get_visible_or_404(request.user, Organisation, pk=pk, is_evaluated=True)
    p = access.principal(request.user)
    directions = report_directions(body_kind(body))
    # one query for what exists (only the reports the user may see), drafts created for the
    # body's own staff where a direction has none yet
    visible = access.visible(request.user, Report).filter(cycle=cycle, body=body)
    existing = {r.direction: r for r in visible}
    if body.pk in p.body_ids and any(d not in existing for d in directions):
        for direction in directions:
            if direction not in existing:
                report_get_or_create(cycle=cycle, body=body, direction=direction)
        existing = {r.direction: r for r in visible.all()}
    reports = [existing[d] for d in directions if d in existing]
    if not reports:
        raise Http404
    return render(request, "assessments/submission/body_reports.html",
                  {"cycle": cycle, "body": body, "reports": reports})


def _report(request, pk) -> Report:
    return access.get_visible_or_404(
        request.user, Report.objects.select_related("body", "cycle", "submitted_by",
                                                    "accepted_by", "reviewer"), pk=pk)


def _who_submits(user, report: Report) -> list | None:
    """For the body's staff who may not submit a report still to submit: the people who may
    (the head, and the submitters where the body allows it), so they know whom to hand it to."""
    from assessments.kernel.people import people
    from assessments.models import Role, SubmissionPolicy

    if not report.is_editable_by_body or access.can(user, "submit", report):
        return None
    p = access.principal(user)
    if not any(m.organisation_id == report.body_id for m in p.memberships):
        return None
    roles = [Role.BODY_HEAD]
    if SubmissionPolicy.objects.filter(body_id=report.body_id, submitters_may_submit=True).exists():
        roles.append(Role.BODY_SUBMITTER)
    return [u for u in people(report.body_id, roles) if u.pk != user.pk]


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    kind = body_kind(report.body)
    stored = {row.key: row for row in ReportSection.objects.filter(report=report)
              .select_related("updated_by")}
    evidence = list(access.visible(request.user, Evidence).filter(report=report)
                    .select_related("uploaded_by").order_by("section_key", "indicator",
                                                            "-version"))
    sections = []
    for section in sections_for(report.direction, kind):
        row = stored.get(section.key)
        data = row.data if row else {}
        labels = {f.key: f for f in section.fields_for(kind)}
        dated = []
        if section.table is not None and any(c.key == "due_on" for c in section.table.columns):
            for item in data.get("rows") or []:
                if item.get("due_on") and item.get("published_on"):
                    from datetime import date

                    deadline = publication_deadline(date.fromisoformat(item["due_on"]))
                    dated.append({**item, "deadline": deadline,
                                  "on_time": date.fromisoformat(item["published_on"]) <= deadline})
        sections.append({
            "spec": section, "row": row, "data": data,
            "fields": [(labels[k], v) for k, v in (data.get("fields") or {}).items()
                       if k in labels],
            "dated": dated,
            "evidence": [e for e in evidence if e.section_key == section.key],
        })
    return render(request, "assessments/submission/report_detail.html", {
        "report": report, "sections": sections,
        "missing": report_missing(report) if report.is_editable_by_body else [],
        "facts": report_facts(report),
        "can_close": access.can(request.user, "close", report) and _closable(report),
        "can_reopen": access.can(request.user, "close", report)
        and report.state == Report.State.NOT_SUBMITTED,
        "can_edit": access.can(request.user, "edit", report),
        "can_attach": access.can(request.user, "attach", report),
        "can_submit": access.can(request.user, "submit", report),
        "submitters": _who_submits(request.user, report),
        "can_review": access.can(request.user, "review", report),
        "refused": refusals_for(report, request.user),
        "history": object_history(report),
    })


def _apply_errors(form: SectionForm, formset, errors: dict[str, str]) -> None:
    for path, message in errors.items():
        parts = path.split(".")
        if parts[0] == "fields":
            name = form.field_name(parts[1], message)
            form.add_error(name, message)
        elif parts[0] == "rows" and len(parts) == 3 and formset is not None:
            index = int(parts[1])
            if index < len(formset.forms):
                formset.forms[index].add_error(parts[2], message)
            else:
                form.add_error(None, message)
        else:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def report_section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = _report(request, pk)
    section = SECTIONS_BY_KEY.get(key)
    kind = body_kind(report.body)
    if section is None or section.direction != report.direction or not section.applies_to(kind):
        raise Http404
    access.require(request.user, "edit", report)
    row = ReportSection.objects.filter(report=report, key=key).first()
    data = row.data if row else {}
    version = row.version if row else 0
    if request.method == "POST" and "add_rows" in request.POST and section.table:
        # "add rows": the same form with more empty rows, what was typed kept, nothing saved
        posted = with_added_rows(section, request.POST)
        form = SectionForm(posted, section=section, kind=kind)
        formset = row_formset(section, data=posted)
    elif request.method == "POST":
        form = SectionForm(request.POST, section=section, kind=kind)
        formset = row_formset(section, data=request.POST) if section.table else None
        forms_ok = form.is_valid() & (formset.is_valid() if formset is not None else True)
        if forms_ok:
            new = {"fields": form.values()}
            rows_forms = []
            if formset is not None:
                rows_forms = [f for f in formset.forms if f.value() is not None]
                new["rows"] = [f.value() for f in rows_forms]
            invalid, _missing = section_errors(section, kind, new)
            if invalid:
                # map row indexes of non-empty rows back to the forms shown
                remapped = {}
                for path, message in invalid.items():
                    parts = path.split(".")
                    if parts[0] == "rows" and len(parts) == 3:
                        index = formset.forms.index(rows_forms[int(parts[1])])
                        path = f"rows.{index}.{parts[2]}"
                    remapped[path] = message
                _apply_errors(form, formset, remapped)
            else:
                try:
                    report_section_save_view(request, report, key, new, form)
                except EditConflict as conflict:
                    form.add_error(None, conflict.message)
                except SectionInvalid as error:
                    _apply_errors(form, formset, error.errors)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("Раздел «%(s)s» сохранён.") % {"s": section.title})
                    return redirect("submission:report_detail", pk=report.pk)
    else:
        form = SectionForm(initial=SectionForm.initial_from(section, kind, data, version),
                           section=section, kind=kind)
        formset = row_formset(section, initial=rows_initial(section, data)) \
            if section.table else None
    return render(request, "assessments/submission/section_form.html", {
        "report": report, "section": section, "form": form, "formset": formset, "row": row,
    })


def report_section_save_view(request, report, key, new, form):
    from assessments.submission.services.reports import report_section_save

    expected = form.cleaned_data.get("version")
    return report_section_save(actor=request.user, report=report, key=key, data=new,
                               expected_version=expected if expected is not None else 0)


def _transition_page(request, report, *, template, action, success, form=None, extra=None):
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            action()
        except DomainError as error:
            messages.error(request, error.message)
            if form is not None:
                form.add_error(None, error.message)
        except PermissionDenied:
            messages.error(request, _("У вас нет права на это действие."))
        else:
            messages.success(request, success)
            return redirect("submission:report_detail", pk=report.pk)
    context = {"report": report, "form": form}
    context.update(extra or {})
    return render(request, template, context)


def _closable(report: Report) -> bool:
    deadline = report_deadline(report.cycle, report.direction)
    return (report.state in (Report.State.DRAFT, Report.State.RETURNED)
            and deadline is not None and clock.today() > deadline)


@login_required
@require_http_methods(["GET", "POST"])
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "submit", report)
    elements = report_elements(report)
    missing = [e for e in elements if e.status == "missing"]
    partial = [item for e in elements if e.status == "partial" for item in e.items]
    form = SubmitForm(request.POST if request.method == "POST" else None,
                      needs_confirmation=bool(missing or partial))
    return _transition_page(
        request, report, template="assessments/submission/report_submit.html",
        action=lambda: report_submit(actor=request.user, report=report,
                                     confirm_missing=bool(form.cleaned_data.get(
                                         "confirm_missing"))),
        success=_("Отчёт представлен."), form=form,
        extra={"missing_elements": missing, "partial": partial, "today": clock.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "close", report)
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    return _transition_page(
        request, report, template="assessments/submission/report_close.html",
        action=lambda: report_close_not_submitted(actor=request.user, report=report,
                                                  reason=form.cleaned_data["reason"]),
        success=_("Отчёт закрыт как не представленный."), form=form,
        extra={"elements": [e for e in report_elements(report) if e.element],
               "today": clock.today(), "reopen": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "close", report)
    if report.state != Report.State.NOT_SUBMITTED:
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    return _transition_page(
        request, report, template="assessments/submission/report_close.html",
        action=lambda: report_reopen_submission(actor=request.user, report=report,
                                                reason=form.cleaned_data["reason"]),
        success=_("Отчёт снова открыт для представления."), form=form,
        extra={"elements": [], "today": clock.today(), "reopen": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "review", report)
    return _transition_page(
        request, report, template="assessments/submission/report_review.html",
        action=lambda: report_start_review(actor=request.user, report=report),
        success=_("Рассмотрение начато."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "review", report)
    form = ReturnForm(request.POST or None,
                      sections=sections_for(report.direction, body_kind(report.body)))
    return _transition_page(
        request, report, template="assessments/submission/report_return.html",
        action=lambda: report_return(actor=request.user, report=report,
                                     comments=form.comments(),
                                     comment=form.cleaned_data.get("comment", "")),
        success=_("Отчёт возвращён на доработку."), form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    access.require(request.user, "review", report)
    return _transition_page(
        request, report, template="assessments/submission/report_accept.html",
        action=lambda: report_accept(actor=request.user, report=report),
        success=_("Отчёт принят; данные заблокированы."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = _report(request, pk)
    section = SECTIONS_BY_KEY.get(key)
    if section is None or section.direction != report.direction:
        raise Http404
    access.require(request.user, "attach", report)
    replaces = None
    if request.GET.get("replaces") or request.POST.get("replaces"):
        replaces = access.get_visible_or_404(
            request.user, Evidence.objects.filter(report=report),
            pk=request.GET.get("replaces") or request.POST.get("replaces"))
    form = EvidenceForm(request.POST or None, request.FILES or None,
                        indicators=evidence_indicators(section, body_kind(report.body)))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence_upload(
                actor=request.user, report=report, section_key=key,
                indicator=form.cleaned_data["indicator"], title=form.cleaned_data["title"],
                upload=upload, original_name=upload.name,
                classification=form.cleaned_data["classification"],
                language=form.cleaned_data["language"], replaces=replaces,
            )
        except DomainError as error:
            form.add_error("file" if error.code not in ("classified", "classification")
                           else "classification", error.message)
        else:
            messages.success(request, _("Документ приложен и проверяется; эксперты увидят его "
                                        "после проверки."))
            return redirect("submission:report_detail", pk=report.pk)
    return render(request, "assessments/submission/evidence_form.html",
                  {"report": report, "section": section, "form": form, "replaces": replaces})


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_visible_or_404(request.user, Evidence, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.original_name,
                        content_type=DOWNLOAD_TYPES.get(evidence.file_type,
                                                        "application/octet-stream"))


# The type sent with a download: from the content (``file_type`` was sniffed), never the name.
DOWNLOAD_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def evidence_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A held picture or scan (issue 16): the body's head looks at it and confirms that it
    carries no "ДСП"/secret stamp, or refuses it."""
    evidence = access.get_visible_or_404(
        request.user, Evidence.objects.select_related("report", "uploaded_by"), pk=pk)
    access.require(request.user, "confirm_classification", evidence)
    if request.method == "POST":
        try:
            evidence_confirm_service(actor=request.user, evidence=evidence,
                                     carries_no_stamp=request.POST.get("verdict") == "clean")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Решение по документу записано."))
        return redirect("submission:report_detail", pk=evidence.report_id)
    return render(request, "assessments/submission/evidence_confirm.html",
                  {"evidence": evidence, "report": evidence.report})


@login_required
def report_annex9(request: HttpRequest, pk: int) -> HttpResponse:
    """Annex 9 of an accepted openness report, as accepted (its version)."""
    from assessments.submission.documents import annex9_request
    from reporting.views import rendered_document_response

    report = _report(request, pk)
    if report.direction != Direction.OPENNESS or report.state != Report.State.ACCEPTED:
        raise Http404
    document = annex9_request(report, requested_by=request.user)
    return rendered_document_response(
        request, document, title=_("Приложение 9: отчёт по направлению «Открытость»"),
        filename=f"annex9-report-{report.pk}-v{document.version}.pdf",
        back_url=reverse("submission:report_detail", args=[report.pk]), back_label=str(report),
    )


def _table_section(request, pk: int, key: str):
    report = _report(request, pk)
    section = SECTIONS_BY_KEY.get(key)
    kind = body_kind(report.body)
    if (section is None or section.table is None or section.direction != report.direction
            or not section.applies_to(kind)):
        raise Http404
    access.require(request.user, "edit", report)
    return report, section, kind, ReportSection.objects.filter(report=report, key=key).first()


@login_required
def report_table_template(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The section's table as an XLSX template: the rows saved so far, or none."""
    from assessments.submission.services.table_import import table_template

    report, section, _kind, row = _table_section(request, pk, key)
    response = HttpResponse(
        table_template(section, (row.data.get("rows") or []) if row else []),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{report.pk}-{section.key}.xlsx"')
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_table_import(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Upload → preview (rows, row errors) → confirm: the rows replace the section's table."""
    from assessments.kernel.uploads import UploadRefused
    from assessments.submission.services.table_import import table_read

    report, section, kind, row = _table_section(request, pk, key)
    session_key = f"table-import:{report.pk}:{section.key}"
    data = row.data if row else {}
    version = row.version if row else 0
    context = {"report": report, "section": section, "preview": None, "error": None}
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(session_key, None)
        if not pending:
            context["error"] = _("Файл для загрузки не найден или уже загружен: выберите его "
                                 "снова.")
        else:
            new = {"fields": data.get("fields") or {}, "rows": pending["rows"]}
            try:
                from assessments.submission.services.reports import report_section_save

                report_section_save(actor=request.user, report=report, key=section.key,
                                    data=new, expected_version=pending["version"])
            except (EditConflict, SectionInvalid, DomainError) as error:
                context["error"] = getattr(error, "message", None) or _(
                    "Таблица не сохранена: проверьте файл и загрузите его снова.")
            else:
                messages.success(request, _("Таблица раздела «%(s)s» заполнена из файла, "
                                            "строк: %(n)s.") % {"s": section.title,
                                                               "n": len(pending["rows"])})
                return redirect("submission:report_detail", pk=report.pk)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Выберите файл XLSX.")
        else:
            try:
                preview = table_read(section, kind, upload, data.get("fields") or {})
            except UploadRefused as refusal:
                context["error"] = refusal.message
            except DomainError as error:
                context["error"] = error.message
            else:
                context["preview"] = preview
                context["shown"] = preview.rows[:50]
                if preview.errors:
                    request.session.pop(session_key, None)
                else:
                    request.session[session_key] = {"rows": preview.rows, "version": version}
    context["columns"] = section.table.columns
    return render(request, "assessments/submission/table_import.html", context, status=(
        400 if context["error"] or (context["preview"] and context["preview"].errors) else 200))
