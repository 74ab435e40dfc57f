"""Errors of the signing service. Messages are translated (Russian msgids) and shown to users."""

from __future__ import annotations


class SigningError(Exception):
    """Base class: a signing operation was refused; ``str(exc)`` is a user-facing message."""


class SigningRefused(SigningError):
    """The request is not allowed now: wrong signer, wrong order, already signed, …"""


class CredentialRefused(SigningError):
    """A PKCS#12 could not be used: wrong passphrase, expired, wrong key usage, untrusted …"""


class ImmutableRecordError(Exception):
    """Raised on any attempt to change or remove frozen or signed data."""
