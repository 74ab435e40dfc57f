"""A signed document's verification is kept under its file's SHA-256 and the verification's
configuration (trust roots, revocation settings, verifier): a view or download hashes the file
(cheap) and runs pyHanko's validation only when the bytes or the configuration changed, or a
signer's certificate has expired since."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from reporting.models import SignedDocument
from reporting.signing import services
from reporting.signing.services import signed_document_download, signed_document_verify
from reporting.signing.verify import Status

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


@pytest.fixture
def validations(monkeypatch):
    """How many times the full validation (verify_pdf) ran."""
    calls = []
    real = services.verify_pdf

    def counted(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(services, "verify_pdf", counted)
    return calls


@pytest.fixture
def signed(act, evaluator_rep):
    services.signed_document_sign(signed_document=act, user=evaluator_rep,
                                  passphrase=PASSPHRASE)
    return SignedDocument.objects.get(pk=act.pk)


def test_a_verification_is_kept_and_the_file_hashed_on_every_view(signed, validations):
    assert signed_document_verify(signed).status == Status.VALID_TRUSTED
    assert len(validations) == 1
    assert signed_document_verify(signed).status == Status.VALID_TRUSTED
    assert signed_document_download(signed_document=signed).report.is_valid_trusted
    assert len(validations) == 1


def test_a_changed_file_is_validated_again(signed, validations):
    assert signed_document_verify(signed).is_valid_trusted
    path = signed.current_file.path
    original = open(path, "rb").read()
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 1
    open(path, "wb").write(bytes(changed))
    report = signed_document_verify(signed)
    assert report.status == Status.ALTERED and len(validations) == 2
    assert signed_document_download(signed_document=signed).report.status == Status.ALTERED
    assert len(validations) == 2  # the altered bytes' verification is kept too
    open(path, "wb").write(original)  # the file as it was: its kept verification
    assert signed_document_verify(signed).is_valid_trusted and len(validations) == 2


def test_a_changed_trust_root_is_validated_again(signed, validations, settings, outside_ca,
                                                 signing_demo_ca, tmp_path):
    from reporting.signing import ca

    root = tmp_path / "root.pem"
    shutil.copy(signing_demo_ca / ca.ROOT_CERT, root)
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    assert signed_document_verify(signed).is_valid_trusted and len(validations) == 1
    # another root configured: validated again, untrusted
    settings.SIGNING_TRUST_ROOTS = [str(outside_ca.root_path)]
    assert signed_document_verify(signed).status == Status.UNTRUSTED and len(validations) == 2
    # the same file name, its content replaced: validated again
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    assert signed_document_verify(signed).is_valid_trusted and len(validations) == 2
    shutil.copy(outside_ca.root_path, root)
    assert signed_document_verify(signed).status == Status.UNTRUSTED and len(validations) == 3


def test_the_revocation_settings_and_the_verifier_are_part_of_the_key(signed, validations,
                                                                      monkeypatch):
    assert signed_document_verify(signed).is_valid_trusted and len(validations) == 1
    monkeypatch.setattr(services.trust, "REVOCATION_MODE", "hard-fail")
    signed_document_verify(signed)
    assert len(validations) == 2
    monkeypatch.setattr(services, "VERIFIER_VERSION", "test-next")
    signed_document_verify(signed)
    assert len(validations) == 3


def test_a_kept_verification_ends_with_the_signers_certificate(signed, validations, clock):
    report = signed_document_verify(signed)
    assert report.is_valid_trusted and len(validations) == 1
    not_after = report.signatures[0].not_after
    assert not_after is not None
    clock.set_now((not_after + timedelta(days=1)).isoformat())
    signed_document_verify(signed)
    assert len(validations) == 2
