"""Import pages: upload, preview with row errors and a progress bar, confirm or discard,
and the templates of each file."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.kernel.audit import object_history
from assessments.kernel.errors import DomainError
from assessments.models import ImportBatch, ImportKind
from assessments.registry.services.cycles import current_cycle
from assessments.submission.access import import_kinds_for
from assessments.submission.forms import ImportUploadForm
from assessments.submission.imports.kinds import SPECS
from assessments.submission.imports.pipeline import import_confirm, import_discard, import_upload
from assessments.submission.imports.reasons import error_text, reason_text


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    access.require_section(request.user, "imports")
    kinds = import_kinds_for(request.user)
    cycle = current_cycle()
    labels = dict(ImportKind.choices)
    form = ImportUploadForm(request.POST or None, request.FILES or None,
                            kinds=[(k, labels[k]) for k in kinds])
    if request.method == "POST" and form.is_valid() and cycle is not None:
        upload = form.cleaned_data["file"]
        try:
            batch = import_upload(actor=request.user, cycle=cycle,
                                  kind=form.cleaned_data["kind"], upload=upload,
                                  original_name=upload.name)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("submission:import_detail", pk=batch.pk)
    batches = access.visible(request.user, ImportBatch).select_related(
        "created_by", "applied_by", "cycle")[:100]
    return render(request, "assessments/submission/import_list.html", {
        "form": form, "batches": batches, "cycle": cycle,
        "specs": [(k, labels[k], SPECS[k]) for k in kinds],
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_visible_or_404(
        request.user, ImportBatch.objects.select_related("created_by", "applied_by", "cycle"),
        pk=pk)
    if request.method == "POST":
        access.require(request.user, "apply", batch)
        try:
            if request.POST.get("action") == "discard":
                import_discard(batch_id=batch.pk, actor=request.user)
                messages.success(request, _("Импорт отменён."))
            else:
                # APPLYING, the apply queued once this commits: the page polls until it ends
                # (where Celery runs in-process it has ended already)
                import_confirm(batch_id=batch.pk, actor=request.user)
                batch = ImportBatch.objects.get(pk=batch.pk)
                if batch.state == ImportBatch.State.APPLIED:
                    messages.success(request, _("Импорт применён: добавлено %(c)s, обновлено "
                                                "%(u)s.") % {"c": batch.rows_created,
                                                              "u": batch.rows_updated})
                elif batch.state == ImportBatch.State.APPLYING:
                    messages.info(request, _("Импорт подтверждён и применяется; ход виден на "
                                             "этой странице."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("submission:import_detail", pk=pk)
    template = "assessments/partials/import_progress.html" if request.headers.get(
        "HX-Request") else "assessments/submission/import_detail.html"
    return render(request, template, {
        "batch": batch, "spec": SPECS[batch.kind],
        # reasons stored as codes, put into words in the reader's language
        "errors": [{"row": e.get("row"), "column": e.get("column"), "reason": error_text(e)}
                   for e in batch.errors],
        "reason": (reason_text(batch.reason["code"], batch.reason.get("params"), batch.message)
                   if batch.reason.get("code") else batch.message),
        "can_apply": access.can(request.user, "apply", batch),
        "can_discard": batch.state not in (ImportBatch.State.APPLIED,
                                           ImportBatch.State.DISCARDED),
        **_job_context(batch),
        "running": batch.state in (ImportBatch.State.UPLOADED, ImportBatch.State.VALIDATING,
                                   ImportBatch.State.APPLYING),
        "history": _history(batch),
    })


def _job_context(batch: ImportBatch) -> dict:
    """The batch's latest validation or apply job: queued waiting for the task service, running,
    its worker silent, or why it was resumed, failed or cancelled."""
    from django.contrib.contenttypes.models import ContentType

    from assessments.kernel.leases import job_status, reason_text
    from assessments.models import BackgroundJob

    job = BackgroundJob.objects.filter(
        content_type=ContentType.objects.get_for_model(ImportBatch), object_id=batch.pk,
    ).order_by("-id").first()
    if job is None:
        return {"job": None}
    return {"job": job, "job_status": job_status(job),
            "job_reason": reason_text(job.reason) if job.reason else ""}


def _history(batch: ImportBatch) -> list:
    """The batch's state changes (who, when, why) and audit entries; a state change's
    description is stored in Russian by the worker and put into the reader's language here."""
    return [replace(row, reason=_(row.reason)) if row.kind == "state" and row.reason else row
            for row in object_history(batch)]


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in SPECS or fmt not in ("csv", "xlsx"):
        raise Http404
    if kind not in import_kinds_for(request.user):
        raise PermissionDenied
    spec = SPECS[kind]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(spec.header)
        writer.writerow([c.example for c in spec.columns])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"),
                                content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(kind)
        sheet.append(spec.header)
        sheet.append([c.example for c in spec.columns])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response
