"""Models of the reporting service, one module per concept: rendered documents and signing."""

from .documents import RenderedDocument, document_upload_to
from .signing import (
    SignatorySlot,
    Signature,
    SignedDocument,
    SigningCredential,
    SigningPreparation,
    signed_file_upload_to,
)

__all__ = [
    "RenderedDocument",
    "SignatorySlot",
    "Signature",
    "SignedDocument",
    "SigningCredential",
    "SigningPreparation",
    "document_upload_to",
    "signed_file_upload_to",
]
