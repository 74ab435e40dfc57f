"""The Signer and the verifier without the database: PAdES B-B signatures, one per signatory,
each an incremental update; verification of intact / valid / trusted / coverage and the overall
status."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from reporting.signing import ca
from reporting.signing.base import SignatoryInfo, signature_field_name
from reporting.signing.errors import CredentialRefused
from reporting.signing.pkcs12 import Pkcs12Signer
from reporting.signing.trust import load_trust_roots
from reporting.signing.verify import Status, verify_pdf
from tests.worlds.pdfcheck import pdf_text

from .conftest import PASSPHRASE

IVANOV = SignatoryInfo("Иванов Иван Иванович", "Главный эксперт Агентства")
SEITKALI = SignatoryInfo("Сейтқали Әйгерім Нұрланқызы", "Руководитель аппарата акимата")


@pytest.fixture(scope="module")
def signers(demo_ca_dir):
    authority = ca.demo_ca(demo_ca_dir)

    def make(person: SignatoryInfo) -> Pkcs12Signer:
        issued = ca.issue_pkcs12(common_name=person.full_name, title=person.position,
                                 passphrase=PASSPHRASE, ca=authority)
        return Pkcs12Signer(issued.pkcs12, PASSPHRASE)

    return make(IVANOV), make(SEITKALI)


@pytest.fixture(scope="module")
def twice_signed(sample_pdf, signers):
    first, second = signers
    once = first.sign(sample_pdf, field_name="Signature1", signatory=IVANOV,
                      reason="Подписание документа", location="Астана")
    twice = second.sign(once, field_name="Signature2", signatory=SEITKALI)
    return once, twice


@pytest.fixture
def roots(demo_ca_dir):
    return load_trust_roots([demo_ca_dir / ca.ROOT_CERT])


def _signed_ranges(data: bytes) -> list[tuple[int, int]]:
    """Every ``[start, end)`` covered by some signature's /ByteRange."""
    ranges = []
    for match in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data):
        a, b, c, d = (int(x) for x in match.groups())
        ranges += [(a, a + b), (c, c + d)]
    return ranges


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_field_names_are_deterministic():
    assert [signature_field_name(n) for n in (1, 2, 3)] == [
        "Signature1", "Signature2", "Signature3"]
    with pytest.raises(ValueError):
        signature_field_name(0)


def test_two_signatures_in_order_are_intact_valid_and_trusted(sample_pdf, twice_signed, roots):
    once, twice = twice_signed
    # each signature is an incremental update: the earlier bytes are an exact prefix
    assert once.startswith(sample_pdf) and twice.startswith(once)
    report = verify_pdf(twice, roots)
    assert report.status == Status.VALID_TRUSTED
    assert report.covers_whole_file
    first, second = report.signatures
    assert [first.field_name, second.field_name] == ["Signature1", "Signature2"]
    for check in report.signatures:
        assert check.intact and check.valid and check.trusted
        assert check.status == Status.VALID_TRUSTED
        assert isinstance(check.signing_time, datetime)
    assert first.signer_common_name == "Иванов Иван Иванович"
    assert first.signer_title == "Главный эксперт Агентства"
    assert first.signer_name == "Иванов Иван Иванович, Главный эксперт Агентства"
    assert second.signer_common_name == "Сейтқали Әйгерім Нұрланқызы"
    # the first covers its revision, then only a signature was added; the second covers the file
    assert (first.coverage, first.modified_after) == ("entire_revision", "signatures")
    assert (second.coverage, second.modified_after) == ("entire_file", "none")
    assert first.label == (
        "подписано Иванов Иван Иванович, Главный эксперт Агентства — действительна и доверенная"
    )


def test_one_signature_covers_the_whole_file(sample_pdf, twice_signed, roots):
    once, _twice = twice_signed
    report = verify_pdf(once, roots)
    assert report.status == Status.VALID_TRUSTED
    assert [c.coverage for c in report.signatures] == ["entire_file"]


def test_signing_time_is_the_one_given(sample_pdf, signers, roots):
    moment = datetime.fromisoformat("2026-03-19T10:00:00+05:00")
    data = signers[0].sign(sample_pdf, field_name="Signature1", signatory=IVANOV,
                           signing_time=moment)
    (check,) = verify_pdf(data, roots).signatures
    assert check.signing_time == moment


def test_text_still_extracts_after_signing(twice_signed):
    _once, twice = twice_signed
    text = pdf_text(twice)
    assert "Акт сверки" in text
    assert "Салыстыру актісі" in text
    for letter in "ӘҒҚҢӨҰҮҺІ":
        assert letter in text


def test_a_byte_changed_anywhere_inside_a_signed_range_is_altered(twice_signed, roots):
    _once, twice = twice_signed
    ranges = _signed_ranges(twice)
    assert len(ranges) == 4
    positions = set()
    for start, end in ranges:
        step = max(1, (end - start) // 12)
        positions.update(range(start, end, step))
        positions.update({start, end - 1})
    for position in sorted(positions):
        report = verify_pdf(_flip(twice, position), roots)
        assert report.status == Status.ALTERED, f"byte {position} changed, still {report.status}"


def test_altered_is_seen_by_intact_not_by_valid(twice_signed, roots):
    """A changed content byte keeps the CMS signature valid: only ``intact`` catches it."""
    once, twice = twice_signed
    start, end = _signed_ranges(twice)[0]
    # a byte in the middle of the first revision's body (inside a compressed stream)
    report = verify_pdf(_flip(twice, (start + end) // 3), roots)
    assert report.status == Status.ALTERED
    checks = report.signatures
    if checks:  # the file still parses: the signature is valid but no longer intact
        assert not checks[0].intact
        assert checks[0].valid
        assert "изменена" in checks[0].label


def test_data_appended_after_the_last_signature_is_altered(twice_signed, roots):
    _once, twice = twice_signed
    report = verify_pdf(twice + b"\n% appended after signing\n", roots)
    assert report.status == Status.ALTERED
    assert not report.covers_whole_file


def test_an_incremental_update_changing_the_page_after_signing_is_altered(twice_signed, roots):
    _once, twice = twice_signed
    writer = IncrementalPdfFileWriter(io.BytesIO(twice))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (forged) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    forged = out.getvalue()
    assert forged.startswith(twice)
    report = verify_pdf(forged, roots)
    assert report.status == Status.ALTERED
    # the signatures themselves still hash correctly: the verdict comes from the appended update
    assert all(c.intact and c.valid for c in report.signatures)


def test_a_certificate_from_an_outside_ca_is_untrusted(sample_pdf, outside_ca, roots):
    issued = ca.issue_pkcs12(common_name="Чужой Подписант", title="Эксперт",
                             passphrase=PASSPHRASE, ca=outside_ca)
    data = Pkcs12Signer(issued.pkcs12, PASSPHRASE).sign(
        sample_pdf, field_name="Signature1", signatory=SignatoryInfo("Чужой Подписант", "Эксперт")
    )
    report = verify_pdf(data, roots)
    assert report.status == Status.UNTRUSTED
    (check,) = report.signatures
    assert check.intact and check.valid and not check.trusted
    assert check.label == "подписано Чужой Подписант, Эксперт — недоверенная"
    # against the outside root alone the same file is trusted: trust is the roots' choice
    assert verify_pdf(data, load_trust_roots([outside_ca.root_path])).status == (
        Status.VALID_TRUSTED)


def test_one_untrusted_signature_makes_the_document_untrusted(twice_signed, outside_ca, roots):
    _once, twice = twice_signed
    issued = ca.issue_pkcs12(common_name="Чужой", passphrase=PASSPHRASE, ca=outside_ca)
    data = Pkcs12Signer(issued.pkcs12, PASSPHRASE).sign(
        twice, field_name="Signature3", signatory=SignatoryInfo("Чужой"))
    report = verify_pdf(data, roots)
    assert [c.status for c in report.signatures] == [
        Status.VALID_TRUSTED, Status.VALID_TRUSTED, Status.UNTRUSTED]
    assert report.status == Status.UNTRUSTED


def test_unsigned_and_unreadable_files(sample_pdf, roots):
    assert verify_pdf(sample_pdf, roots).status == Status.UNSIGNED
    broken = verify_pdf(b"not a pdf at all", roots)
    assert broken.status == Status.ALTERED and broken.problems


def test_no_trust_roots_means_untrusted_never_trusted(twice_signed):
    _once, twice = twice_signed
    assert verify_pdf(twice, []).status == Status.UNTRUSTED


def test_a_field_name_is_never_reused(twice_signed, signers):
    _once, twice = twice_signed
    with pytest.raises(ValueError):
        signers[0].sign(twice, field_name="Signature1", signatory=IVANOV)


def test_wrong_passphrase_and_garbage_are_refused_with_clear_messages(demo_ca_dir):
    issued = ca.issue_pkcs12(common_name="Тест", passphrase=PASSPHRASE,
                             ca=ca.demo_ca(demo_ca_dir))
    with pytest.raises(CredentialRefused, match="Неверный пароль к ключу подписи"):
        Pkcs12Signer(issued.pkcs12, "wrong")
    with pytest.raises(CredentialRefused, match="не является контейнером PKCS#12"):
        Pkcs12Signer(b"\x00garbage", PASSPHRASE)


@pytest.mark.parametrize("language, expected", [
    ("en", "signed by Иванов Иван Иванович, Главный эксперт Агентства — valid and trusted"),
    ("kk", "қол қойған Иванов Иван Иванович, Главный эксперт Агентства — жарамды әрі сенімді"),
])
def test_status_lines_are_translated(twice_signed, roots, language, expected):
    _once, twice = twice_signed
    report = verify_pdf(twice, roots)
    with translation.override(language):
        assert report.signatures[0].label == expected


def test_signing_and_verifying_work_inside_a_running_event_loop(sample_pdf, signers, roots):
    """pyHanko's sync API calls asyncio.run; under a running loop (an ASGI worker, Playwright's
    sync API in the browser tests) the service still works."""
    import asyncio

    async def inside_a_loop():
        data = signers[0].sign(sample_pdf, field_name="Signature1", signatory=IVANOV)
        return verify_pdf(data, roots).status

    from concurrent.futures import ThreadPoolExecutor

    # a thread of its own, since this one may already run a loop (the browser tests')
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == Status.VALID_TRUSTED
