"""The re-verification of one body × direction: requests for documents (never secret or "ДСП"),
the body's uploads (checked like evidence), checks of information systems, findings and the
deduction capped at 5 (p.14–20), each transition logged and refused for the wrong role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from assessments.kernel import access, calendar
from assessments.kernel.errors import DomainError
from assessments.models import (
    AuditEntry,
    ConfirmingDocument,
    DocumentRequest,
    Finding,
    Notification,
    Reverification,
)
from assessments.reverification.services import (
    EditConflict,
    InvalidFinding,
    confirming_document_upload,
    deduction_of,
    document_request_create,
    document_request_withdraw,
    finding_record,
    finding_update,
    finding_withdraw,
    findings_complete,
    reverification_deduction,
    system_check_record,
)
from assessments.submission.services.evidence import DocumentRefused
from tests.worlds.reverification import record, upload

pytestmark = pytest.mark.django_db


def _fresh(rv) -> Reverification:
    return Reverification.objects.get(pk=rv.pk)  # protected fsm field: re-fetch


def _request(rv, actor, **extra):
    data = {"document_kind": "protocol", "title": "Протоколы заседаний рабочей группы",
            "classification": "open", "report_section": "Таблица 1", "working_days": 5}
    return document_request_create(actor=actor, reverification=rv, **(data | extra))


# --- requests ------------------------------------------------------------------------------------

def test_a_request_is_due_in_working_days_and_notifies_the_body(personas, selected, when):
    request = _request(selected, personas.assessor)
    # Monday 2 February 2026 + 5 working days
    assert request.due_on == date(2026, 2, 9) == calendar.add_working_days(when.today(), 5)
    rv = _fresh(selected)
    assert rv.state == "documents_requested"
    log = StateLog.objects.for_(rv).get(transition="request_documents")
    assert log.by == personas.assessor and "09.02.2026" in log.description
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"submitter", "head"}


def test_the_due_date_skips_public_holidays(personas, selected, when):
    """8 March 2026 is a Sunday: the day off moves to Monday 9 March."""
    from assessments.models import Milestone

    Milestone.objects.filter(cycle=selected.cycle, code="reverification").update(
        due_on=date(2026, 3, 31))
    when.set_now("2026-03-05T10:00:00")  # Thursday
    request = _request(selected, personas.assessor, working_days=5)
    # Fri 6, (Sat 7, Sun 8, Mon 9 off), Tue 10, Wed 11, Thu 12, Fri 13
    assert request.due_on == date(2026, 3, 13)


@pytest.mark.parametrize("extra", [
    {"classification": "dsp"},
    {"classification": "secret"},
    {"title": "Приказ с пометкой ДСП о проверках"},
    {"title": "Отчёт для служебного пользования"},
    {"report_section": "Секретно: мобилизационный план"},
])
def test_a_request_for_a_dsp_or_secret_document_is_impossible(personas, selected, extra):
    with pytest.raises(DomainError) as error:
        _request(selected, personas.assessor, **extra)
    assert error.value.code == "classified"
    assert not DocumentRequest.objects.exists()
    assert _fresh(selected).state == "selected"


def test_requests_are_the_evaluators_and_only_within_the_schedule(personas, selected, when):
    for actor in (personas.submitter, personas.assessor_other_direction, personas.coordinator):
        with pytest.raises(PermissionDenied):
            _request(selected, actor)
    when.set_now("2026-02-24T10:00:00")  # 5 working days later is after 27 February
    with pytest.raises(DomainError) as error:
        _request(selected, personas.assessor)
    assert "27.02.2026" in error.value.message
    assert _request(selected, personas.assessor, working_days=3).due_on <= date(2026, 2, 27)


# --- uploads -------------------------------------------------------------------------------------

def test_a_stamped_upload_is_refused_and_the_refusal_logged(
        personas, selected, stamped_pdf, django_capture_on_commit_callbacks):
    """The stamp is found by the quarantine's check, after the request answered (issue 16):
    the document is deleted, the refusal audited, listed for administrators and shown to the
    uploader; the request stays open."""
    from assessments.models import RefusedUpload

    request = _request(selected, personas.assessor)
    with django_capture_on_commit_callbacks(execute=True):
        document = confirming_document_upload(actor=personas.submitter, request=request,
                                              upload=upload(stamped_pdf),
                                              original_name="report.pdf",
                                              classification="open")
    assert not ConfirmingDocument.objects.filter(pk=document.pk).exists()
    entry = AuditEntry.objects.for_object(selected).get(action="confirming_document:refused")
    assert entry.actor == personas.submitter and "Для служебного пользования" in entry.reason
    refused = RefusedUpload.objects.get()
    assert (refused.code, refused.purpose, refused.user) == ("stamp", "confirming",
                                                             personas.submitter)
    assert refused.subject_id == selected.pk and "п.16" in refused.reason_text
    assert Notification.objects.filter(user=personas.submitter,
                                       text__contains="не принят").exists()
    assert DocumentRequest.objects.get(pk=request.pk).state == "open"
    assert _fresh(selected).state == "documents_requested"


def test_a_document_declared_dsp_is_refused(personas, selected, clean_pdf):
    request = _request(selected, personas.assessor)
    with pytest.raises(DocumentRefused) as error:
        confirming_document_upload(actor=personas.submitter, request=request,
                                   upload=upload(clean_pdf), original_name="p.pdf",
                                   classification="dsp")
    assert error.value.reason == "classified"


def test_answering_every_request_receives_the_documents(
        personas, selected, clean_pdf, django_capture_on_commit_callbacks):
    first = _request(selected, personas.assessor)
    second = _request(selected, personas.assessor, document_kind="letter", title="Письма")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        document = confirming_document_upload(actor=personas.submitter, request=first,
                                              upload=upload(clean_pdf), original_name="p.pdf",
                                              classification="open")
    # in quarantine: seen by its uploader only, the request still waits for an answer
    assert document.file_type == "pdf" and len(document.sha256) == 64
    assert document.check_state == "quarantine"
    assert DocumentRequest.objects.get(pk=first.pk).state == "open"
    assert not access.visible(personas.assessor, ConfirmingDocument).filter(
        pk=document.pk).exists()
    assert not access.visible(personas.head, ConfirmingDocument).filter(pk=document.pk).exists()
    assert access.visible(personas.submitter, ConfirmingDocument).filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the check, queued when the upload committed
    document.refresh_from_db()
    assert document.check_state == "accepted"
    assert access.visible(personas.assessor, ConfirmingDocument).filter(pk=document.pk).exists()
    answered = DocumentRequest.objects.get(pk=first.pk)
    assert answered.state == "answered" and answered.answered_at == document.uploaded_at
    assert _fresh(selected).state == "documents_requested"  # the letters are still due
    document_request_withdraw(actor=personas.assessor, request=second,
                              reason="Письма получены по СЭД")
    rv = _fresh(selected)
    assert rv.state == "documents_received"
    assert StateLog.objects.for_(rv).get(transition="receive_documents").by == personas.assessor
    assert Notification.objects.filter(user=personas.assessor).exists()


def test_only_the_bodys_staff_upload(personas, selected, clean_pdf):
    request = _request(selected, personas.assessor)
    for actor in (personas.other_submitter, personas.assessor, personas.local_submitter):
        with pytest.raises(PermissionDenied):
            confirming_document_upload(actor=actor, request=request, upload=upload(clean_pdf),
                                       original_name="p.pdf", classification="open")


# --- checks and findings -------------------------------------------------------------------------

def test_findings_carry_the_editions_points_and_the_deduction_is_capped(personas, selected):
    p = personas
    record(selected, p.assessor, "unreliable", 2)
    assert reverification_deduction(selected).value == Decimal("0.40")
    record(selected, p.assessor, "incomplete", 2)
    deduction = reverification_deduction(selected)
    assert (deduction.sum, deduction.value, deduction.capped) == (
        Decimal("4.4"), Decimal("4.40"), False)
    record(selected, p.assessor, "incomplete", 1)
    deduction = reverification_deduction(selected)
    assert (deduction.unreliable, deduction.incomplete) == (2, 3)
    assert (deduction.sum, deduction.value, deduction.capped) == (
        Decimal("6.4"), Decimal("5.00"), True)
    points = sorted(set(Finding.objects.values_list("kind", "points")))
    assert points == [("incomplete", Decimal("2.00")), ("unreliable", Decimal("0.20"))]


@pytest.mark.parametrize("u, i, expected", [
    (0, 0, "0.00"), (1, 0, "0.20"), (25, 0, "5.00"), (26, 0, "5.00"), (0, 2, "4.00"),
    (0, 3, "5.00"), (4, 2, "4.80"), (5, 2, "5.00"),
])
def test_the_deduction_is_the_engines(u, i, expected):
    assert deduction_of(edition="2023", kind="local", unreliable=u, incomplete=i).value == (
        Decimal(expected))


def test_published_information_counts_too_with_its_link(personas, selected):
    """p.17: information the body published (e.g. on its website) is re-verified as well."""
    with pytest.raises(InvalidFinding) as error:
        finding_record(actor=personas.assessor, reverification=selected, kind="unreliable",
                       description="На сайте указан неверный график приёма",
                       report_section="Таблица 7", origin="published")
    assert set(error.value.errors) == {"source_url"}
    finding = finding_record(actor=personas.assessor, reverification=selected,
                             kind="unreliable", description="На сайте неверный график приёма",
                             report_section="Таблица 7", origin="published",
                             source_url="https://www.gov.kz/memleket/entities/minfin")
    assert finding.origin == "published" and finding.points == Decimal("0.20")


def test_every_invalid_field_of_a_finding_gets_its_message(personas, selected):
    with pytest.raises(InvalidFinding) as error:
        finding_record(actor=personas.assessor, reverification=selected, kind="wrong",
                       description=" ", report_section="", origin="x")
    assert set(error.value.errors) == {"kind", "description", "report_section", "origin"}
    assert not Finding.objects.exists()


def test_a_system_check_backs_a_finding(personas, selected, when):
    check = system_check_record(actor=personas.assessor, reverification=selected,
                                system="ИС «Мониторинг»", subject="Сроки оказания услуг",
                                result="discrepancy", note="Просрочено 14, в отчёте 4")
    assert check.checked_on == when.today()
    finding = finding_record(actor=personas.assessor, reverification=selected,
                             kind="unreliable", description="Число просрочек занижено",
                             report_section="Таблица 2", system_check=check)
    assert finding.system_check == check
    with pytest.raises(DomainError):
        system_check_record(actor=personas.assessor, reverification=selected, system="ИС",
                            subject="x", result="confirmed",
                            checked_on=date(2026, 3, 1))  # in the future


def test_concurrent_edits_of_a_finding_are_reported(personas, selected):
    (finding,) = record(selected, personas.assessor)
    finding_update(actor=personas.assessor, finding=finding, revision=1, kind="incomplete",
                   description="Отсутствует таблица 3", report_section="Таблица 3")
    with pytest.raises(EditConflict):
        finding_update(actor=personas.unit_head, finding=finding, revision=1,
                       kind="unreliable", description="другое", report_section="Таблица 1")
    stored = Finding.objects.get(pk=finding.pk)
    assert (stored.kind, stored.points, stored.revision) == ("incomplete", Decimal("2.00"), 2)
    finding_withdraw(actor=personas.assessor, finding=stored, reason="Ошибка эксперта")
    assert reverification_deduction(selected).value == Decimal("0.00")
    assert AuditEntry.objects.for_object(selected).filter(action="finding_withdraw").exists()


def test_findings_are_the_evaluators_on_the_direction(personas, selected):
    for actor in (personas.head, personas.assessor_other_direction, personas.coordinator,
                  personas.outsider):
        with pytest.raises(PermissionDenied):
            record(selected, actor)


def test_findings_cannot_be_completed_while_a_request_is_open(
        personas, selected, clean_pdf, django_capture_on_commit_callbacks):
    request = _request(selected, personas.assessor)
    with pytest.raises(DomainError) as error:
        findings_complete(actor=personas.assessor, reverification=selected)
    assert error.value.code == "open_requests"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        confirming_document_upload(actor=personas.head, request=request,
                                   upload=upload(clean_pdf), original_name="p.pdf",
                                   classification="internal")
    with pytest.raises(DomainError) as error:  # the answer is still being checked
        findings_complete(actor=personas.assessor, reverification=selected)
    assert error.value.code == "open_requests"
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    record(selected, personas.assessor, "incomplete")
    rv = findings_complete(actor=personas.assessor, reverification=selected)
    assert rv.state == "findings_recorded"
    log = StateLog.objects.for_(rv).get(transition="record_findings")
    assert log.description == "Зафиксировано фактов: недостоверных 0, неполноты 1"


def test_nothing_found_is_a_valid_outcome(personas, selected):
    rv = findings_complete(actor=personas.assessor, reverification=selected)
    assert rv.state == "findings_recorded"
    assert reverification_deduction(rv).value == Decimal("0.00")
