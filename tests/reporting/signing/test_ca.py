"""The demo certification authority, its management command and the trust-root export."""

from __future__ import annotations

import stat
from io import StringIO

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management import call_command

from reporting.models import SigningCredential
from reporting.signing import ca
from reporting.signing.pkcs12 import open_pkcs12
from reporting.signing.services import issue_demo_credential

from .conftest import PASSPHRASE


def test_the_root_is_created_once_and_then_reused(tmp_path):
    first = ca.demo_ca(tmp_path)
    again = ca.demo_ca(tmp_path)
    assert first.certificate == again.certificate
    root = first.certificate
    assert root.subject == root.issuer
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (root.not_valid_after_utc - root.not_valid_before_utc).days > 20 * 365
    # the private key is readable by its owner only, and the directory refuses to be committed
    assert stat.S_IMODE((tmp_path / ca.ROOT_KEY).stat().st_mode) == 0o600
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_the_default_directory_is_outside_version_control():
    from config.settings import BASE_DIR, SIGNING_CA_DIR, SIGNING_TRUST_ROOTS

    assert SIGNING_CA_DIR == BASE_DIR / "var" / "demo-ca"
    assert SIGNING_TRUST_ROOTS == [str(SIGNING_CA_DIR / "root-ca.pem")]
    # var/ is ignored as a whole, so the CA's keys can never be added by accident
    ignored = (BASE_DIR / ".gitignore").read_text(encoding="utf-8").split()
    assert "var/" in ignored
    assert SIGNING_CA_DIR.relative_to(BASE_DIR).parts[0] == "var"


def test_a_person_certificate_names_them_and_may_sign(demo_ca_dir):
    issued = ca.issue_pkcs12(
        common_name="Иванов Иван Иванович", title="Главный эксперт", uid="assessor",
        passphrase=PASSPHRASE, ca=ca.demo_ca(demo_ca_dir), store_as="assessor",
    )
    certificate = issued.certificate
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "Иванов Иван Иванович")
    assert certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == (
        "Главный эксперт")
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert certificate.issuer == ca.demo_ca(demo_ca_dir).certificate.subject
    # the PKCS#12 opens with its passphrase only, and is kept owner-readable in the CA directory
    assert open_pkcs12(issued.pkcs12, PASSPHRASE).certificate == certificate
    assert issued.path.parent == demo_ca_dir / ca.ISSUED_DIR
    assert issued.path.read_bytes() == issued.pkcs12
    assert stat.S_IMODE(issued.path.stat().st_mode) == 0o600


def test_export_trust_root_writes_the_root_certificate(tmp_path, demo_ca_dir):
    path = ca.export_trust_root(tmp_path / "out")
    assert path.name == "trust-root.pem"
    assert path.read_bytes() == ca.demo_ca(demo_ca_dir).certificate_pem


@pytest.mark.django_db
def test_issue_demo_credential_stores_the_pkcs12_never_the_passphrase(evaluator_rep):
    credential = issue_demo_credential(evaluator_rep, PASSPHRASE)
    assert credential.source == SigningCredential.Source.ISSUED and credential.active
    assert "CN=Иванов Иван Иванович" in credential.subject
    certificate = open_pkcs12(bytes(credential.pkcs12), PASSPHRASE).certificate
    assert certificate.not_valid_after_utc == credential.not_after
    for field in SigningCredential._meta.concrete_fields:
        value = field.value_from_object(credential)
        raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        assert PASSPHRASE.encode() not in raw, f"passphrase found in {field.name}"


@pytest.mark.django_db
def test_the_command_is_idempotent_and_issues_credentials(evaluator_rep, body_rep, tmp_path):
    out = StringIO()
    call_command("demo_ca", stdout=out)
    call_command("demo_ca", stdout=out)
    assert out.getvalue().count(str(settings.SIGNING_CA_DIR)) == 2

    call_command("demo_ca", "--all-users", "--passphrase", PASSPHRASE,
                 "--export-root", str(tmp_path), stdout=out)
    assert SigningCredential.objects.filter(active=True).count() == 2
    assert (tmp_path / "trust-root.pem").exists()
    # a second run keeps what exists
    call_command("demo_ca", "--issue", "assessor", "--passphrase", PASSPHRASE, stdout=out)
    assert SigningCredential.objects.filter(user=evaluator_rep).count() == 1
    assert "has an active credential (kept)" in out.getvalue()
    call_command("demo_ca", "--issue", "assessor", "--passphrase", PASSPHRASE, "--reissue",
                 stdout=out)
    assert SigningCredential.objects.filter(user=evaluator_rep).count() == 2
    assert SigningCredential.objects.filter(user=evaluator_rep, active=True).count() == 1
