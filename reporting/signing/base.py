"""The signer interface: what any way of signing a PDF (a PKCS#12 here, NCALayer later) provides.

A ``Signer`` adds one PAdES signature to PDF bytes as an incremental update, in a new signature
field of the given name, and returns the new bytes; the bytes it was given stay an exact prefix of
the result. It knows its certificate, so the service can check it before signing and compare it
with the signature it finds afterwards. See README, "Signing", for what an NCALayer (GOST) signer
needs beyond this.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509


@dataclass(frozen=True)
class SignatoryInfo:
    """Who signs, as printed: full name and position (and, optionally, the organisation)."""

    full_name: str
    position: str = ""
    organisation: str = ""

    @property
    def printed(self) -> str:
        """"ФИО, должность" — the form used in the signature's /Name and in status lines."""
        return ", ".join(part for part in (self.full_name, self.position) if part)


def signature_field_name(order: int) -> str:
    """The deterministic name of the n-th signature field: ``Signature1``, ``Signature2``, …"""
    if order < 1:
        raise ValueError("signature order starts at 1")
    return f"Signature{order}"


class Signer(abc.ABC):
    """A key that makes detached CMS signatures on the server (the demo PKCS#12 signer).

    NCALayer is not a ``Signer``: its key never reaches the server, the browser returns the CMS.
    Both go through the same two phases (``reporting.signing.phases``): ``sign`` below is prepare
    → ``sign_data`` → complete, in one go.
    """

    @property
    @abc.abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer's certificate (the one whose key makes the signature)."""

    @abc.abstractmethod
    def sign_data(self, data: bytes, *, signing_time: datetime) -> bytes:
        """A detached CMS (DER) over ``data``: the prepared revision's ``/ByteRange`` data."""

    def sign(
        self,
        pdf: bytes,
        *,
        field_name: str,
        signatory: SignatoryInfo,
        reason: str = "",
        location: str = "",
        signing_time: datetime | None = None,
        box=None,
        heading: str = "",
    ) -> bytes:
        """Return ``pdf`` with one more signature in a new field ``field_name``, appended as an
        incremental update (``pdf`` is an exact prefix of the result)."""
        from django.utils import timezone

        from reporting.signing import phases

        moment = signing_time or timezone.now()
        prepared = phases.prepare_pdf(
            pdf, field_name=field_name, signatory=signatory, signing_time=moment,
            reason=reason, location=location, box=box, heading=heading,
        )
        return phases.complete_pdf(
            prepared, self.sign_data(prepared.signed_data, signing_time=moment)
        )
