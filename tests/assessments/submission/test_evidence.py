"""Confirming documents: type by content, size, classification and stamps (p.16), versions."""

import pytest

from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Evidence
from assessments.submission.services.evidence import (
    DocumentRefused,
    document_check,
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
        clock, assigned, cycle, schedule):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    first = evidence_upload(actor=assigned.submitter, report=report, section_key="complaints",
                            indicator="court_decisions", title="Решение суда",
                            upload=pdf_bytes("Решение суда № 1"), original_name="a.docx",
                            classification="open")
    assert (first.file_type, first.version, first.uploaded_by) == ("pdf", 1, assigned.submitter)
    assert len(first.sha256) == 64 and first.file.name.endswith(first.sha256 + ".pdf")
    second = evidence_upload(actor=assigned.head, report=report, section_key="x", indicator="",
                             title="Решение суда (исправленное)",
                             upload=pdf_bytes("Решение суда № 1, исправлено"),
                             original_name="b.pdf", classification="open", replaces=first)
    first = Evidence.objects.get(pk=first.pk)
    assert (second.version, second.replaces, second.section_key) == (2, first, "complaints")
    assert not first.is_current and first.file.read().startswith(b"%PDF")  # old file kept
    with pytest.raises(DomainError):  # replacing a replaced version
        evidence_upload(actor=assigned.head, report=report, section_key="complaints",
                        indicator="", title="x", upload=png_bytes(), original_name="c.png",
                        classification="open", replaces=first)


def test_refusal_is_logged_and_nothing_stored(clock, assigned, cycle, schedule):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with pytest.raises(DocumentRefused):
        evidence_upload(actor=assigned.submitter, report=report, section_key="complaints",
                        indicator="", title="Приказ", upload=pdf_bytes("ДСП"),
                        original_name="order.pdf", classification="open")
    assert not Evidence.objects.exists()
    entry = AuditEntry.objects.for_object(report).get(action="evidence:refused")
    assert entry.actor == assigned.submitter and "ДСП" in entry.reason
