"""Exports read back: the rankings and the overview as XLSX (a frozen header, filters, two
decimals, a sheet per direction, the provisional status said) and CSV (UTF-8 with a BOM); the
export of all scores as a background job with its progress and a download; the cycle report's
PDF with the rankings in order and their bands."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.assessments.overview.test_overview import scene  # noqa: F401  (the fixture)
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_rankings_xlsx_reads_back(scene, personas, client):  # noqa: F811
    r = personas.registry
    client.force_login(personas.coordinator)
    response = client.get(reverse("overview:export") + "?what=rankings&format=xlsx&group=central")
    assert response.status_code == 200
    assert 'filename="rankings-2025.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(_body(response)))
    # the about sheet, then one per direction (Excel's names: at most 31 characters)
    assert wb.sheetnames == ["Сведения", "Качество оказания государственн",
                             "Открытость государственного орг", "Качество рассмотрения жалоб и з",
                             "Итоговая оценка"]
    about = {row[0]: row[1] for row in wb["Сведения"].iter_rows(values_only=True)}
    assert about["Статус оценок"].startswith("Предварительные")
    overall = wb["Итоговая оценка"]
    assert overall.freeze_panes == "A2"
    assert overall.auto_filter.ref == "A1:H4"
    rows = list(overall.iter_rows(values_only=True))
    assert rows[0][:5] == ("Место", "Орган", "БИН", "Балл", "Степень эффективности")
    assert [(row[0], row[1], row[3]) for row in rows[1:]] == [
        (1, r.ministry.name_ru, 91.0), (2, r.supreme_court.name_ru, 75.0),
        (2, r.other_ministry.name_ru, 75.0)]  # tied: equal places, then by name
    assert overall["D2"].number_format == "0.00"
    assert rows[1][7] == "предварительная"


def test_overview_csv_has_a_bom_and_the_filtered_rows(scene, personas, client):  # noqa: F811
    r = personas.registry
    client.force_login(personas.coordinator)
    response = client.get(reverse("overview:export")
                          + "?what=overview&format=csv&kind=local&overdue=on")
    assert response.status_code == 200 and response.streaming
    data = _body(response)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    bodies = {row[0] for row in rows if len(row) > 5 and row[1].isdigit()}
    assert bodies == {r.akimat.name_ru}


def test_a_body_exports_its_own_rows_only(scene, personas, client):  # noqa: F811
    r = personas.registry
    client.force_login(personas.submitter)
    response = client.get(reverse("overview:export") + "?what=rankings&format=csv&group=central")
    text = _body(response).decode("utf-8-sig")
    assert r.ministry.name_ru in text and r.other_ministry.name_ru not in text


@pytest.mark.usefixtures("tasks_in_process")
def test_all_scores_export_runs_as_a_job_with_a_download(
        scene, personas, client, django_capture_on_commit_callbacks):  # noqa: F811
    from assessments.models import BackgroundJob

    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("overview:exports") + "?cycle=2025")
    assert response.status_code == 302
    job = BackgroundJob.objects.get(kind="overview_export")
    assert job.state == "done", (job.state, job.error)
    assert job.done == job.total == 7  # 4 overall + 3 services sheets
    page = client.get(reverse("overview:exports") + "?cycle=2025").content.decode()
    download = reverse("overview:export_download", args=[job.pk])
    assert download in page
    wb = load_workbook(io.BytesIO(b"".join(client.get(download).streaming_content)))
    services = wb[wb.sheetnames[1]]
    header = next(services.iter_rows(values_only=True))
    assert header[:3] == ("Орган", "БИН", "Вид органа") and "K1" in header
    client.force_login(personas.submitter)
    assert client.get(download).status_code == 404


def test_the_cycle_report_holds_the_rankings_in_order_with_bands(scene, personas, client):  # noqa: F811,E501
    r = personas.registry
    client.force_login(personas.coordinator)
    response = client.get(reverse("overview:cycle_report") + "?cycle=2025&lang=ru")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Предварительные итоги" in text
    central = text.index("Центральные государственные органы · Итоговая оценка")
    first = text.index(r.ministry.name_ru, central)
    second = text.index(r.other_ministry.name_ru, central)
    assert first < second
    assert "91.00 Высокая степень эффективности" in text[first:second]
    assert "75.00 Средняя степень эффективности" in text[second:]
    kk = client.get(reverse("overview:cycle_report") + "?cycle=2025&lang=kk")
    assert "Операциялық бағалау қорытындылары" in " ".join(pdf_text(kk.content).split())
    client.force_login(personas.submitter)
    assert client.get(reverse("overview:cycle_report")).status_code == 403
