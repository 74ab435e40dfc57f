"""The objection window (p.109, p.111, p.112) on real calendar dates, filing within it with the
rows prefilled from the conclusion and the documents checked, the late refusal (its message
names the closing day, and it is recorded although the filing fails), and "no objections"."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from appeals import services as appeals
from appeals.models import Objection, ObjectionRefusal
from assessments.kernel import clock as app_clock
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Conclusion, Notification
from assessments.submission.services.evidence import DocumentRefused
from tests.worlds.appeal_steps import ROW_K1, ROW_LATE, file, fresh
from tests.worlds.conclusions import PASSPHRASE
from tests.worlds.samples import pdf_bytes

pytestmark = pytest.mark.django_db


def test_window_of_a_conclusion_received_on_thursday_before_nauryz(aw):
    # Received Thu 19 Mar 2026: Fri 20 (1); Sat–Sun; Nauryz 23–25 Mar; Thu 26 (2), Fri 27 (3),
    # Mon 30 (4), Tue 31 (5).
    c = aw.issued()
    assert app_clock.today() == date(2026, 3, 19)
    window = appeals.objection_window(c)
    assert window["last_day"] == c.objection_deadline == date(2026, 3, 31)
    assert window["closes_at"] == datetime(2026, 3, 31, 23, 59, 59, 999999,
                                           tzinfo=app_clock.ZONE)
    assert window["open"] and window["time_left"].working_days_left == 5
    assert appeals.objection_window(c, app_clock.end_of_day(date(2026, 3, 31)))["open"]
    app_clock.set_now("2026-04-01T00:00:00")
    assert not appeals.objection_window(c)["open"]


def test_window_of_a_conclusion_received_on_the_friday_before_nauryz(aw):
    app_clock.set_now("2026-03-20T16:30:00")
    c = aw.issued()
    # Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue 31 (4), Wed 1 Apr (5).
    assert appeals.objection_window(c)["last_day"] == date(2026, 4, 1)


def test_window_counts_a_transferred_working_sunday(aw):
    # holidays.KZ knows no transfer in 2026; its latest is the real decree for 2025: Fri 3 Jan
    # 2025 a day off, Sun 5 Jan a working day. Received Tue 31 Dec 2024: 1–2 Jan New Year,
    # 3 Jan off, Sun 5 (1), Mon 6 (2), Tue 7 Christmas, Wed 8 (3), Thu 9 (4), Fri 10 (5).
    app_clock.set_now("2024-12-31T11:00:00")
    c = aw.issued()
    assert appeals.objection_window(c)["last_day"] == date(2025, 1, 10)


def test_no_window_for_annex_5_and_corrections(aw):
    c5 = aw.issued(aw.ministry, "automation")
    assert c5.state == "final"
    assert appeals.objection_window(c5) == {"last_day": None, "closes_at": None,
                                            "open": False, "time_left": None}
    with pytest.raises(PermissionDenied):  # the Agency receives annex 5, not the ministry head
        appeals.objection_file(conclusion=c5, actor=aw.local_head, rows=[ROW_K1],
                               passphrase=PASSPHRASE)
    # Annex 5's objections are filed in the window of the body's annex 3 (p.109), not issued
    # here: refused.
    with pytest.raises(DomainError, match="приложение 3"):
        appeals.objection_file(conclusion=c5, actor=aw.head, rows=[ROW_K1],
                               passphrase=PASSPHRASE)


def test_filing_within_the_window(aw):
    c = aw.issued()
    with pytest.raises(PermissionDenied):  # a submitter is staff, but the head files
        appeals.objection_file(conclusion=c, actor=aw.akimat_staff[0], rows=[ROW_K1],
                               passphrase=PASSPHRASE)
    app_clock.set_now("2026-03-31T23:59:00")  # the last minute of the last day
    o = file(aw, c, documents=[{"row": 1, "upload": pdf_bytes("Приказ о продлении сроков"),
                                "original_name": "prikaz.pdf", "classification": "open"}])
    assert o.state == "filed" and o.filed_by == aw.local_head
    assert o.filed_on == date(2026, 3, 31) and o.decision_due == date(2026, 4, 15)
    assert fresh(c).state == "under_appeal"
    rows = list(o.rows.order_by("number"))
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].input_path == "services.late" and rows[0].proposed_value == 0
    assert rows[0].evaluator_conclusion.startswith("K2. Обеспечение качества")
    # printed with a decimal comma, as every number of the annexes ("46,88")
    assert c.values["K2"].replace(".", ",") + " балла" in rows[0].evaluator_conclusion
    assert c.values["K2"] not in rows[0].evaluator_conclusion
    assert "Есть нарушения сроков" in rows[0].evaluator_conclusion  # the analysis of K2
    assert rows[1].evaluator_conclusion.startswith("K1.")
    document = rows[0].documents.get()
    assert (document.file_type, document.classification) == ("pdf", "open")
    assert document.check_state == "quarantine"  # its check runs after the filing commits
    assert len(document.sha256) == 64
    assert Notification.objects.filter(user=aw.assessor, text__contains="Поступили возражения")
    with pytest.raises(DomainError, match="уже поданы"):
        file(aw, c)
    # The table as filed (annex 14, version 1): the rows, no decisions yet.
    from reporting.services import document_render
    from tests.worlds.pdfcheck import pdf_text

    filed = document_render(document_id=o.filed_document_id)
    assert (filed.kind, filed.version, filed.state) == ("annex14", 1, "rendered")
    text = " ".join(pdf_text(filed.file.open("rb").read()).split())
    assert "нерепрезентативной выборке" in text and "Возражение принято" not in text


def test_the_filed_table_is_signed_by_the_filing_head(aw):
    """Issue item 2: the table is "signed and filed by the body's head" — annex 14 version 1
    frozen and PAdES-signed by the head, intact and trusted."""
    from reporting.signing.errors import SigningError
    from reporting.signing.services import signed_document_verify

    c = aw.issued()
    with pytest.raises(SigningError):
        file(aw, c, passphrase="wrong")
    assert not Objection.objects.exists() and fresh(c).state == "issued"
    o = file(aw, c)
    document = o.filed_signed_document
    assert document is not None and document.kind == "annex14" and document.version == 1
    assert document.state == "signed"
    assert [s.signer for s in document.signatures.all()] == [aw.local_head]
    report = signed_document_verify(document)
    assert report.status.value == "valid_trusted" and len(report.signatures) == 1
    # its signature block: the head as the table's filer (position, name), never in the
    # acknowledgment's slot ("С итогами обжалования ознакомлен"), which is the decided table's
    from tests.worlds.pdfcheck import pdf_text

    text = " ".join(pdf_text(document.source_file.open("rb").read()).split())
    filer = text.index("Таблицу разногласий направил:")
    assert filer < text.index("Руководитель оцениваемого государственного органа", filer) < (
        text.index(str(aw.local_head), filer))
    assert "С итогами обжалования ознакомлен" not in text
    assert "Председатель комиссии" not in text
    # the filed (signed) table is not the completed one: the objection stays filed
    assert fresh(o).state == "filed" and o.table_document is None


def test_documents_follow_the_evidence_rules(aw, django_capture_on_commit_callbacks):
    from appeals.models import RowDocument
    from assessments.kernel import access
    from assessments.models import RefusedUpload

    c = aw.issued()
    # a declared "ДСП" is refused in the request, and nothing is filed
    with pytest.raises(DocumentRefused, match="п.16"):
        file(aw, c, documents=[{"row": 1, "upload": pdf_bytes("Справка"),
                                "original_name": "s.pdf", "classification": "dsp"}])
    assert not Objection.objects.exists() and fresh(c).state == "issued"
    assert AuditEntry.objects.filter(action="appeal_document:refused").count() == 1
    # a stamp in the text is found by the quarantine's check: the filing never waits for it
    # (the window is the law's), the document waits unseen by anyone but its uploader
    stamped = pdf_bytes("ДСП Для служебного пользования")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        o = file(aw, c, documents=[{"row": 1, "upload": stamped, "original_name": "dsp.pdf",
                                    "classification": "open"}])
    document = RowDocument.objects.get(row__objection=o)
    assert document.check_state == "quarantine" and o.state == "filed"
    assert not access.visible(aw.assessor, RowDocument).filter(pk=document.pk).exists()
    assert access.visible(aw.local_head, RowDocument).filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    assert not RowDocument.objects.filter(pk=document.pk).exists()
    refused = AuditEntry.objects.filter(action="appeal_document:refused")
    assert refused.count() == 2  # each refusal is logged
    listed = RefusedUpload.objects.get(code="stamp")
    assert (listed.purpose, listed.user, listed.subject_id) == ("appeal", aw.local_head, o.pk)
    assert Notification.objects.filter(user=aw.local_head, text__contains="dsp.pdf").exists()
    row = o.rows.get(number=2)
    with pytest.raises(DocumentRefused):
        appeals.row_document_add(row=row, actor=aw.akimat_staff[0], upload=b"not a file",
                                 original_name="x.exe", classification="open")
    with django_capture_on_commit_callbacks(execute=True):
        document = appeals.row_document_add(row=row, actor=aw.akimat_staff[0],
                                            upload=pdf_bytes("Протокол опроса"),
                                            original_name="protocol.pdf",
                                            classification="internal")
    document.refresh_from_db()
    assert document.row == row and document.check_state == "accepted"
    assert access.visible(aw.assessor, RowDocument).filter(pk=document.pk).exists()
    assert "documents" in appeals.objection_actions(aw.akimat_staff[0], o)
    with pytest.raises(PermissionDenied):
        appeals.row_document_add(row=row, actor=aw.assessor, upload=pdf_bytes("x"),
                                 original_name="x.pdf", classification="open")


def test_late_filing_is_refused_with_the_closing_day_and_recorded(aw):
    c = aw.issued()
    app_clock.set_now("2026-04-01T09:00:00")
    assert appeals.conclusion_appeal_actions(aw.local_head, c) == {"late"}
    with pytest.raises(DomainError, match="31 марта 2026") as refused:
        file(aw, c)
    assert refused.value.code == "window_closed"
    assert "п.111" in refused.value.message
    refusal = ObjectionRefusal.objects.get(conclusion=c)
    assert (refusal.attempted_by, refusal.deadline) == (aw.local_head, date(2026, 3, 31))
    assert refusal.message == refused.value.message
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Conclusion), object_id=c.pk,
        action="objection_refused", actor=aw.local_head).exists()
    assert not Objection.objects.exists() and fresh(c).state == "issued"
    # After the clock's job finalised it, a filing is still refused as late, and recorded.
    from assessments.conclusions.services import conclusion_windows_close

    conclusion_windows_close()
    assert fresh(c).state == "final"
    with pytest.raises(DomainError, match="31 марта 2026"):
        file(aw, c)
    assert ObjectionRefusal.objects.filter(conclusion=c).count() == 2


def test_no_objection_notice_finalises_and_notifies_the_evaluator(aw):
    c = aw.issued()
    assert appeals.conclusion_appeal_actions(aw.local_head, c) == {"object", "no_objection"}
    with pytest.raises(PermissionDenied):
        appeals.no_objection_notify(conclusion=c, actor=aw.assessor)
    notice = appeals.no_objection_notify(conclusion=c, actor=aw.local_head)
    assert (notice.body, notice.sent_by) == (aw.akimat, aw.local_head)
    c = fresh(c)
    assert c.state == "final" and c.finalised_at is not None
    assert Notification.objects.filter(user=aw.unit_head,
                                       text__contains="об отсутствии возражений").exists()
    with pytest.raises(DomainError):
        appeals.no_objection_notify(conclusion=c, actor=aw.local_head)
    with pytest.raises(DomainError, match="отсутствии возражений"):
        file(aw, c)
    assert appeals.conclusion_appeal_actions(aw.local_head, c) == frozenset()


def test_rows_are_required_and_paths_must_be_the_directions(aw):
    c = aw.issued()
    with pytest.raises(DomainError, match="хотя бы одну строку"):
        appeals.objection_file(conclusion=c, actor=aw.local_head, rows=[], passphrase=PASSPHRASE)
    with pytest.raises(DomainError, match="не относится к направлению"):
        file(aw, c, rows=[{**ROW_LATE, "input_path": "openness.media.events_total"}])
    assert fresh(c).state == "issued"


def test_the_proposed_value_is_checked_against_the_scoring_input_at_filing(aw):
    """Issue item 3: a value the scoring input would refuse is refused at filing, translated,
    with the row's number — not later, in English, when a row is accepted."""
    c = aw.issued()
    for bad in ("много", -3, "2.5"):
        with pytest.raises(appeals.ProposedValueError) as refused:
            file(aw, c, rows=[ROW_K1, {**ROW_LATE, "proposed_value": bad}])
        assert refused.value.row == 2 and "services.late" in refused.value.field_message
        assert refused.value.message.startswith("Строка 2:")
        assert not any(english in refused.value.message
                       for english in ("must", "number", "whole", "negative"))
    assert not Objection.objects.exists() and fresh(c).state == "issued"
    assert file(aw, c).rows.get(number=1).proposed_value == 0  # a count it takes
