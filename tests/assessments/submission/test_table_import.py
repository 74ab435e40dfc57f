"""A body fills its services table from a spreadsheet (issue 21, item 5): the XLSX template,
hundreds of rows imported through the preview, row errors by the file's row number, nothing saved
before the confirmation, and a hostile workbook refused by the pre-parse checks before any reader
opens it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.models import PublicService, ReportSection
from assessments.submission.services.reports import report_get_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def services_report(clock, assigned, cycle, schedule, services_register, client):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="services")
    client.force_login(assigned.submitter)
    return report


def _urls(report):
    return (reverse("submission:report_table_template", args=[report.pk, "services"]),
            reverse("submission:report_table_import", args=[report.pk, "services"]))


def _filled(template: bytes, rows: list[list]) -> io.BytesIO:
    book = load_workbook(io.BytesIO(template))
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "services.xlsx"
    return out


def test_hundreds_of_rows_are_previewed_then_saved_on_confirmation(services_report, client):
    codes = [f"9{n:07d}" for n in range(300)]
    PublicService.objects.bulk_create(
        PublicService(code=code, name_ru=f"Услуга {code}", name_kk=f"Қызмет {code}",
                      monitored=False) for code in codes)
    template_url, import_url = _urls(services_report)
    template = client.get(template_url)
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[2]][:3] == ["service", "basis", "rendered"]
    rows = [[code, "own_records", 100 + n, n % 7, 0, 1, 0, 2] for n, code in enumerate(codes)]
    preview = client.post(import_url, {"file": _filled(template.content, rows)})
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    text = preview.content.decode()
    assert "300" in text and 'data-testid="table-confirm"' in text
    assert not ReportSection.objects.filter(report=services_report, key="services").exists()
    done = client.post(import_url, {"confirm": "1"})
    assert done.status_code == 302
    saved = ReportSection.objects.get(report=services_report, key="services")
    assert len(saved.data["rows"]) == 300
    assert saved.data["rows"][5] == {
        "service": codes[5], "basis": "own_records", "rendered": 105, "late": 5,
        "unjustified_refusals": 0, "incomplete_package": 1, "extra_documents": 0,
        "justified_complaints": 2}
    # The template now carries the saved rows (a round trip).
    again = load_workbook(io.BytesIO(client.get(template_url).content)).active
    assert again.max_row == 2 + 300


def test_row_errors_are_shown_by_the_files_row_and_nothing_is_saved(services_report, client):
    template_url, import_url = _urls(services_report)
    template = client.get(template_url).content
    rows = [["00601006", "own_records", 10, 2, 0, 0, 0, 0],
            ["00601006", "own_records", 10, 20, 0, 0, 0, 0],      # late > rendered
            ["77777777", "own_records", 5, 0, 0, 0, 0, 0],        # not in the register
            ["00101001", "own_records", "много", 0, 0, 0, 0, 0]]  # not a number
    answer = client.post(import_url, {"file": _filled(template, rows)})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'data-testid="table-errors"' in text and 'data-testid="table-confirm"' not in text
    for number in ("<td>4</td>", "<td>5</td>", "<td>6</td>"):
        assert number in text
    assert "<td>3</td>" not in text
    assert client.post(import_url, {"confirm": "1"}).status_code == 400
    assert not ReportSection.objects.filter(report=services_report, key="services").exists()


def _hostile(template: bytes) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</sheetData>", b'<row r="3"><c r="ZZZZZZ3" t="inlineStr">'
                                    b"<is><t>x</t></is></c></row></sheetData>")
            z.writestr(info.filename, data)
    return out.getvalue()


def test_a_hostile_workbook_and_a_non_workbook_are_refused_before_parsing(services_report,
                                                                          client, monkeypatch):
    from assessments.submission.services import table_import

    opened = []
    monkeypatch.setattr(table_import, "open_source", lambda *a, **k: opened.append(a))
    template_url, import_url = _urls(services_report)
    hostile = io.BytesIO(_hostile(client.get(template_url).content))
    hostile.name = "services.xlsx"
    answer = client.post(import_url, {"file": hostile})
    assert answer.status_code == 400
    assert "ZZZZZZ3" in answer.content.decode()
    assert opened == []
    csv = io.BytesIO(b"service,basis\n00601006,own_records\n")
    csv.name = "services.xlsx"
    refused = client.post(import_url, {"file": csv})
    assert refused.status_code == 400 and "XLSX" in refused.content.decode().upper()
    assert not ReportSection.objects.filter(report=services_report, key="services").exists()


def test_an_evaluator_may_not_fill_the_bodys_table(services_report, assigned, client):
    client.force_login(assigned.assessor)
    template_url, import_url = _urls(services_report)
    assert client.get(import_url).status_code in (403, 404)
    assert client.get(template_url).status_code in (403, 404)


def test_an_empty_workbook_is_said(services_report, client):
    _template_url, import_url = _urls(services_report)
    out = io.BytesIO()
    Workbook().save(out)
    out.seek(0)
    out.name = "empty.xlsx"
    answer = client.post(import_url, {"file": out})
    assert answer.status_code == 400 and 'data-testid="table-errors"' in answer.content.decode()
