"""The demo certification authority: one root and one certificate per signer.

Everything lives under ``settings.SIGNING_CA_DIR`` (default ``var/demo-ca/``, outside version
control): ``root-ca.pem`` (the root certificate — the default trust root), ``root-ca.key.pem``
(its private key, mode 0600) and ``issued/<username>-<serial>.p12`` (each person's key and
certificate, protected by a passphrase that is not stored). The directory carries a ``.gitignore``
of ``*`` so that no key is ever committed, wherever the directory is configured.

Creating the root is idempotent and safe between processes (a lock file): the first caller makes
it, everyone else reads it. Certificates carry CN = full name and title = position (the X.520
``title`` attribute), key usage digitalSignature + nonRepudiation, and a validity that starts two
years before both the real and the application time (ten years long), so that demo cycles played
on past dates and validation today both fall inside it.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

ROOT_CERT = "root-ca.pem"
ROOT_KEY = "root-ca.key.pem"
ISSUED_DIR = "issued"
ROOT_COMMON_NAME = "Демо-УЦ операционной оценки (Demo CA)"
ROOT_ORGANISATION = "Operational assessment demo"
ROOT_YEARS = 20
CERTIFICATE_YEARS = 10


@dataclass(frozen=True)
class CertificationAuthority:
    directory: Path
    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey

    @property
    def root_path(self) -> Path:
        return self.directory / ROOT_CERT

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class IssuedCredential:
    pkcs12: bytes
    certificate: x509.Certificate
    path: Path | None


def ca_directory() -> Path:
    return Path(settings.SIGNING_CA_DIR)


# Demo certificates are back-dated, so that a demo cycle played on past dates (the application
# clock moved back after the credentials were issued) still signs inside their validity.
BACKDATE_ROOT = timedelta(days=3 * 365)
BACKDATE_CERTIFICATE = timedelta(days=2 * 365)


def _validity_start(backdate: timedelta) -> datetime:
    """``backdate`` before the earlier of the real time and the application clock."""
    from assessments.kernel import clock

    real = datetime.now(UTC)
    return min(real, clock.now().astimezone(UTC)) - backdate


def _validity_end(start: datetime, years: int) -> datetime:
    from assessments.kernel import clock

    latest = max(datetime.now(UTC), clock.now().astimezone(UTC))
    return max(start, latest) + timedelta(days=365 * years)


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@contextmanager
def _locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_gitignore(directory: Path) -> None:
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# private keys of the demo CA: never commit\n*\n", encoding="utf-8")


def _load(directory: Path) -> CertificationAuthority:
    certificate = x509.load_pem_x509_certificate((directory / ROOT_CERT).read_bytes())
    key = serialization.load_pem_private_key((directory / ROOT_KEY).read_bytes(), password=None)
    return CertificationAuthority(directory=directory, certificate=certificate, private_key=key)


def _create_root(directory: Path) -> CertificationAuthority:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, ROOT_COMMON_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ROOT_ORGANISATION),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ])
    start = _validity_start(BACKDATE_ROOT)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_validity_end(start, ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        directory / ROOT_KEY,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    (directory / ROOT_CERT).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return CertificationAuthority(directory=directory, certificate=certificate, private_key=key)


def demo_ca(directory: Path | str | None = None) -> CertificationAuthority:
    """The demo CA in ``directory`` (default ``settings.SIGNING_CA_DIR``), created on first use."""
    directory = Path(directory) if directory is not None else ca_directory()
    if (directory / ROOT_CERT).exists() and (directory / ROOT_KEY).exists():
        return _load(directory)
    with _locked(directory):
        _ensure_gitignore(directory)
        if (directory / ROOT_CERT).exists() and (directory / ROOT_KEY).exists():
            return _load(directory)
        return _create_root(directory)


def issue_certificate(
    ca: CertificationAuthority,
    *,
    common_name: str,
    title: str = "",
    organisation: str = "",
    uid: str = "",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new key and a signing certificate for one person."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if uid:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, uid[:64]))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    start = not_before or _validity_start(BACKDATE_CERTIFICATE)
    end = not_after or min(_validity_end(start, CERTIFICATE_YEARS),
                           ca.certificate.not_valid_after_utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.private_key.public_key()),
            critical=False,
        )
        .sign(ca.private_key, hashes.SHA256())
    )
    return key, certificate


def pack_pkcs12(
    key, certificate: x509.Certificate, chain: list[x509.Certificate], passphrase: str,
    *, friendly_name: str = "",
) -> bytes:
    if not passphrase:
        raise ValueError("a PKCS#12 is always protected by a passphrase")
    return pkcs12.serialize_key_and_certificates(
        (friendly_name or "signing key").encode("utf-8"), key, certificate, chain,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def issue_pkcs12(
    *,
    common_name: str,
    title: str = "",
    organisation: str = "",
    uid: str = "",
    passphrase: str,
    ca: CertificationAuthority | None = None,
    store_as: str = "",
) -> IssuedCredential:
    """Issue a certificate from the CA and pack it with its new key as a PKCS#12; with
    ``store_as`` the file is also kept under ``<CA dir>/issued/`` (mode 0600)."""
    ca = ca or demo_ca()
    key, certificate = issue_certificate(
        ca, common_name=common_name, title=title, organisation=organisation, uid=uid
    )
    data = pack_pkcs12(key, certificate, [ca.certificate], passphrase, friendly_name=common_name)
    path = None
    if store_as:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in store_as)
        path = ca.directory / ISSUED_DIR / f"{safe}-{certificate.serial_number:x}.p12"
        _write_private(path, data)
    return IssuedCredential(pkcs12=data, certificate=certificate, path=path)


def export_trust_root(out_dir: Path | str, *, filename: str = "trust-root.pem") -> Path:
    """Write the demo CA's root certificate as ``<out_dir>/trust-root.pem`` (for ``demo_cycle
    --out DIR``): every document signed with demo credentials validates against it alone."""
    ca = demo_ca()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / filename
    path.write_bytes(ca.certificate_pem)
    return path


def issue_demo_credential(user, passphrase: str):
    """Issue a demo credential for ``user`` (see ``services.signing_credential_issue``)."""
    from reporting.signing.services import signing_credential_issue

    return signing_credential_issue(user=user, passphrase=passphrase)
