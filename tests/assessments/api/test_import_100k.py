"""Done-when of issue 19: a 100,000-row "Мониторинг" CSV uploaded through the API (with an
``Idempotency-Key``), polled until validated, its (absent) row errors read, confirmed, polled
until applied — and the body's score read again, recomputed from the new scoring input.

Real commits (``transaction=True``) with tasks in-process, as the embedded default runs them:
validation, apply, assembly and the recompute happen as each write commits. PostgreSQL: staging
uses ``COPY``."""

import csv
import io
import time
from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments.models import ImportRecord, PublicService
from assessments.submission.services.openness import indicator_rows, openness_score_set
from tests.assessments.api.helpers import api, token_for
from tests.worlds.samples import MONITORING_HEADER
from tests.worlds.submission_steps import accept, load

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 100_000


class _Commits:
    """``load``'s capture argument where commits are real: nothing to capture."""

    def __call__(self, execute=True):
        import contextlib

        return contextlib.nullcontext()


def _scored_akimat(p, cycle):
    """The akimat's three reports accepted, the surveys loaded, its openness scored: a complete
    scoring input, so its sheets have finals."""
    body, cap = p.registry.akimat, _Commits()
    accept(p, cycle, body, "services", p.local_head, p.assessor, override={"services": {"rows": [
        {"service": "00101001", "basis": "own_records", "rendered": 900, "late": 50,
         "unjustified_refusals": 50, "incomplete_package": 0, "extra_documents": 0,
         "justified_complaints": 1}]}})
    accept(p, cycle, body, "openness", p.local_head, p.assessor_other_direction)
    accept(p, cycle, body, "complaints", p.local_head, p.committee_assessor)
    load(p.assessor, cycle, "satisfaction",
         [["bin", "service_code", "level"], [body.bin, "00101001", "4.5"]], cap)
    load(p.assessor_other_direction, cycle, "media_survey",
         [["bin", "media_satisfied_percent"], [body.bin, "80"]], cap)
    load(p.assessor_other_direction, cycle, "population_survey",
         [["bin", "population_satisfied_percent"], [body.bin, "70"]], cap)
    for row in indicator_rows(cycle, body):
        if not row.computed:
            for column in ("kk", "ru"):
                openness_score_set(actor=p.assessor_other_direction, cycle=cycle, body=body,
                                   criterion=row.criterion, indicator=row.indicator,
                                   column=column, value=row.maximum)


def _monitoring_csv(bin_: str, codes: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MONITORING_HEADER)
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    written = 0
    for code in codes:
        for day in days:
            if written == ROWS:
                return out.getvalue().encode()
            writer.writerow([bin_, code, day.isoformat(), 40, written % 3, 0, written % 2, 0])
            written += 1
    raise AssertionError("not enough services × days for the rows")


def _poll(client, url, until: set[str], limit: float = 600) -> dict:
    started = time.monotonic()
    while True:
        batch = client.get(url).json()
        if batch["state"] in until or time.monotonic() - started > limit:
            return batch
        time.sleep(0.5)


def test_a_100000_row_monitoring_csv_through_the_api_recomputes_the_bodys_score(
        personas, assigned, cycle, schedule, services_register, tasks_in_process, settings):
    p, akimat = personas, personas.registry.akimat
    settings.API_THROTTLE_RATE = "100000/min"
    extra = [PublicService(code=f"9{n:07d}", name_ru=f"Услуга {n}", name_kk=f"Қызмет {n}",
                           monitored=True) for n in range(300)]
    PublicService.objects.bulk_create(extra)
    _scored_akimat(p, cycle)
    reader = api(token_for(p.local_head, p.admin, scopes=["scores:read"]))
    scores = reverse("api:score_list")
    before = {s["direction"]: s for s in reader.get(
        scores, {"cycle": cycle.code, "bin": akimat.bin}).json()["results"]}
    assert before["services"]["final"] is not None

    importer = api(token_for(p.assessor, p.admin, scopes=["imports:write"]))
    payload = _monitoring_csv(akimat.bin, ["00101001"] + [s.code for s in extra])
    upload = io.BytesIO(payload)
    upload.name = "monitoring-2025.csv"
    created = importer.post(reverse("api:import_list"), {
        "kind": "monitoring", "cycle": cycle.code, "file": upload}, format="multipart",
        HTTP_IDEMPOTENCY_KEY="monitoring-2025")
    assert created.status_code == 201, created.json()
    url = reverse("api:import_detail", args=[created.json()["id"]])
    batch = _poll(importer, url, {"validated", "failed"})
    assert batch["state"] == "validated", batch
    assert batch["rows_total"] == ROWS and batch["rows_valid"] == ROWS
    assert batch["rows_invalid"] == 0 and batch["progress"] == 1.0
    errors = importer.get(reverse("api:import_errors", args=[batch["id"]])).json()
    assert errors["count"] == 0

    confirmed = importer.post(reverse("api:import_confirm", args=[batch["id"]]),
                              HTTP_IDEMPOTENCY_KEY="monitoring-2025-confirm")
    assert confirmed.status_code == 200, confirmed.json()
    batch = _poll(importer, url, {"applied", "failed"})
    assert batch["state"] == "applied" and batch["rows_created"] == ROWS, batch
    assert ImportRecord.objects.filter(batch_id=batch["id"]).count() == ROWS

    after = {s["direction"]: s for s in reader.get(
        scores, {"cycle": cycle.code, "bin": akimat.bin}).json()["results"]}
    services = after["services"]
    assert services["input_version"] > before["services"]["input_version"]
    assert services["id"] != before["services"]["id"]  # a new sheet, the old one kept
    assert services["values"] != before["services"]["values"]  # Мониторинг's violations count
    history = reader.get(scores, {"cycle": cycle.code, "bin": akimat.bin,
                                  "direction": "services", "is_current": "false",
                                  "ordering": "-id", "page_size": 500}).json()
    assert before["services"]["id"] in {s["id"] for s in history["results"]}
