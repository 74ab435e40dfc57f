"""Annex 9: the body's accepted openness report as a document of the cycle — rendered from the
report as accepted, kept with the report's version (the number of the submission accepted), its
tables as the seed's form for central and local bodies, downloadable from the report's page."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.models import Report, ReportSection
from assessments.submission.documents import annex9_context, annex9_document
from assessments.submission.services.reports import (
    report_accept,
    report_get_or_create,
    report_return,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections
from reporting.annexes import render_annex
from reporting.models import RenderedDocument
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def flat(data: bytes) -> str:
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " ")).strip()


def fill(report, actor, kind, skip=()):
    for key, data in sample_sections("openness", kind).items():
        if key in skip:
            continue
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=actor, report=report, key=key, data=data,
                            expected_version=row.version if row else 0)


def test_the_accepted_report_is_rendered_as_annex_9_with_its_version(
    clock, assigned, cycle, schedule, django_capture_on_commit_callbacks
):
    p, r = assigned, assigned.registry
    reviewer = p.assessor_other_direction  # the openness assessor
    report = report_get_or_create(cycle=cycle, body=r.ministry, direction="openness")
    fill(report, p.head, "central")
    report = report_submit(actor=p.head, report=report)
    assert report.version == 1
    report_start_review(actor=reviewer, report=report)
    report_return(actor=reviewer, report=report,
                  comments={"t1_open_data": "Добавьте набор, опубликованный по запросу."})
    row = ReportSection.objects.get(report=report, key="t1_open_data")
    data = {**row.data, "fields": {**row.data["fields"], "on_request": {
        "kk": ["https://data.egov.kz/kk/on-request-2"],
        "ru": ["https://data.egov.kz/ru/on-request-2"]}}}
    report_section_save(actor=p.head, report=report, key="t1_open_data", data=data,
                        expected_version=row.version)
    report = report_submit(actor=p.head, report=Report.objects.get(pk=report.pk))
    assert report.version == 2  # the second submission
    report_start_review(actor=reviewer, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_accept(actor=reviewer, report=report)
    document = annex9_document(report)
    assert document is not None
    assert (document.kind, document.version, document.state, document.draft) == (
        "annex9", 2, "rendered", False)
    assert document.subject_type == ContentType.objects.get_for_model(Report)
    with document.file.open("rb") as handle:
        text = flat(handle.read())
    assert 'Отчет по направлению "Открытость государственного органа"' in text
    assert "Приложение 9 · версия 2" in text and "версия отчета 2" in text
    assert r.ministry.name_ru in text
    # the seed's three columns, the reported data per language version
    assert "№ п/п Наименование индикатора Отчетные данные 1 2 3" in text
    assert "На государственном языке:" in text and "На русском языке:" in text
    # a central body's tables: 1, 2, 4, 5, 5-1, 6 (not table 3, the local one)
    for number in ("1", "2", "4", "5", "5-1", "6"):
        assert f"Таблица {number}. Отчетные данные" in text, number
    assert "Таблица 3." not in text
    # the report as accepted: the link added in the second version, the counts of no language
    assert "on-request-2" in text.replace(" ", "")
    assert "Запросов СМИ поступило: 40" in text
    assert "Реестр услуг (гос. яз.) — срок 08.03.2025 — размещено 10.03.2025" in text
    # the same version is never rendered twice
    from assessments.submission.documents import annex9_request

    assert annex9_request(report).pk == document.pk
    assert RenderedDocument.objects.filter(kind="annex9").count() == 1


def test_a_local_bodys_annex_9_prints_its_tables_and_a_table_not_presented(
    clock, assigned, cycle, schedule
):
    p, r = assigned, assigned.registry
    report = report_get_or_create(cycle=cycle, body=r.akimat, direction="openness")
    fill(report, p.local_head, "local",
         skip=("t4_open_npa",))
    ctx = annex9_context(report)
    assert [t["number"] for t in ctx["tables"]] == ["1", "3", "4", "5", "5-1"]
    assert [t["number"] for t in ctx["tables"] if t["missing"]] == ["4"]
    text = flat(render_annex("annex9", ctx))
    assert "Таблица 3. Отчетные данные местных исполнительных органов" in text
    assert "Таблица 2." not in text and "Таблица 6." not in text
    i4 = text.index("Таблица 4.")
    assert text.index("Таблица не представлена", i4) < text.index("Таблица 5.")
    assert r.akimat.name_ru in text


def test_the_reports_page_links_annex_9_and_serves_the_stored_file(
    client, clock, assigned, cycle, schedule, django_capture_on_commit_callbacks
):
    p, r = assigned, assigned.registry
    report = report_get_or_create(cycle=cycle, body=r.ministry, direction="openness")
    fill(report, p.head, "central")
    report_submit(actor=p.head, report=report)
    report_start_review(actor=p.assessor_other_direction, report=report)
    client.force_login(p.head)
    url = reverse("submission:report_annex9", args=[report.pk])
    assert client.get(url).status_code == 404  # not accepted yet
    with django_capture_on_commit_callbacks(execute=True):
        report = report_accept(actor=p.assessor_other_direction, report=report)
    page = client.get(reverse("submission:report_detail", args=[report.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == annex9_document(report).sha256
    # a complaints report has no annex 9
    other = report_get_or_create(cycle=cycle, body=r.ministry, direction="complaints")
    assert client.get(reverse("submission:report_annex9", args=[other.pk])).status_code == 404
