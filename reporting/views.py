"""Pages of the signing service: documents and their signatures, signing, downloads, credentials.

Views are thin: access through ``assessments.kernel.access``, one service call, a domain refusal
turned into a form error. Every page and every download re-verifies the stored bytes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.kernel import access
from reporting.forms import CredentialUploadForm, SignForm
from reporting.models import RenderedDocument, SignedDocument
from reporting.signing import selectors
from reporting.signing.errors import CredentialRefused, SigningError
from reporting.signing.services import (
    signed_document_download,
    signed_document_sign,
    signed_document_verify,
    signing_credential_upload,
    signing_turn,
)
from reporting.signing.trust import trust_roots_pem

PAGE_SIZE = 50


def _document(request: HttpRequest, pk: int) -> SignedDocument:
    return access.get_visible_or_404(request.user, selectors.signed_documents(), pk=pk)


def _pending_slot(document: SignedDocument):
    return next((s for s in document.slots.all() if not hasattr(s, "signature")), None)


@login_required
@require_GET
def signed_document_list(request: HttpRequest) -> HttpResponse:
    documents = selectors.signed_documents(
        access.visible(request.user, SignedDocument)
    ).order_by("-created_at", "-id")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(document, _pending_slot(document)) for document in page.object_list]
    return render(request, "reporting/signed_document_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def signed_document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    report = signed_document_verify(document)
    signatures = selectors.document_signatures(document)
    checks = {check.field_name: check for check in report.signatures}
    return render(request, "reporting/signed_document_detail.html", {
        "document": document,
        "report": report,
        "slots": list(document.slots.all()),
        "signature_rows": [(s, checks.get(s.field_name)) for s in signatures],
        "turn": signing_turn(signed_document=document, user=request.user),
    })


@login_required
@require_GET
def signed_document_file(request: HttpRequest, pk: int, order: int | None = None) -> HttpResponse:
    """The current version (or the version after signature ``order``; 0 = the frozen source),
    verified now: the result is in ``X-Signature-Status`` (and the page shows it by the link)."""
    document = _document(request, pk)
    try:
        download = signed_document_download(signed_document=document, order=order)
    except LookupError:
        raise Http404
    response = HttpResponse(download.data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["X-Signature-Status"] = download.report.status.value
    response["X-Signature-Count"] = str(len(download.report.signatures))
    response["X-Content-SHA256"] = download.report.sha256
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def signed_document_sign_page(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signature = signed_document_sign(
                signed_document=document, user=request.user,
                passphrase=form.cleaned_data["passphrase"],
            )
        except SigningError as exc:
            form.add_error("passphrase" if isinstance(exc, CredentialRefused) else None, str(exc))
        else:
            messages.success(
                request,
                _("Документ подписан: %(signer)s.") % {"signer": signature.printed_name},
            )
            return redirect("reporting:signed_document_detail", pk=document.pk)
    return render(request, "reporting/signed_document_sign.html", {
        "document": document,
        "form": form,
        "turn": signing_turn(signed_document=document, user=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def signing_credentials(request: HttpRequest) -> HttpResponse:
    """The person's signing credentials, and the upload of their own PKCS#12."""
    form = CredentialUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            credential = signing_credential_upload(
                user=request.user,
                data=form.cleaned_data["pkcs12"].read(),
                passphrase=form.cleaned_data["passphrase"],
            )
        except SigningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Сертификат подписи принят: %(subject)s.") % {
                    "subject": credential.subject}
            )
            return redirect("reporting:signing_credentials")
    return render(request, "reporting/signing_credentials.html", {
        "form": form,
        "credentials": selectors.credentials_of(request.user),
    })


def rendered_document_response(request: HttpRequest, document: RenderedDocument, *,
                               filename: str, title: str, back_url: str = "",
                               back_label: str = "") -> HttpResponse:
    """A rendered (unsigned) document as a PDF download, or — while it is being rendered — a
    page that says so and refreshes itself (a failure is shown with its error). The caller has
    checked that the person may see the document's subject."""
    document = RenderedDocument.objects.get(pk=document.pk)
    if document.state == RenderedDocument.State.RENDERED and document.file:
        with document.file.open("rb") as handle:
            data = handle.read()
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response
    return render(request, "reporting/rendered_document_pending.html", {
        "document": document, "title": title, "back_url": back_url, "back_label": back_label,
    }, status=500 if document.state == RenderedDocument.State.FAILED else 200)


@require_GET
def trust_root(request: HttpRequest) -> HttpResponse:
    """The configured trust roots (public certificates) as ``trust-root.pem``."""
    data = trust_roots_pem()
    if not data:
        raise Http404
    response = HttpResponse(data, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="trust-root.pem"'
    return response
