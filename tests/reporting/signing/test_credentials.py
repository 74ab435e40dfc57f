"""A person's own PKCS#12: checked when uploaded, refused with a clear message otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from reporting.models import SigningCredential
from reporting.signing import ca
from reporting.signing.errors import CredentialRefused
from reporting.signing.services import signing_credential_upload

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def _pkcs12(authority, **kwargs) -> bytes:
    return ca.issue_pkcs12(common_name="Иванов Иван Иванович", passphrase=PASSPHRASE,
                           ca=authority, **kwargs).pkcs12


def _custom(authority, *, key_usage=True, is_ca=False, start=None, end=None) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Тест")]))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start or now - timedelta(days=10))
        .not_valid_after(end or now + timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if key_usage:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=True,
            data_encipherment=False, key_agreement=False, key_cert_sign=is_ca, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
    certificate = builder.sign(authority.private_key, hashes.SHA256())
    return ca.pack_pkcs12(key, certificate, [authority.certificate], PASSPHRASE)


@pytest.fixture
def authority(demo_ca_dir):
    return ca.demo_ca(demo_ca_dir)


def test_a_good_pkcs12_becomes_the_active_credential(evaluator_rep, authority):
    old = signing_credential_upload(user=evaluator_rep, data=_pkcs12(authority),
                                    passphrase=PASSPHRASE)
    new = signing_credential_upload(user=evaluator_rep, data=_pkcs12(authority),
                                    passphrase=PASSPHRASE)
    assert new.source == SigningCredential.Source.UPLOADED and new.created_by == evaluator_rep
    assert new.active
    old = SigningCredential.objects.get(pk=old.pk)
    assert not old.active and old.deactivated_at is not None
    assert new.fingerprint != old.fingerprint and len(new.fingerprint) == 64
    assert "BEGIN CERTIFICATE" in new.certificate_pem


def test_the_same_certificate_twice_is_refused(evaluator_rep, authority):
    data = _pkcs12(authority)
    signing_credential_upload(user=evaluator_rep, data=data, passphrase=PASSPHRASE)
    with pytest.raises(CredentialRefused, match="уже загружен"):
        signing_credential_upload(user=evaluator_rep, data=data, passphrase=PASSPHRASE)


@pytest.mark.parametrize("case, message", [
    ("garbage", "Файл не является контейнером PKCS#12"),
    ("wrong_passphrase", "Неверный пароль к ключу подписи"),
    ("no_signing_usage", "не предназначен для подписи"),
    ("ca_certificate", "сертификат удостоверяющего центра"),
    ("expired", "Срок действия сертификата истёк"),
    ("not_yet_valid", "ещё не действует"),
    ("outside_ca", "удостоверяющим центром, которому система не доверяет"),
])
def test_a_bad_pkcs12_is_refused_with_a_clear_message(evaluator_rep, authority, outside_ca,
                                                      case, message):
    now = datetime.now(UTC)
    data, passphrase = {
        "garbage": lambda: (b"0\x82\x01\x00not a pkcs12", PASSPHRASE),
        "wrong_passphrase": lambda: (_pkcs12(authority), "guess"),
        "no_signing_usage": lambda: (_custom(authority), PASSPHRASE),
        "ca_certificate": lambda: (_custom(authority, is_ca=True), PASSPHRASE),
        "expired": lambda: (_custom(authority, start=now - timedelta(days=800),
                                    end=now - timedelta(days=400)), PASSPHRASE),
        "not_yet_valid": lambda: (_custom(authority, start=now + timedelta(days=400),
                                          end=now + timedelta(days=800)), PASSPHRASE),
        "outside_ca": lambda: (_pkcs12(outside_ca), PASSPHRASE),
    }[case]()
    with pytest.raises(CredentialRefused, match=message):
        signing_credential_upload(user=evaluator_rep, data=data, passphrase=passphrase)
    assert not SigningCredential.objects.exists()
