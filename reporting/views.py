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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.kernel import access
from reporting.forms import CredentialUploadForm, SignForm
from reporting.models import RenderedDocument, SignedDocument
from reporting.signing import selectors
from reporting.signing.errors import CredentialRefused, SigningError
from reporting.signing.services import (
    active_credential,
    credential_expiry_warning,
    signed_document_download,
    signed_document_sign,
    signed_document_verify,
    signing_credential_upload,
    signing_turn,
)
from reporting.signing.trust import trust_roots_pem
from reporting.signing.web import ncalayer_page, phase_response

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
    answer = phase_response(
        request,
        lambda step: signed_document_sign(signed_document=document, user=request.user,
                                          passphrase=step),
        redirect_url=reverse("reporting:signed_document_detail", args=[document.pk]),
    )
    if answer is not None:
        return answer
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
    return ncalayer_page(render(request, "reporting/signed_document_sign.html", {
        "document": document,
        "form": form,
        "turn": signing_turn(signed_document=document, user=request.user),
        "expiry_warning": credential_expiry_warning(request.user),
        "credential": active_credential(request.user),
    }))


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
        "expiry_warning": credential_expiry_warning(request.user),
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


# --- the reference forms of the methodology (annexes 2, 6, 7, 11, 13) --------------------------

REFERENCE_ANNEXES = (2, 6, 7, 11, 13)


def _cycles():
    from assessments.models import Cycle

    return Cycle.objects.order_by("-year", "code")


def _chosen_cycle(code: str | None):
    cycles = _cycles()
    if code:
        return cycles.filter(code=code).first()
    return cycles.filter(is_current=True).first() or cycles.first()


@login_required
@require_GET
def reference_annexes(request: HttpRequest) -> HttpResponse:
    """The methodology's reference forms as the chosen cycle's edition prints them (the
    criteria, bands and points are the edition's data), each a PDF to download."""
    from reporting.annexes import ANNEX_KINDS
    from reporting.annexes.labels import TITLES

    cycle = _chosen_cycle(request.GET.get("cycle"))
    if request.GET.get("cycle") and cycle is None:
        raise Http404
    rows = [{"number": n, "what": " ".join(TITLES[n]), "kind": ANNEX_KINDS[f"annex{n}"].kind}
            for n in REFERENCE_ANNEXES]
    return render(request, "reporting/reference_annexes.html", {
        "cycle": cycle, "cycles": list(_cycles()), "rows": rows,
    })


@login_required
@require_GET
def reference_annex_file(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """One reference form of a cycle's edition: rendered once (version 1) and stored."""
    from django.urls import reverse

    from reporting.services import document_request

    cycle = _chosen_cycle(code)
    if cycle is None or number not in REFERENCE_ANNEXES:
        raise Http404
    document = document_request(kind=f"annex{number}", subject=cycle, version=1,
                                requested_by=request.user)
    return rendered_document_response(
        request, document, title=_("Приложение %(n)s к Методике") % {"n": number},
        filename=f"annex{number}-edition-{cycle.edition}-{cycle.code}.pdf",
        back_url=reverse("reporting:reference_annexes") + f"?cycle={cycle.code}",
        back_label=_("Формы Методики"),
    )


@require_GET
def trust_root(request: HttpRequest) -> HttpResponse:
    """The configured trust roots (public certificates) as ``trust-root.pem``."""
    data = trust_roots_pem()
    if not data:
        raise Http404
    response = HttpResponse(data, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="trust-root.pem"'
    return response
