"""The reconciliation act (annex 1) from selection to both signatures, the deduction in the body's
stored score, the act's PDF and the verification of its signatures; versions after signing."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog
from pyhanko.pdf_utils.reader import PdfFileReader

from assessments.kernel.errors import DomainError
from assessments.models import Notification, ReconciliationAct, Reverification, ScoringInput
from assessments.reverification.services import (
    act_signing_status,
    document_request_create,
    findings_complete,
    findings_for,
    reconciliation_act_issue,
    reconciliation_act_sign,
    reverification_close,
    reverification_reopen,
    reverification_select,
    risk_ranking,
    system_check_record,
)
from assessments.scores.services.scoring_inputs import (
    scoring_input_current,
    scoring_input_load_case,
)
from assessments.scores.services.sheets import score_body
from reporting.models import SignedDocument
from reporting.signing.base import SignatoryInfo
from reporting.signing.errors import SigningRefused
from reporting.signing.pkcs12 import Pkcs12Signer
from reporting.signing.services import signed_document_download, signed_document_verify
from reporting.signing.verify import Status, verify_pdf
from tests.worlds.pdfcheck import pdf_text
from tests.worlds.reverification import PASSPHRASE, confirming_upload_checked, record, upload

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[1] / "scoring" / "example_case.json"


def _fresh(rv) -> Reverification:
    return Reverification.objects.get(pk=rv.pk)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def scored(personas, cycle2025):
    """The ministry's whole case loaded (the worked example of SCORING_IO.md) and scored."""
    case = json.loads(EXAMPLE.read_text())
    case["penalties"]["services"] = {"unreliable_facts": 0, "incomplete_facts": 0}
    scoring_input_load_case(cycle=cycle2025, body=personas.registry.ministry, case=case,
                            actor=None, reason="test")
    sheets = score_body(cycle=cycle2025, body=personas.registry.ministry)
    assert sheets["services"].values["penalty"] == "0.00"
    return sheets


def _issued(personas, rv, *, unreliable=2, incomplete=3):
    record(rv, personas.assessor, "unreliable", unreliable, section="Таблица T1")
    record(rv, personas.assessor, "incomplete", incomplete, section="Раздел P2")
    findings_complete(actor=personas.assessor, reverification=rv)
    return reconciliation_act_issue(actor=personas.assessor, reverification=rv)


def test_a_selected_body_walks_to_an_act_signed_by_both_and_the_capped_deduction_is_scored(
    personas, cycle2025, credentials, scored, clean_pdf, when, django_capture_on_commit_callbacks
):
    p, r = personas, personas.registry
    # 1. selection by risk (p.13)
    ranking = risk_ranking(cycle=cycle2025, evaluator=r.agency, direction="services")
    assert r.ministry.pk in [row.body.pk for row in ranking]
    rv = reverification_select(actor=p.assessor, cycle=cycle2025, body=r.ministry,
                               direction="services", evaluator=r.agency)
    # 2. documents requested and received (p.14, p.16)
    request = document_request_create(
        actor=p.assessor, reverification=rv, document_kind="inspection_results",
        title="Акты проверок территориальных подразделений", classification="open",
        report_section="Таблица T1",
    )
    confirming_upload_checked(actor=p.submitter, request=request, upload=upload(clean_pdf),
                              original_name="akty.pdf", classification="open")
    assert _fresh(rv).state == "documents_received"
    system_check_record(actor=p.assessor, reverification=rv, system="ИС «Мониторинг»",
                        subject="Сроки", result="discrepancy")
    # 3. findings: 2 untrue facts (0.4) + 3 missing parts (6) = 6.4, capped at 5 (p.20)
    act = _issued(p, rv)
    rv = _fresh(rv)
    assert rv.state == "act_issued"
    assert (act.version, act.unreliable_facts, act.incomplete_facts) == (1, 2, 3)
    assert (act.points_sum, act.deduction) == (Decimal("6.40"), Decimal("5.00"))
    assert [f["number"] for f in act.facts] == [1, 2, 3, 4, 5]
    # 4. the act's PDF: every fact, the total, the deduction
    text = pdf_text(_read(act.signed_document.source_file))
    for fact in act.facts:
        assert fact["description"][:40] in text.replace("\n", " ")
    assert "ВСЕГО: 6,40" in text and "ИТОГОВЫЙ ВЫЧЕТ: 5,00 балла" in text
    flat = " ".join(text.split())
    assert flat.count("— 0,2 балла") == 2 and flat.count("— 2 балла") == 3
    assert r.ministry.name_ru in text.replace("\n", " ")
    # 5. the body may not sign first; the evaluating body's representative signs first
    with pytest.raises(SigningRefused):
        reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    when.advance(hours=2)
    first = reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    assert (first.order, first.signer, first.position) == (1, p.assessor, "Главный эксперт")
    assert _fresh(rv).state == "act_issued"
    assert Notification.objects.filter(user=p.head).exists()
    assert scoring_input_current(cycle=cycle2025, body=r.ministry).case["penalties"][
        "services"] == {"unreliable_facts": 0, "incomplete_facts": 0}
    # 6. the body's head signs, with remarks
    when.advance(days=1)
    with django_capture_on_commit_callbacks() as queued:
        second = reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE,
                                         remarks="Не согласны с фактом № 1: см. письмо")
    assert second.order == 2 and second.signer == p.head
    assert second.signed_at == when.now()
    rv, act = _fresh(rv), ReconciliationAct.objects.get(pk=act.pk)
    assert rv.state == "act_signed" and act.signed_at == when.now()
    assert act.body_remarks == "Не согласны с фактом № 1: см. письмо"
    assert (rv.unreliable_facts, rv.incomplete_facts, rv.deduction) == (2, 3, Decimal("5.00"))
    log = StateLog.objects.for_(rv).get(transition="record_act_signed")
    assert log.by == p.head
    # 7. the deduction entered the body's scoring input and its stored score (p.20)
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 2, "incomplete_facts": 3}
    assert si.sources["penalties.services.unreliable_facts"]["kind"] == "finding"
    assert si.sources["penalties.services.incomplete_facts"]["ref"] == str(act.pk)
    assert queued  # the body's recompute is queued after commit (and e-mails)
    sheets = score_body(cycle=cycle2025, body=r.ministry)  # what the queued task runs
    services = sheets["services"]
    assert services.values["penalty"] == "5.00"
    assert services.final == Decimal(services.values["total"]) - Decimal("5.00")
    assert services.final == Decimal("79.72")  # 84.72 − 5 (the worked example's total)
    # 8. both signatures verify as intact and trusted
    document = SignedDocument.objects.get(pk=act.signed_document_id)
    assert document.state == SignedDocument.State.SIGNED
    report = signed_document_verify(document)
    assert report.status == Status.VALID_TRUSTED
    assert [(c.intact, c.valid, c.trusted) for c in report.signatures] == [(True, True, True)] * 2
    status = act_signing_status(act, p.head)
    assert [s.signature.signer for s in status.slots] == [p.assessor, p.head]
    assert [s.signature.position for s in status.slots] == ["Главный эксперт"] * 2
    # the remarks are in the body's PAdES signature (its /Reason), which it covers
    current = signed_document_download(signed_document=document).data
    reasons = [str(sig.sig_object.get("/Reason", "")) for sig in
               PdfFileReader(io.BytesIO(current)).embedded_signatures]
    assert reasons == ["Акт сверки подписан",
                       "Подписано с замечаниями: Не согласны с фактом № 1: см. письмо"]
    # 9. a copy with one byte changed is altered
    changed = bytearray(current)
    changed[len(changed) // 3] ^= 0x01
    assert verify_pdf(bytes(changed)).status == Status.ALTERED
    # 10. the facts for the conclusion's "Выводы и рекомендации" (p.21)
    findings = findings_for(cycle=cycle2025, body=r.ministry, direction="services")
    assert [f.kind for f in findings] == ["unreliable"] * 2 + ["incomplete"] * 3
    # 11. the re-verification is closed
    closed = reverification_close(actor=p.assessor, reverification=rv)
    assert closed.state == "closed"


def test_an_act_signed_by_an_outside_certificate_is_untrusted(personas, selected, credentials,
                                                               outside_ca):
    from reporting.signing import ca

    act = _issued(personas, selected, unreliable=1, incomplete=0)
    source = _read(act.signed_document.source_file)
    issued = ca.issue_pkcs12(common_name="Чужой Подписант", title="Эксперт",
                             passphrase=PASSPHRASE, ca=outside_ca)
    forged = Pkcs12Signer(issued.pkcs12, PASSPHRASE).sign(
        source, field_name="Signature1", signatory=SignatoryInfo("Чужой Подписант", "Эксперт"))
    report = verify_pdf(forged)
    assert report.status == Status.UNTRUSTED
    (check,) = report.signatures
    assert check.intact and check.valid and not check.trusted
    # and the service never accepts such a signature into the act
    reconciliation_act_sign(actor=personas.assessor, act=act, passphrase=PASSPHRASE)
    assert signed_document_verify(
        SignedDocument.objects.get(pk=act.signed_document_id)).status == Status.VALID_TRUSTED


def test_a_byte_changed_in_the_stored_act_shows_as_altered(personas, selected, credentials):
    act = _issued(personas, selected, unreliable=1, incomplete=0)
    reconciliation_act_sign(actor=personas.assessor, act=act, passphrase=PASSPHRASE)
    reconciliation_act_sign(actor=personas.head, act=act, passphrase=PASSPHRASE)
    document = SignedDocument.objects.get(pk=act.signed_document_id)
    path = document.current_file.path
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 1
    open(path, "wb").write(bytes(data))
    assert signed_document_verify(document).status == Status.ALTERED
    assert act_signing_status(act).report.status == Status.ALTERED


def test_who_signs_the_act(personas, selected, credentials):
    p = personas
    act = _issued(p, selected, unreliable=1, incomplete=0)
    for outsider in (p.submitter, p.other_submitter, p.assessor_other_direction, p.admin):
        with pytest.raises((SigningRefused, PermissionDenied)):
            reconciliation_act_sign(actor=outsider, act=act, passphrase=PASSPHRASE)
    with pytest.raises(DomainError):  # remarks are the body's
        reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE,
                                remarks="замечание")
    reconciliation_act_sign(actor=p.unit_head, act=act, passphrase=PASSPHRASE)
    with pytest.raises((SigningRefused, PermissionDenied)):  # the submitter is not the head
        reconciliation_act_sign(actor=p.submitter, act=act, passphrase=PASSPHRASE)
    reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    assert _fresh(selected).state == "act_signed"


def test_a_signed_act_is_frozen_and_a_change_makes_a_new_version(
    personas, selected, credentials, scored, cycle2025
):
    p, r = personas, personas.registry
    act = _issued(p, selected, unreliable=1, incomplete=0)
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    v1_bytes = _read(SignedDocument.objects.get(pk=act.signed_document_id).current_file)
    with pytest.raises(DomainError):  # the findings are locked once the act is issued
        record(selected, p.assessor)
    with pytest.raises(DomainError):
        reverification_reopen(actor=p.assessor, reverification=selected, reason=" ")
    rv = reverification_reopen(actor=p.assessor, reverification=selected,
                               reason="Орган представил новые документы")
    assert rv.state == "findings_recorded"
    old = ReconciliationAct.objects.get(pk=act.pk)
    assert old.superseded_at is not None and old.superseded_reason
    # the signed version is untouched and still verifies
    document = SignedDocument.objects.get(pk=act.signed_document_id)
    assert _read(document.current_file) == v1_bytes
    assert signed_document_verify(document).status == Status.VALID_TRUSTED
    # until the new act is signed, the score keeps the signed act's facts
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 1, "incomplete_facts": 0}
    record(rv, p.assessor, "incomplete", 1)
    new = reconciliation_act_issue(actor=p.assessor, reverification=rv)
    assert new.version == 2 and new.deduction == Decimal("2.20")
    assert new.signed_document_id != act.signed_document_id
    with pytest.raises(DomainError):
        reconciliation_act_sign(actor=p.assessor, act=old, passphrase=PASSPHRASE)
    reconciliation_act_sign(actor=p.assessor, act=new, passphrase=PASSPHRASE)
    reconciliation_act_sign(actor=p.head, act=new, passphrase=PASSPHRASE)
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 1, "incomplete_facts": 1}
    assert len(findings_for(cycle=cycle2025, body=r.ministry, direction="services")) == 2
    assert ScoringInput.objects.filter(cycle=cycle2025, body=r.ministry).count() == 3


def test_findings_for_is_empty_until_an_act_is_signed(personas, selected, cycle2025):
    record(selected, personas.assessor)
    assert findings_for(cycle=cycle2025, body=personas.registry.ministry,
                        direction="services") == []
    assert findings_for(cycle=cycle2025, body=personas.registry.akimat,
                        direction="services") == []


def test_the_act_needs_recorded_findings_and_the_evaluators_hand(personas, selected):
    with pytest.raises(DomainError):
        reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    findings_complete(actor=personas.assessor, reverification=selected)
    for actor in (personas.head, personas.assessor_other_direction, personas.coordinator):
        with pytest.raises(PermissionDenied):
            reconciliation_act_issue(actor=actor, reverification=selected)
    act = reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    assert act.facts == [] and act.deduction == Decimal("0.00")
    assert "Фактов представления недостоверной или неполной информации не выявлено" in (
        pdf_text(_read(act.signed_document.source_file)).replace("\n", " "))


def test_the_act_follows_however_it_is_signed(personas, selected, credentials, cycle2025):
    """Signed on the signing service's own page, the act still moves the re-verification (the
    signing service's hook); a superseded act cannot be completed there either."""
    from reporting.models import Signature
    from reporting.signing.services import signed_document_sign

    act = _issued(personas, selected, unreliable=1, incomplete=0)
    signed_document_sign(signed_document=act.signed_document, user=personas.assessor,
                         passphrase=PASSPHRASE)
    reverification_reopen(actor=personas.assessor, reverification=selected, reason="Ошибка")
    with pytest.raises(SigningRefused):
        signed_document_sign(signed_document=act.signed_document, user=personas.head,
                             passphrase=PASSPHRASE)
    assert Signature.objects.filter(signed_document=act.signed_document).count() == 1
    new = reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    signed_document_sign(signed_document=new.signed_document, user=personas.unit_head,
                         passphrase=PASSPHRASE)
    signed_document_sign(signed_document=new.signed_document, user=personas.head,
                         passphrase=PASSPHRASE)
    rv = _fresh(selected)
    assert rv.state == "act_signed" and rv.deduction == Decimal("0.20")
    assert StateLog.objects.for_(rv).get(transition="record_act_signed").by == personas.head


def test_the_act_names_where_the_body_published_what_it_counts(personas, selected):
    """p.17: information the body published counts as well as what it sent."""
    from assessments.reverification.services import finding_record

    finding_record(actor=personas.assessor, reverification=selected, kind="unreliable",
                   description="На сайте неверный график приёма граждан",
                   report_section="Таблица 7", origin="published",
                   source_url="https://www.gov.kz/minfin")
    findings_complete(actor=personas.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    flat = " ".join(pdf_text(_read(act.signed_document.source_file)).split())
    assert "размещено органом: https://www.gov.kz/minfin" in flat
    assert "ИТОГОВЫЙ ВЫЧЕТ: 0,20 балла" in flat


def test_each_signature_block_of_the_act_prints_the_signers_position_and_name(
    personas, cycle2025, scored
):
    """Annex 1: the evaluating body's block names the one who issued the act, the body's block
    its head — each with position and name, in the seed's order."""
    p, r = personas, personas.registry
    rv = reverification_select(actor=p.assessor, cycle=cycle2025, body=r.ministry,
                               direction="services", evaluator=r.agency)
    act = _issued(p, rv, unreliable=1, incomplete=0)
    flat = " ".join(pdf_text(_read(act.signed_document.source_file)).split())
    assert p.assessor.position and p.head.position
    evaluator = flat.index("Представитель уполномоченного органа")
    body = flat.index("Представитель оцениваемого государственного органа")
    assert evaluator < flat.index(p.assessor.position) < flat.index(str(p.assessor)) < body
    assert body < flat.index(p.head.position, body) < flat.index(str(p.head), body)
