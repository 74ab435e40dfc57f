"""The configured trust roots (``settings.SIGNING_TRUST_ROOTS``: PEM/DER files) and the offline
validation context built on them: no fetching, no revocation data (PAdES B-B)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

# Either key usage makes a signing certificate: national CAs set both, some only one of them.
SIGNING_KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)

TrustRoots = list[asn1_x509.Certificate]

# How signatures are validated (offline, PAdES B-B): part of the verification's configuration,
# so a change of either makes every cached verification stale (services._verified).
ALLOW_FETCHING = False
REVOCATION_MODE = "soft-fail"


def trust_root_paths() -> list[Path]:
    return [Path(p) for p in settings.SIGNING_TRUST_ROOTS]


def load_trust_roots(paths: Iterable[str | Path] | None = None) -> TrustRoots:
    """Every certificate in the given files (default: the configured trust roots). A missing
    file is logged and skipped: signatures then come out as untrusted, never as trusted."""
    roots: TrustRoots = []
    for path in (trust_root_paths() if paths is None else [Path(p) for p in paths]):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            logger.warning("signing trust root %s does not exist", path)
            continue
        roots.extend(load_certs_from_pemder_data(data))
    return roots


def as_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def validation_context(
    roots: TrustRoots | None = None, *, other_certs: Iterable[asn1_x509.Certificate] = ()
) -> ValidationContext:
    """Offline validation at the present moment against ``roots`` alone."""
    return ValidationContext(
        trust_roots=load_trust_roots() if roots is None else list(roots),
        other_certs=list(other_certs),
        allow_fetching=ALLOW_FETCHING,
        revocation_mode=REVOCATION_MODE,
    )


def trust_roots_pem(roots: TrustRoots | None = None) -> bytes:
    """The trust roots as one PEM bundle (what ``trust-root.pem`` holds)."""
    from asn1crypto import pem

    return b"".join(
        pem.armor("CERTIFICATE", cert.dump())
        for cert in (load_trust_roots() if roots is None else roots)
    )
