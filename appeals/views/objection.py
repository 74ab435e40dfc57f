"""The objection's page, to every party: the rows, documents, state, due date, history and the
actions ``objection_actions`` offers; a row's document; the annex 14 PDF (signed, or the draft).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from appeals import services as svc
from appeals.models import Objection, ObjectionState, RowDocument
from appeals.views.common import _commission, _objection, _sitting
from appeals.views.filing import window_of
from assessments.kernel import access, clock
from assessments.kernel.audit import object_history
from assessments.kernel.uploads import refusals_for


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _objection(request, pk)
    if objection.state == ObjectionState.AWAITING_SIGNATURE:
        # a table left unsigned past its window lapses now, with the reason (p.111)
        svc.objection_lapse_if_due(objection)
        objection = _objection(request, pk)
    actions = svc.objection_actions(request.user, objection)
    # the documents the user may see: accepted ones, and their own still in quarantine
    documents = access.visible(request.user, RowDocument).select_related("uploaded_by")
    rows = list(objection.rows.order_by("number").prefetch_related(
        Prefetch("documents", queryset=documents.order_by("uploaded_at", "pk"))))
    checking = RowDocument.objects.filter(
        row__objection=objection, check_state=RowDocument.CheckState.QUARANTINE).count()
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
    if objection.filed_signed_document_id and objection.is_lodged:  # signed, so filed
        filed_report = signed_document_verify(objection.filed_signed_document)
    today = clock.today()
    return render(request, "appeals/objection_detail.html", {
        "o": objection, "actions": actions,
        "waits": svc.objection_action_waits(request.user, objection),
        "rows": [(r, votes.get(r.pk, [])) for r in rows],
        "sitting": sitting, "members": members, "commission": _commission(objection),
        "report": report, "filed_report": filed_report, "history": object_history(objection),
        "overdue": objection.decided_on is None and objection.decision_due
        and objection.decision_due < today,
        "days_left": (objection.decision_due - today).days if objection.decision_due else None,
        "window": window_of(objection.conclusion),
        # The corrected conclusion is linked only for those who may open it: the body sees it
        # once issued (with the signed table, p.115), not while the evaluator drafts it.
        "correction_visible": bool(objection.correction_id)
        and access.can(request.user, "view", objection.correction),
        "documents_checking": checking, "refused": refusals_for(objection, request.user),
        "polling": any(d.check_state == RowDocument.CheckState.QUARANTINE
                       for r in rows for d in r.documents.all()),
    })


@login_required
def row_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document of a row: to whoever sees the objection once accepted; in
    quarantine, to its uploader only (issue 16)."""
    document = access.get_visible_or_404(
        request.user, RowDocument.objects.select_related("row__objection"), pk=pk)
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
    that the table as it stands, marked "ПРОЕКТ"; a table not filed, as frozen for (or signed
    by) its head."""
    objection = _objection(request, pk)
    document = objection.table_document
    if document is None and not objection.is_lodged:
        document = objection.filed_signed_document  # the table as drawn up for the signature
    if document is not None:
        from reporting.signing.services import signed_document_download

        download = signed_document_download(signed_document=document)
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
    """Annex 14's context for an objection as it stands: the builder the signed table is
    rendered with (``appeals.documents``), here for the page's draft."""
    from appeals.documents import annex14_context as builder

    return builder(objection, draft=draft)
