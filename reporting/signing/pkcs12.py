"""Signing with a PKCS#12 (a ``.p12``/``.pfx`` file holding the key and its certificate chain).

``Pkcs12Signer`` makes PAdES B-B signatures with pyHanko: no timestamp authority, no revocation
data, the signer's certificate (and the chain found in the PKCS#12) embedded in the CMS, SHA-256.
``inspect_pkcs12`` checks a PKCS#12 before it is accepted as a person's credential.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from reporting.signing.base import Signer
from reporting.signing.errors import CredentialRefused
from reporting.signing.trust import as_asn1

DIGEST_ALGORITHM = "sha256"


@dataclass(frozen=True)
class Pkcs12Contents:
    """What a PKCS#12 holds once opened with its passphrase."""

    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _passphrase_bytes(passphrase: str | bytes | None) -> bytes | None:
    if passphrase is None or passphrase == "" or passphrase == b"":
        return None
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def open_pkcs12(data: bytes, passphrase: str | bytes | None) -> Pkcs12Contents:
    """Open a PKCS#12, telling "not a PKCS#12" apart from "wrong passphrase"."""
    try:
        asn1_pkcs12.Pfx.load(bytes(data)).native  # noqa: B018  (parses the whole structure)
    except Exception:
        raise CredentialRefused(
            _("Файл не является контейнером PKCS#12 (.p12, .pfx) или повреждён.")
        )
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            bytes(data), _passphrase_bytes(passphrase)
        )
    except ValueError:
        raise CredentialRefused(_("Неверный пароль к ключу подписи (PKCS#12)."))
    if key is None or certificate is None:
        raise CredentialRefused(
            _("В контейнере PKCS#12 нет закрытого ключа или сертификата подписи.")
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CredentialRefused(
            _("Алгоритм ключа не поддерживается: нужен ключ RSA или ECDSA.")
        )
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != (
        certificate.public_key().public_bytes(serialization.Encoding.DER, public)
    ):
        raise CredentialRefused(_("Закрытый ключ не соответствует сертификату."))
    return Pkcs12Contents(private_key=key, certificate=certificate, chain=tuple(chain or ()))


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def certificate_attribute(certificate: x509.Certificate, oid) -> str:
    values = certificate.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def existing_signature_fields(pdf: bytes) -> list[str]:
    from reporting.signing.phases import existing_signature_fields as fields_of

    return fields_of(pdf)


class Pkcs12Signer(Signer):
    """PAdES B-B signatures with the key and certificate of a PKCS#12."""

    def __init__(self, data: bytes, passphrase: str | bytes | None):
        self._contents = contents = open_pkcs12(data, passphrase)
        # Built from the opened contents (decrypting a PKCS#12 costs a key derivation: once).
        key_der = contents.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._signer = signers.SimpleSigner(
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            signing_cert=as_asn1(contents.certificate),
            cert_registry=SimpleCertificateStore.from_certs(
                [as_asn1(c) for c in contents.chain]
            ),
        )

    @property
    def certificate(self) -> x509.Certificate:
        return self._contents.certificate

    def sign_data(self, data: bytes, *, signing_time: datetime) -> bytes:
        from reporting.signing.phases import cms_for_data

        return cms_for_data(self._signer, data, signing_time)
