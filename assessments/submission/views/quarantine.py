"""Pages of documents in quarantine, whatever they are attached to (issue 16): the body's head
confirms a held picture of a re-verification request or an objection (evidence has its own page),
and an uploader removes a document whose check failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.models import CheckState
from assessments.submission.services.quarantine import (
    KINDS,
    quarantine_confirm,
    quarantine_remove,
)


def _document(request, kind_key: str, pk: int):
    kind = KINDS.get(kind_key)
    if kind is None:
        raise Http404
    return kind, access.get_visible_or_404(request.user, kind.model, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_confirm(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A held picture or scan: the body's head looks at it and confirms that it carries no
    "ДСП"/secret stamp, or refuses it."""
    if kind == "evidence":
        raise Http404  # evidence has its own page (submission:evidence_confirm)
    spec, document = _document(request, kind, pk)
    access.require(request.user, "confirm_classification", document)
    back = spec.link(document)
    if request.method == "POST":
        try:
            quarantine_confirm(kind, actor=request.user, row=document,
                               carries_no_stamp=request.POST.get("verdict") == "clean")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Решение по документу записано."))
        return redirect(back)
    return render(request, "assessments/submission/document_confirm.html", {
        "document": document, "back": back, "download": spec.download(document)})


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remove a document that was not accepted (its check failed, or it still waits): its
    uploader (a report's evidence: also its body's staff). The file may then be uploaded
    again."""
    spec, document = _document(request, kind, pk)
    if document.check_state == CheckState.ACCEPTED:
        raise PermissionDenied
    if document.uploaded_by_id != request.user.pk and not access.can(
            request.user, "remove_unaccepted", document):
        raise PermissionDenied
    back = spec.link(document)
    if request.method == "POST":
        try:
            quarantine_remove(kind, actor=request.user, row=document)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Документ удалён; его можно загрузить снова."))
        return redirect(back)
    return render(request, "assessments/submission/document_remove.html",
                  {"document": document, "back": back})
