"""Every verification outcome has a reason in words (issue 16): a tampered signature — its CMS
overwritten, its signed bytes changed, data appended, the file cut — is reported with a
translated reason, never an exception's name or text (the detail goes to the log)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from reporting.signing import ca
from reporting.signing.base import SignatoryInfo
from reporting.signing.pkcs12 import Pkcs12Signer
from reporting.signing.trust import load_trust_roots
from reporting.signing.verify import REASONS, Status, verify_pdf

from .conftest import PASSPHRASE

_PYTHON = re.compile(r"Error|Exception|Traceback|object has no attribute|NoneType")


@pytest.fixture(scope="module")
def signed(sample_pdf, demo_ca_dir):
    issued = ca.issue_pkcs12(common_name="Иванов Иван", title="Эксперт", passphrase=PASSPHRASE,
                             ca=ca.demo_ca(demo_ca_dir))
    return Pkcs12Signer(issued.pkcs12, PASSPHRASE).sign(
        sample_pdf, field_name="Signature1", signatory=SignatoryInfo("Иванов Иван", "Эксперт"))


@pytest.fixture
def roots(demo_ca_dir):
    return load_trust_roots([demo_ca_dir / ca.ROOT_CERT])


def _contents_span(data: bytes) -> tuple[int, int]:
    match = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
    return match.start(1), match.end(1)


def _tampered(signed: bytes) -> dict[str, bytes]:
    start, end = _contents_span(signed)
    cms_zeroed = signed[:start] + b"0" * (end - start) + signed[end:]
    cms_garbled = signed[:start] + b"3082" + b"ff" * ((end - start - 4) // 2) + signed[end:]
    text_at = signed.find(b"stream", 200) + 20
    flipped = signed[:text_at] + bytes([signed[text_at] ^ 0x01]) + signed[text_at + 1:]
    return {
        "cms zeroed": cms_zeroed,
        "cms garbled": cms_garbled,
        "byte flipped": flipped,
        "appended": signed + b"\n% appended after signing\n",
    }


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_tampered_signature_has_a_translated_reason(signed, roots, language):
    assert verify_pdf(signed, roots).signatures[0].reason == str(REASONS["ok"])
    # a file cut before its signature holds no signature at all: never "valid"
    assert verify_pdf(signed[: len(signed) // 2], roots).status in (Status.UNSIGNED,
                                                                    Status.ALTERED)
    with translation.override(language):
        for name, data in _tampered(signed).items():
            report = verify_pdf(data, roots)
            assert report.status == Status.ALTERED, name
            said = [check.reason for check in report.signatures] + list(report.problems)
            assert said and all(said), name
            for text in said:
                assert not _PYTHON.search(text), (name, text)
            if language == "en":
                assert not any(re.search("[А-Яа-я]", text) for text in said), (name, said)


def test_the_codes_are_codes_and_the_detail_is_kept_apart(signed, roots):
    checks = [check for data in _tampered(signed).values()
              for check in verify_pdf(data, roots).signatures if check.problem]
    assert checks
    for check in checks:
        assert check.problem in REASONS and check.problem != "ok"
        assert not check.detail or check.detail not in check.reason
