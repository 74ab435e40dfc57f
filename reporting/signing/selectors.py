"""Reads of the signing pages, with what they need loaded in one go."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from reporting.models import SignatorySlot, Signature, SignedDocument, SigningCredential


def signed_documents(queryset: QuerySet | None = None) -> QuerySet:
    """Documents with their slots (and each slot's person and signature) prefetched."""
    queryset = SignedDocument.objects.all() if queryset is None else queryset
    return queryset.select_related("created_by").prefetch_related(
        Prefetch(
            "slots",
            queryset=SignatorySlot.objects.select_related("user", "signature__signer")
            .order_by("order"),
        )
    )


def document_signatures(signed_document: SignedDocument) -> list[Signature]:
    return list(
        signed_document.signatures.select_related("signer", "credential").order_by("order")
    )


def credentials_of(user) -> QuerySet:
    return SigningCredential.objects.filter(user=user).order_by("-active", "-created_at")
