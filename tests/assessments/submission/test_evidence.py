"""Confirming documents: type by content, size, classification and stamps (p.16), versions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Evidence, RefusedUpload
from assessments.submission.services.evidence import (
    DocumentRefused,
    document_check,
    evidence_check,
    evidence_confirm,
    evidence_upload,
)
from assessments.submission.services.reports import report_get_or_create
from tests.worlds.samples import docx_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [
    "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ Экз. № 2",
    "Гриф: ДСП",
    "Секретно. Отчёт об исполнении бюджета",
    "Қызмет бабында пайдалану үшін",
])
def test_stamped_pdf_is_refused_with_the_reason(text):
    with pytest.raises(DocumentRefused) as refused:
        document_check(pdf_bytes(text), classification="open")
    assert refused.value.reason == "stamp"
    assert "п.16" in refused.value.message


def test_stamp_in_a_docx_header_is_found():
    content = docx_bytes("Отчёт о реализации бюджетной программы", header="Для служебного "
                         "пользования")
    with pytest.raises(DocumentRefused) as refused:
        document_check(content, classification="internal")
    assert "Для служебного пользования" in refused.value.message


def test_clean_documents_pass_and_words_containing_the_letters_do_not_trigger():
    assert document_check(pdf_bytes("Отчёт о рассекречивании? Нет: ДСПК — код; секретарь"),
                          classification="open").file_type == "pdf"
    assert document_check(docx_bytes("Протокол встречи с населением"),
                          classification="open").file_type == "docx"


@pytest.mark.parametrize("classification", ["dsp", "secret"])
def test_declared_restricted_classification_is_refused(classification):
    with pytest.raises(DocumentRefused) as refused:
        document_check(png_bytes(), classification=classification)
    assert refused.value.reason == "classified"


def test_type_is_decided_by_content_not_by_name():
    with pytest.raises(DocumentRefused) as refused:
        document_check(b"MZ\x90\x00 not a document", classification="open")
    assert refused.value.reason == "type"
    assert document_check(png_bytes(), classification="open").file_type == "png"


def test_size_limit():
    with pytest.raises(DocumentRefused) as refused:
        document_check(b"%PDF-" + b"0" * 100, classification="open", max_bytes=50)
    assert refused.value.reason == "size"


def test_classification_is_required():
    with pytest.raises(DocumentRefused):
        document_check(png_bytes(), classification="")


def test_upload_stores_sha256_and_uploader_and_a_replacement_is_a_new_version(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=True):
        first = evidence_upload(actor=assigned.submitter, report=report,
                                section_key="complaints", indicator="court_decisions",
                                title="Решение суда", upload=pdf_bytes("Решение суда № 1"),
                                original_name="a.docx", classification="open")
    first.refresh_from_db()
    assert (first.file_type, first.version, first.uploaded_by) == ("pdf", 1, assigned.submitter)
    assert first.check_state == Evidence.CheckState.ACCEPTED  # checked once the upload committed
    assert len(first.sha256) == 64 and first.file.name.endswith(first.sha256 + ".pdf")
    with django_capture_on_commit_callbacks(execute=False):
        second = evidence_upload(actor=assigned.head, report=report, section_key="x",
                                 indicator="", title="Решение суда (исправленное)",
                                 upload=pdf_bytes("Решение суда № 1, исправлено"),
                                 original_name="b.pdf", classification="open", replaces=first)
    # while the new version is in quarantine the old one stays current
    first = Evidence.objects.get(pk=first.pk)
    assert first.is_current and not second.is_current
    assert (second.version, second.replaces, second.section_key) == (2, first, "complaints")
    with pytest.raises(DomainError):  # a second new version while the first is checked
        evidence_upload(actor=assigned.head, report=report, section_key="complaints",
                        indicator="", title="x", upload=pdf_bytes("Ещё"), original_name="c.pdf",
                        classification="open", replaces=first)
    evidence_check(evidence_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_current and second.check_state == "accepted"
    assert not first.is_current and first.file.read().startswith(b"%PDF")  # old file kept
    with pytest.raises(DomainError):  # replacing a replaced version
        evidence_upload(actor=assigned.head, report=report, section_key="complaints",
                        indicator="", title="x", upload=png_bytes(), original_name="c.png",
                        classification="open", replaces=first)


def test_a_refusal_at_upload_is_logged_and_nothing_stored(clock, assigned, cycle, schedule):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with pytest.raises(DocumentRefused):
        evidence_upload(actor=assigned.submitter, report=report, section_key="complaints",
                        indicator="", title="Приказ", upload=b"MZ\x90\x00 program",
                        original_name="order.pdf", classification="open")
    assert not Evidence.objects.exists()
    entry = AuditEntry.objects.for_object(report).get(action="evidence:refused")
    assert entry.actor == assigned.submitter and "тип" in entry.reason.lower()
    assert RefusedUpload.objects.get().code == "type"


def test_a_stamped_document_waits_in_quarantine_then_is_deleted_and_recorded(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        evidence = evidence_upload(actor=assigned.submitter, report=report,
                                   section_key="complaints", indicator="", title="Приказ",
                                   upload=pdf_bytes("Приказ. ДСП"), original_name="order.pdf",
                                   classification="open")
    assert len(queued) == 1  # the check is a task, not the request's work
    assert evidence.check_state == "quarantine"
    # invisible to the evaluator while in quarantine; the body's staff see it
    assert not access.visible(assigned.committee_assessor, Evidence).exists()
    assert access.visible(assigned.head, Evidence).filter(pk=evidence.pk).exists()
    name = evidence.file.name
    storage = evidence.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    assert not Evidence.objects.exists() and not storage.exists(name)
    entry = AuditEntry.objects.for_object(report).get(action="evidence:refused")
    assert "ДСП" in entry.reason
    refused = RefusedUpload.objects.get()
    assert (refused.purpose, refused.code, refused.user) == ("evidence", "stamp",
                                                             assigned.submitter)
    assert refused.sha256 == evidence.sha256 and not refused.hostile


def test_a_clean_document_becomes_visible_to_the_evaluator_once_checked(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_upload(actor=assigned.submitter, report=report,
                                   section_key="complaints", indicator="", title="Протокол",
                                   upload=docx_bytes("Протокол встречи"),
                                   original_name="p.docx", classification="open")
    assert access.visible(assigned.committee_assessor, Evidence).filter(pk=evidence.pk).exists()


def test_a_picture_is_held_until_the_bodys_head_confirms_it(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks, client):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_upload(actor=assigned.submitter, report=report,
                                   section_key="complaints", indicator="", title="Скан",
                                   upload=png_bytes(), original_name="scan.png",
                                   classification="open")
    evidence.refresh_from_db()
    assert evidence.check_state == "held"
    assert not access.visible(assigned.committee_assessor, Evidence).exists()
    with pytest.raises(PermissionDenied):  # the submitter who uploaded it does not confirm
        evidence_confirm(actor=assigned.submitter, evidence=evidence, carries_no_stamp=True)
    client.force_login(assigned.head)
    url = reverse("submission:evidence_confirm", args=[evidence.pk])
    assert "Пометки нет" in client.get(url).content.decode()
    assert client.post(url, {"verdict": "clean"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.check_state == "accepted"
    assert access.visible(assigned.committee_assessor, Evidence).filter(pk=evidence.pk).exists()
    entry = AuditEntry.objects.for_object(report).get(action="evidence:accepted")
    assert entry.actor == assigned.head


def test_a_picture_the_head_finds_stamped_is_deleted(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_upload(actor=assigned.submitter, report=report,
                                   section_key="complaints", indicator="", title="Скан",
                                   upload=png_bytes(), original_name="scan.png",
                                   classification="open")
    evidence.refresh_from_db()
    assert evidence_confirm(actor=assigned.head, evidence=evidence,
                            carries_no_stamp=False) is None
    assert not Evidence.objects.exists()
    assert RefusedUpload.objects.get().code == "stamp_seen"


def test_an_oversize_file_is_refused_as_too_large_before_anything_is_kept(
        clock, assigned, cycle, schedule):
    """The 27 MB image that was stored cut at 20 MB, and the real 27 MB PDF called "damaged":
    both refused by their real size, in words, with nothing stored."""
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    big_png = png_bytes() + b"\x00" * (27 * 1024 * 1024)
    big_pdf = pdf_bytes("Протокол").replace(b"%%EOF", b"%" + b"0" * (27 * 1024 * 1024)
                                              + b"\n%%EOF")
    for name, content in (("photo.png", big_png), ("scan.pdf", big_pdf)):
        upload = SimpleUploadedFile(name, content)
        with pytest.raises(DocumentRefused) as refused:
            evidence_upload(actor=assigned.submitter, report=report, section_key="complaints",
                            indicator="", title="Большой", upload=upload, original_name=name,
                            classification="open")
        assert refused.value.reason == "size"
        assert "больше допустимого размера (20 МБ)" in refused.value.message
    assert not Evidence.objects.exists()
    assert list(RefusedUpload.objects.values_list("code", flat=True)) == ["size", "size"]
