"""The reconciliation act cannot be escaped (p.19–20): the body's term from the cycle's schedule
(working days), its remarks without signing, the reminders, the closure past the term as "not
signed by the body" with the deduction applied, and no conclusion drafted until the act is
closed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm_log.models import StateLog

from assessments.conclusions.services import conclusion_draft
from assessments.kernel.clock import today as clock_today
from assessments.kernel.errors import DomainError
from assessments.kernel.todos import todos_for
from assessments.models import (
    AuditEntry,
    Conclusion,
    Notification,
    ReconciliationAct,
    Reverification,
)
from assessments.reverification.services import (
    act_blocker,
    act_terms_job,
    findings_complete,
    findings_for,
    reconciliation_act_close_unsigned,
    reconciliation_act_issue,
    reconciliation_act_remarks,
    reconciliation_act_sign,
    reverification_close,
    reverification_reopen,
)
from assessments.scores.services.scoring_inputs import (
    scoring_input_current,
    scoring_input_load_case,
)
from assessments.scores.services.sheets import score_body
from reporting.models import SignedDocument
from reporting.signing.errors import SigningRefused
from reporting.signing.services import signed_document_verify
from reporting.signing.verify import Status
from tests.worlds.conclusions import reports_accepted
from tests.worlds.pdfcheck import pdf_text
from tests.worlds.reverification import PASSPHRASE, record

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[1] / "scoring" / "example_case.json"


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def scored(personas, cycle2025):
    case = json.loads(EXAMPLE.read_text())
    case["penalties"]["services"] = {"unreliable_facts": 0, "incomplete_facts": 0}
    scoring_input_load_case(cycle=cycle2025, body=personas.registry.ministry, case=case,
                            actor=None, reason="test")
    # The services report the Agency re-verifies was accepted (conclusions wait for it too).
    reports_accepted(cycle2025, personas.registry.ministry, ["services"])
    return score_body(cycle=cycle2025, body=personas.registry.ministry)


@pytest.fixture
def issued(personas, selected, credentials, scored):
    """An act of 2 untrue facts and 1 missing part (0.4 + 2 = 2.40), issued on Mon 2 Feb 2026."""
    record(selected, personas.assessor, "unreliable", 2, section="Таблица T1")
    record(selected, personas.assessor, "incomplete", 1, section="Раздел P2")
    findings_complete(actor=personas.assessor, reverification=selected)
    return reconciliation_act_issue(actor=personas.assessor, reverification=selected)


def test_a_body_that_never_signs_is_closed_past_its_term_and_the_deduction_applies(
    personas, cycle2025, issued, when
):
    p, r = personas, personas.registry
    act, rv = issued, issued.reverification
    # 1. no conclusion on the direction while the act is open
    with pytest.raises(DomainError) as refused:
        conclusion_draft(cycle=cycle2025, body=r.ministry, direction="services", actor=p.assessor)
    assert refused.value.code == "act_open"
    assert "акт сверки ещё не закрыт" in refused.value.message
    assert not Conclusion.objects.filter(body=r.ministry, direction="services").exists()
    # other directions are not held up by it
    assert act_blocker(cycle=cycle2025, body=r.ministry, direction="openness") == ""
    # 2. the term starts when the act reaches the body (the evaluator's signature): 5 working
    # days (the cycle's schedule) — Mon 2 Feb → Mon 9 Feb 2026
    assert cycle2025.act_signing_working_days == 5
    with pytest.raises(DomainError):  # nothing to close before the evaluator signed
        reconciliation_act_close_unsigned(actor=p.assessor, act=act)
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    act = _fresh(act)
    assert act.body_sign_due_on == date(2026, 2, 9)
    assert Notification.objects.filter(user=p.head, text__contains="до 09.02.2026").exists()
    # 3. the body disagrees: remarks without signing (its head only)
    with pytest.raises(PermissionDenied):
        reconciliation_act_remarks(actor=p.submitter, act=act, remarks="нет")
    reconciliation_act_remarks(actor=p.head, act=act,
                               remarks="Не согласны с фактами № 1 и 2: см. письмо № 12")
    act = _fresh(act)
    assert act.body_remarks.startswith("Не согласны") and act.body_remarks_by == p.head
    assert act.body_remarks_at == when.now() and act.closure == "pending"
    assert AuditEntry.objects.filter(action="act_remarks", actor=p.head).exists()
    # 4. reminders: none four working days ahead, one the working day before (Fri 6 Feb), one
    # on the last day; each once however often beat runs
    assert act_terms_job(today=date(2026, 2, 3)) == 0
    assert act_terms_job(today=date(2026, 2, 6)) == 1
    assert act_terms_job(today=date(2026, 2, 7)) == 0  # Saturday: same reminder, keyed
    assert act_terms_job(today=date(2026, 2, 9)) == 1
    assert act_terms_job(today=date(2026, 2, 9)) == 0
    reminders = Notification.objects.filter(user=p.head, key__startswith=f"act-term:{act.pk}:")
    assert reminders.count() == 2
    assert "истекает 09.02.2026" in reminders.first().text
    # 5. not before the term has passed
    when.set_now("2026-02-09T18:00:00")
    with pytest.raises(DomainError) as early:
        reconciliation_act_close_unsigned(actor=p.assessor, act=act)
    assert "ещё не истёк" in early.value.message
    # 6. past the term: the assessors are told, then close it (the body's staff cannot)
    when.set_now("2026-02-10T09:30:00")
    assert act_terms_job() >= 1
    assert Notification.objects.filter(user=p.assessor,
                                       key=f"act-term-passed:{act.pk}:2026-02-09").exists()
    with pytest.raises(PermissionDenied):
        reconciliation_act_close_unsigned(actor=p.head, act=act)
    document_before = _read(SignedDocument.objects.get(pk=act.signed_document_id).current_file)
    reconciliation_act_close_unsigned(actor=p.assessor, act=act, reason="Орган не подписал")
    act, rv = _fresh(act), _fresh(rv)
    # a state of its own, never "signed", with who and when
    assert rv.state == Reverification.State.ACT_NOT_SIGNED
    assert act.closure == ReconciliationAct.Closure.NOT_SIGNED_BY_BODY
    assert act.signed_at is None
    assert (act.closed_unsigned_by, act.closed_unsigned_at) == (p.assessor, when.now())
    log = StateLog.objects.for_(rv).get(transition="close_act_unsigned")
    assert log.by == p.assessor and "09.02.2026" in log.description
    # 7. the deduction applies: the scoring input and the stored score
    si = scoring_input_current(cycle=cycle2025, body=r.ministry)
    assert si.case["penalties"]["services"] == {"unreliable_facts": 2, "incomplete_facts": 1}
    assert "не подписан органом" in si.sources["penalties.services.incomplete_facts"]["label"]
    assert (rv.unreliable_facts, rv.incomplete_facts, rv.deduction) == (2, 1, Decimal("2.40"))
    sheet = score_body(cycle=cycle2025, body=r.ministry)["services"]
    assert sheet.values["penalty"] == "2.40"
    assert sheet.final == Decimal("84.72") - Decimal("2.40")
    # 8. the body can no longer sign; the signed file never changed and still verifies
    with pytest.raises((DomainError, SigningRefused)):
        reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    document = SignedDocument.objects.get(pk=act.signed_document_id)
    assert _read(document.current_file) == document_before
    assert document.state == SignedDocument.State.PARTIALLY_SIGNED
    assert signed_document_verify(document).status == Status.VALID_TRUSTED
    # 9. annex 1 with the closure record says so plainly, with the body's remarks
    text = " ".join(pdf_text(_read(act.closure_document.file)).split())
    assert "НЕ ПОДПИСАН ОЦЕНИВАЕМЫМ ГОСУДАРСТВЕННЫМ ОРГАНОМ" in text
    assert "до 09.02.2026 включительно" in text
    assert "10.02.2026 09:30" in text and p.assessor.get_full_name() in text
    assert "Не согласны с фактами № 1 и 2" in text
    assert "ИТОГОВЫЙ ВЫЧЕТ: 2,40 балла" in text and "Вычет применяется: 2,40 балла" in text
    # 10. now the conclusion is drafted, its "Выводы и рекомендации" list the act's facts
    conclusion = conclusion_draft(cycle=cycle2025, body=r.ministry, direction="services",
                                  actor=p.assessor)
    assert conclusion.values["penalty"] == "2.40"
    assert len(findings_for(cycle=cycle2025, body=r.ministry, direction="services")) == 3
    assert "Раздел P2" in conclusion.recommendations
    # 11. the re-verification closes from there; a reopening supersedes the unsigned act
    assert reverification_close(actor=p.assessor, reverification=rv).state == "closed"
    reopened = reverification_reopen(actor=p.assessor, reverification=rv, reason="Новые данные")
    assert reopened.state == "findings_recorded"


def test_a_body_that_signs_within_its_term_is_never_closed_unsigned(personas, issued, when):
    p = personas
    act = issued
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    when.set_now("2026-02-05T10:00:00")
    reconciliation_act_sign(actor=p.head, act=act, passphrase=PASSPHRASE)
    act = _fresh(act)
    assert act.closure == "signed"
    when.set_now("2026-02-20T10:00:00")
    with pytest.raises(DomainError):
        reconciliation_act_close_unsigned(actor=p.assessor, act=act)
    with pytest.raises(DomainError):  # no remarks once signed
        reconciliation_act_remarks(actor=p.head, act=act, remarks="поздно")
    assert act_terms_job() == 0


def test_the_term_follows_the_cycles_schedule_and_the_kazakh_calendar(
    personas, cycle2025, issued, when
):
    """Signed by the evaluator on Thursday 19 March 2026: Nauryz (21–25 March) does not count;
    a schedule of 3 working days ends on Friday 27 March."""
    cycle2025.act_signing_working_days = 3
    cycle2025.save()
    when.set_now("2026-03-19T10:00:00")
    reconciliation_act_sign(actor=personas.assessor, act=issued, passphrase=PASSPHRASE)
    assert _fresh(issued).body_sign_due_on == date(2026, 3, 27)


def test_the_act_page_shows_the_term_and_offers_remarks_then_the_closure(
    client, personas, cycle2025, issued, when
):
    p = personas
    act = issued
    reconciliation_act_sign(actor=p.assessor, act=act, passphrase=PASSPHRASE)
    url = reverse("reverification:reverification_act", args=[act.pk])
    client.force_login(p.head)
    page = client.get(url).content.decode()
    assert 'data-due="2026-02-09"' in page and "до 09.02.2026 включительно" in page
    assert 'data-testid="remarks-form"' in page and 'data-testid="close-unsigned"' not in page
    response = client.post(url, {"action": "remarks", "remarks": ""})
    assert response.status_code == 200  # an empty remark is refused next to the field
    response = client.post(url, {"action": "remarks", "remarks": "Не согласны с фактом № 3"})
    assert response.status_code == 302
    assert _fresh(act).body_remarks == "Не согласны с фактом № 3"
    assert client.post(url, {"action": "close_unsigned"}).status_code == 403
    # the assessor: the term on the page and on the home to-dos; the closure once it passed
    client.force_login(p.assessor)
    page = client.get(url).content.decode()
    assert 'data-testid="close-blocker"' in page and "ещё не истёк" in page
    titles = {t.title: t for t in todos_for(p.assessor, cycle2025, clock_today())}
    waiting = titles["Акт сверки ожидает подписи органа (срок органа)"]
    assert waiting.due_on == date(2026, 2, 9)
    when.set_now("2026-02-10T09:00:00")
    titles = {t.title: t for t in todos_for(p.assessor, cycle2025, clock_today())}
    assert titles["Закрыть акт сверки без подписи органа: срок истёк"].due_on == date(2026, 2, 9)
    page = client.get(url).content.decode()
    assert 'data-testid="term-passed"' in page and 'data-testid="close-unsigned"' in page
    response = client.post(url, {"action": "close_unsigned", "reason": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-closure="not_signed_by_body"' in page
    assert "Не подписан органом: закрыт по истечении срока" in page
    assert 'data-testid="closed-unsigned"' in page and "10.02.2026" in page
    pdf = client.get(reverse("reverification:reverification_act_closure_pdf", args=[act.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "НЕ ПОДПИСАН" in pdf_text(b"".join(pdf.streaming_content)
                                     if hasattr(pdf, "streaming_content") else pdf.content)
