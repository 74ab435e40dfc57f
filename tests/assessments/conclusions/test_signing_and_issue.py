"""Signature in the seed's order, issue with the objection window, and the window's outcomes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from assessments.conclusions import services as svc
from assessments.kernel.errors import DomainError
from reporting.models import SignedDocument
from reporting.signing.errors import SigningError
from reporting.signing.services import signed_document_verify
from tests.worlds.conclusion_steps import approved, draft, fresh, issued, logs, signed
from tests.worlds.conclusions import PASSPHRASE


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_sign_in_the_seeds_order_then_signed(signing_world, django_capture_on_commit_callbacks):
    w = signing_world
    c = approved(w, draft(w, w.akimat, "services"))  # annex 4: deputy chair, then unit head
    with pytest.raises(PermissionDenied):
        svc.conclusion_sign(conclusion=c, user=w.assessor, passphrase=PASSPHRASE)
    with pytest.raises(SigningError, match="Сейчас документ подписывает"):
        svc.conclusion_sign(conclusion=c, user=w.unit_head, passphrase=PASSPHRASE)
    assert fresh(c).signed_document is None  # the refused attempt left nothing behind
    with pytest.raises(SigningError):
        svc.conclusion_sign(conclusion=c, user=w.deputy, passphrase="wrong")
    c = svc.conclusion_sign(conclusion=c, user=w.deputy, passphrase=PASSPHRASE)
    c = fresh(c)
    assert c.state == "approved"
    document = c.signed_document
    assert document.state == SignedDocument.State.PARTIALLY_SIGNED
    assert document.rendered_document == c.rendered_document
    assert not document.rendered_document.draft
    assert document.source_sha256 == c.rendered_document.sha256  # the approved PDF, frozen
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.conclusion_sign(conclusion=c, user=w.unit_head, passphrase=PASSPHRASE)
    c = fresh(c)
    assert c.state == "signed"
    log = logs(c)[-1]
    assert (log.transition, log.source_state, log.state, log.by) == (
        "complete_signing", "approved", "signed", w.unit_head)
    assert recipients() == sorted([w.assessor.email, w.unit_head.email])  # ready to issue
    report = signed_document_verify(c.signed_document)
    assert report.status.value == "valid_trusted" and len(report.signatures) == 2
    assert [s.signer for s in c.signed_document.signatures.order_by("order")] == [
        w.deputy, w.unit_head]
    with pytest.raises(DomainError):
        svc.conclusion_sign(conclusion=c, user=w.unit_head, passphrase=PASSPHRASE)


def test_sign_refused_before_approval(signing_world):
    w = signing_world
    c = draft(w, w.ministry, "openness")
    with pytest.raises(DomainError, match="Проект"):
        svc.conclusion_sign(conclusion=c, user=w.miod_head, passphrase=PASSPHRASE)


def test_annex_3_waits_for_its_annex_5(signing_world):
    w = signing_world
    c3 = approved(w, draft(w, w.ministry, "services"))
    with pytest.raises(DomainError, match="приложение 5") as exc:
        svc.conclusion_sign(conclusion=c3, user=w.deputy, passphrase=PASSPHRASE)
    assert exc.value.code == "annex5_first"
    assert "sign" not in svc.conclusion_actions(w.deputy, fresh(c3))
    c5 = approved(w, draft(w, w.ministry, "automation"))
    svc.conclusion_sign(conclusion=c5, user=w.digital_head, passphrase=PASSPHRASE)
    with pytest.raises(DomainError, match="приложение 5"):  # half-signed is not signed
        svc.conclusion_sign(conclusion=c3, user=w.deputy, passphrase=PASSPHRASE)
    svc.conclusion_sign(conclusion=c5, user=w.digital_unit_head, passphrase=PASSPHRASE)
    assert "sign" in svc.conclusion_actions(w.deputy, fresh(c3))
    c3 = svc.conclusion_sign(conclusion=c3, user=w.deputy, passphrase=PASSPHRASE)
    c3 = svc.conclusion_sign(conclusion=c3, user=w.unit_head, passphrase=PASSPHRASE)
    assert fresh(c3).state == "signed"


def test_the_signing_services_own_page_moves_the_conclusion_too(signing_world):
    """Signing a conclusion's document through the signing service directly (its generic page)
    runs the conclusion's hook: the transition after the last signature."""
    from reporting.signing.services import signed_document_sign

    w = signing_world
    c = approved(w, draft(w, w.akimat, "services"))
    c = svc.conclusion_sign(conclusion=c, user=w.deputy, passphrase=PASSPHRASE)
    signed_document_sign(signed_document=fresh(c).signed_document, user=w.unit_head,
                         passphrase=PASSPHRASE)
    assert fresh(c).state == "signed"
    assert logs(c)[-1].transition == "complete_signing"


def test_annex_3_rule_holds_on_the_signing_services_page(signing_world):
    from reporting.signing.services import signed_document_sign

    w = signing_world
    c5 = approved(w, draft(w, w.ministry, "automation"))
    for user in (w.digital_head, w.digital_unit_head):
        c5 = svc.conclusion_sign(conclusion=c5, user=user, passphrase=PASSPHRASE)
    c3 = approved(w, draft(w, w.ministry, "services"))
    c3 = svc.conclusion_sign(conclusion=c3, user=w.deputy, passphrase=PASSPHRASE)
    # Annex 5 goes back (a test-only shortcut: the row is made unsigned behind the services).
    from assessments.models import Conclusion

    Conclusion.objects.filter(pk=c5.pk).update(values={**c5.values, "K3": "1.00"})
    with pytest.raises(SigningError, match="не совпадает"):
        signed_document_sign(signed_document=fresh(c3).signed_document, user=w.unit_head,
                             passphrase=PASSPHRASE)
    assert fresh(c3).signed_document.signatures.count() == 1  # the signature was undone
    assert fresh(c3).state == "approved"


def test_a_changed_byte_shows_as_altered(signing_world):
    w = signing_world
    c = signed(w, draft(w, w.ministry, "complaints"))  # annex 12: the Committee's head alone
    document = fresh(c).signed_document
    assert signed_document_verify(document).status.value == "valid_trusted"
    path = document.current_file.path
    data = bytearray(open(path, "rb").read())
    index = data.index(b"/Type /Page")
    data[index + 1] = ord("t")
    with open(path, "wb") as handle:
        handle.write(bytes(data))
    assert signed_document_verify(document).status.value == "altered"
    with pytest.raises(DomainError, match="не прошёл проверку"):
        svc.conclusion_issue(conclusion=c, actor=w.committee_assessor)


def test_issue_records_receipt_and_the_window(signing_world, clock,
                                              django_capture_on_commit_callbacks):
    w = signing_world  # the clock: Thursday 19 March 2026, 10:00 (Asia/Almaty)
    c = signed(w, draft(w, w.ministry, "openness"))
    with pytest.raises(PermissionDenied):
        svc.conclusion_issue(conclusion=c, actor=w.submitter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.conclusion_issue(conclusion=c, actor=w.miod_assessor)
    c = fresh(c)
    assert c.state == "issued" and c.issued_by == w.miod_assessor
    assert c.received_at == clock.now()
    assert c.received_at.astimezone(clock.ZONE).isoformat() == "2026-03-19T10:00:00+05:00"
    # Nauryz (21–23 March, observed to 24–25) falls in the window: 5th working day is 31 March.
    assert c.objection_deadline == date(2026, 3, 31) == svc.objection_window_closes_on(c)
    log = logs(c)[-1]
    assert (log.transition, log.state, log.by) == ("issue", "issued", w.miod_assessor)
    assert recipients() == sorted([w.submitter.email, w.head.email])
    assert "31" in mail.outbox[0].body or "31" in mail.outbox[0].subject
    from assessments.models import Notification

    notes = Notification.objects.filter(link=f"/conclusions/{c.pk}/",
                                        text__startswith="Вам направлено заключение")
    assert sorted(n.user.username for n in notes) == ["head", "submitter"]
    with pytest.raises(DomainError):
        svc.conclusion_issue(conclusion=c, actor=w.miod_assessor)


def test_automation_is_final_on_issue_and_goes_to_the_agency(signing_world,
                                                               django_capture_on_commit_callbacks):
    w = signing_world
    c = signed(w, draft(w, w.ministry, "automation"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.conclusion_issue(conclusion=c, actor=w.digital_assessor)
    c = fresh(c)
    assert c.state == "final" and c.objection_deadline is None and c.received_at is not None
    assert [log.transition for log in logs(c)][-2:] == ["issue", "finalise"]
    assert recipients() == sorted([w.assessor.email, w.unit_head.email])


def test_signed_conclusion_cannot_be_edited(signing_world):
    w = signing_world
    c = signed(w, draft(w, w.ministry, "complaints"))
    with pytest.raises(DomainError, match="изменить"):
        svc.conclusion_update(conclusion=c, actor=w.committee_assessor, analysis={"R1": "x"},
                              recommendations="x", revision=c.revision)
    assert svc.conclusion_actions(w.committee_assessor, fresh(c)) == {"issue"}
    assert svc.conclusion_actions(w.committee_unit_head, fresh(c)) == {"issue"}


def test_no_objection_notice_and_window_closing(signing_world, clock):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "openness"))
    with pytest.raises(DomainError, match="ещё не истёк"):
        svc.conclusion_finalise(conclusion=c, actor=None, reason="clock")
    with pytest.raises(PermissionDenied):  # the evaluator cannot close an open window
        svc.conclusion_finalise(conclusion=c, actor=w.miod_assessor, reason="")
    c = svc.conclusion_finalise(conclusion=c, actor=w.head, reason="Возражений нет (п.112)")
    assert fresh(c).state == "final"
    assert logs(c)[-1].description == "Возражений нет (п.112)"

    other = issued(w, draft(w, w.ministry, "complaints"))
    assert svc.conclusion_windows_close() == []  # 31 March still open
    clock.set_now("2026-03-31T23:59:00")
    assert svc.conclusion_windows_close() == []
    clock.set_now("2026-04-01T00:01:00")
    (done,) = svc.conclusion_windows_close()
    assert done.pk == other.pk and fresh(other).state == "final"
    assert logs(other)[-1].by is None
    assert svc.conclusion_windows_close() == []  # idempotent


def test_open_appeal_in_time_only(signing_world, clock):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "openness"))
    late = issued(w, draft(w, w.ministry, "complaints"))
    with pytest.raises(PermissionDenied):
        svc.conclusion_open_appeal(conclusion=c, actor=w.outsider)
    c = svc.conclusion_open_appeal(conclusion=c, actor=w.head)
    assert fresh(c).state == "under_appeal"
    clock.set_now("2026-04-01T09:00:00")
    with pytest.raises(DomainError, match="истёк") as exc:
        svc.conclusion_open_appeal(conclusion=late, actor=w.head)
    assert exc.value.code == "window_closed" and "2026" in exc.value.message


def test_correction_supersedes_and_is_final_on_issue(signing_world):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "openness"))
    c = svc.conclusion_open_appeal(conclusion=c, actor=w.head)
    with pytest.raises(PermissionDenied):
        svc.conclusion_draft_correction(conclusion=c, actor=w.submitter, reason="x")
    with pytest.raises(PermissionDenied):  # another evaluating body's commission
        svc.conclusion_draft_correction(conclusion=c, actor=w.chair, reason="x")
    v2 = svc.conclusion_draft_correction(conclusion=c, actor=w.miod_assessor,
                                         reason="Комиссия приняла возражения")
    assert (v2.version, v2.state, v2.supersedes, v2.annex) == (2, "draft", fresh(c), 8)
    assert v2.analysis == fresh(c).analysis
    assert svc.conclusion_draft_correction(conclusion=c, actor=w.miod_assessor,
                                           reason="x") == v2
    with pytest.raises(DomainError):
        svc.conclusion_supersede(conclusion=c, actor=w.miod_assessor, by=v2)  # not issued yet
    v2 = issued(w, v2)
    v2 = fresh(v2)
    assert v2.state == "final" and v2.objection_deadline is None
    assert fresh(c).state == "superseded"
    assert svc.conclusion_supersede(conclusion=c, actor=w.miod_assessor,
                                    by=v2).state == "superseded"
    assert [log.transition for log in logs(c)][-1] == "supersede"


def test_under_appeal_confirmed(signing_world):
    w = signing_world
    c = svc.conclusion_open_appeal(conclusion=issued(w, draft(w, w.akimat, "services")),
                                   actor=w.local_head)
    with pytest.raises(PermissionDenied):
        svc.conclusion_finalise(conclusion=c, actor=w.local_head, reason="x")
    c = svc.conclusion_finalise(conclusion=c, actor=w.chair, reason="Возражения отклонены")
    assert fresh(c).state == "final"


def test_block_conclusion_after_three_final_directions(signing_world):
    """Annex 15 (p.121–122): drafted by the Agency once services, openness and complaints are
    final; its numbers are the final conclusions' and the engine's overall; final on issue."""
    from assessments.models import ScoreSheet

    w = signing_world
    for direction in ("services", "openness", "complaints"):
        c = issued(w, draft(w, w.akimat, direction))
        svc.conclusion_finalise(conclusion=c, actor=w.local_head, reason="Возражений нет")
    with pytest.raises(PermissionDenied):
        svc.conclusion_draft(cycle=w.cycle, body=w.akimat, direction="block",
                             actor=w.miod_assessor)
    block = svc.conclusion_draft(cycle=w.cycle, body=w.akimat, direction="block",
                                 actor=w.assessor)
    overall = ScoreSheet.objects.get(body=w.akimat, direction="overall", is_current=True)
    assert (block.annex, block.evaluator, block.score_sheet) == (15, w.agency, None)
    assert block.values["overall"] == overall.values["overall"]
    assert block.values["band"] == overall.values["band"]
    assert set(block.analysis) == {"services", "openness", "complaints"}
    block = issued(w, block)
    block = fresh(block)
    assert block.state == "final" and block.objection_deadline is None
    assert [s.signer for s in block.signed_document.signatures.order_by("order")] == [
        w.deputy, w.unit_head]
