"""Writes through the API call the pages' services: a body's system saves its report's sections
and submits it (the same checks, the same explicit confirmation of missing elements, the service
account recorded as the actor), uploads an import, polls it, reads its row errors and confirms
it; an ``Idempotency-Key`` makes a retried write take effect once."""

import io

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from assessments.api.services import service_account_create
from assessments.models import AuditEntry, ImportBatch, ImportRecord, Report
from demo.submission import sample_sections
from tests.assessments.api.helpers import api, token_for
from tests.worlds.samples import MONITORING_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(personas):
    """The akimat's information system: a service account with the head's role."""
    account = service_account_create(
        actor=personas.admin, organisation=personas.registry.akimat, system="ИС акимата",
        username="akmola-system", roles=[("body_head", "")])
    return account.user


def _open(client, cycle, body, direction="openness"):
    response = client.post(reverse("api:report_list"), {
        "cycle": cycle.code, "body": body.pk, "direction": direction}, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_a_body_system_fills_and_submits_its_report_with_the_pages_checks(
        personas, cycle, schedule, clock, system):
    akimat = personas.registry.akimat
    client = api(token_for(system, personas.admin, scopes=["reports:submit"]))
    report = _open(client, cycle, akimat)
    assert report["state"] == "draft" and report["bin"] == akimat.bin
    assert _open(client, cycle, akimat)["id"] == report["id"]  # opened once
    sections = sample_sections("openness", "local")
    first_key = next(iter(sections))
    url = reverse("api:report_section", args=[report["id"], first_key])

    invalid = client.put(url, {"data": {"fields": {"no_such_field": "x"}, "rows": "nope"}},
                         format="json")
    assert invalid.status_code in (400, 422), invalid.json()
    saved = client.put(url, {"data": sections[first_key], "expected_version": 0}, format="json")
    assert saved.status_code == 200, saved.json()
    section = next(s for s in saved.json()["sections"] if s["key"] == first_key)
    assert section["version"] == 1 and section["data"] == sections[first_key]
    entry = AuditEntry.objects.get(action=f"section:{first_key}")
    assert entry.actor == system  # the service account is the actor
    stale = client.put(url, {"data": sections[first_key], "expected_version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    submit = reverse("api:report_submit", args=[report["id"]])
    refused = client.post(submit, {}, format="json")
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "confirm_missing" and problem["missing"]
    assert Report.objects.get(pk=report["id"]).state == "draft"  # nothing happened

    done = client.post(submit, {"confirm_missing": True}, format="json",
                       HTTP_IDEMPOTENCY_KEY="submit-1")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    again = client.post(submit, {"confirm_missing": True}, format="json",
                        HTTP_IDEMPOTENCY_KEY="submit-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == done.json()
    other = client.post(submit, {"confirm_missing": False}, format="json",
                        HTTP_IDEMPOTENCY_KEY="submit-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_mismatch"
    stored = Report.objects.get(pk=report["id"])
    assert stored.version == 1 and stored.submitted_by == system
    logs = StateLog.objects.filter(object_id=stored.pk, transition="submit")
    assert [log.by for log in logs] == [system]  # one transition, by the service account


def test_a_submitter_cannot_submit_and_another_body_is_invisible(personas, cycle, schedule):
    r = personas.registry
    head = api(token_for(personas.local_head, personas.admin))
    report = _open(head, cycle, r.akimat)
    submitter = api(token_for(personas.local_submitter, personas.admin))
    refused = submitter.post(reverse("api:report_submit", args=[report["id"]]),
                             {"confirm_missing": True}, format="json")
    assert refused.status_code == 403
    other = api(token_for(personas.other_submitter, personas.admin))
    assert other.get(reverse("api:report_detail", args=[report["id"]])).status_code == 404
    assert other.post(reverse("api:report_submit", args=[report["id"]]), {},
                      format="json").status_code == 404
    assert other.get(reverse("api:report_list")).json()["count"] == 0
    nope = other.post(reverse("api:report_list"), {"cycle": cycle.code, "body": r.akimat.pk,
                                                   "direction": "openness"}, format="json")
    assert nope.status_code == 404


def _upload(client, cycle, rows, key=None, name="m.csv"):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(reverse("api:import_list"), {
        "kind": "monitoring", "cycle": cycle.code,
        "file": io.BytesIO(csv_bytes(rows))}, format="multipart", **extra)


def test_an_import_through_the_api_uploads_once_polls_lists_errors_and_confirms(
        personas, assigned, cycle, services_register, clock, django_capture_on_commit_callbacks):
    mf = personas.registry.ministry.bin
    committed = django_capture_on_commit_callbacks  # the queued tasks run as the write commits
    client = api(token_for(personas.assessor, personas.admin, scopes=["imports:write"]))
    bad = [MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
           [mf, "00101001", "not a date", 100, 0, 0, 0, 0]]
    with committed(execute=True):
        batch = _upload(client, cycle, bad, name="bad.csv").json()
    detail = client.get(reverse("api:import_detail", args=[batch["id"]])).json()
    assert detail["state"] == "validated" and detail["rows_invalid"] == 1
    errors = client.get(reverse("api:import_errors", args=[batch["id"]])).json()
    assert errors["count"] == 1 and errors["results"][0]["row"] == 3
    assert errors["results"][0]["column"] == "date"
    en = api(token_for(personas.assessor, personas.admin, scopes=["imports:write"]), "en")
    assert en.get(reverse("api:import_errors", args=[batch["id"]])).json()["results"][0][
        "reason"] != errors["results"][0]["reason"]  # in the reader's language
    refused = client.post(reverse("api:import_confirm", args=[batch["id"]]))
    assert refused.status_code == 409

    good = [MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0]]
    with committed(execute=True):
        first = _upload(client, cycle, good, key="upload-1")
    second = _upload(client, cycle, good, key="upload-1")  # a retried upload
    assert first.status_code == 201 and second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and second.json()["id"] == first.json()["id"]
    assert ImportBatch.objects.filter(sha256=first.json()["sha256"]).count() == 1
    changed = _upload(client, cycle, [*good, [mf, "00101001", "2025-03-15", 1, 0, 0, 0, 0]],
                      key="upload-1")
    assert changed.status_code == 422

    confirm = reverse("api:import_confirm", args=[first.json()["id"]])
    with committed(execute=True):
        applied = client.post(confirm, HTTP_IDEMPOTENCY_KEY="confirm-1")
    assert applied.status_code == 200 and applied.json()["state"] == "applying"  # queued
    polled = client.get(reverse("api:import_detail", args=[first.json()["id"]])).json()
    assert polled["state"] == "applied" and polled["rows_created"] == 1
    assert client.post(confirm, HTTP_IDEMPOTENCY_KEY="confirm-1").json() == applied.json()
    assert client.post(confirm).status_code == 409  # a second confirmation is refused
    assert ImportRecord.objects.count() == 1
    assert ImportBatch.objects.get(pk=first.json()["id"]).applied_by == personas.assessor

    # the ministry's own staff may not import; a body's person sees no imports
    head = api(token_for(personas.head, personas.admin, scopes=["imports:write"]))
    assert _upload(head, cycle, good).status_code == 403
    assert head.get(reverse("api:import_detail", args=[batch["id"]])).status_code == 404


def test_a_token_of_one_body_reads_nothing_of_another(personas, assigned, cycle, schedule):
    r = personas.registry
    own = api(token_for(personas.local_head, personas.admin))
    _open(own, cycle, r.akimat)
    other_head = api(token_for(personas.head, personas.admin))
    mine = _open(other_head, cycle, r.ministry, "services")
    bodies = {b["id"] for b in own.get(reverse("api:body_list")).json()["results"]}
    assert r.akimat.pk in bodies and r.ministry.pk not in bodies
    assert own.get(reverse("api:body_detail", args=[r.ministry.pk])).status_code == 404
    assert own.get(reverse("api:report_detail", args=[mine["id"]])).status_code == 404
    listed = own.get(reverse("api:report_list")).json()["results"]
    assert listed and {x["body"] for x in listed} == {r.akimat.pk}
    assert own.get(reverse("api:report_list"), {"body": r.ministry.pk}).json()["count"] == 0
    assert own.get(reverse("api:conclusion_list")).json()["count"] == 0
    assert own.get(reverse("api:score_list"), {"bin": r.ministry.bin}).json()["count"] == 0
