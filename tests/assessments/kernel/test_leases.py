"""Leases, the outbox and the sweep, in this process (the real worker and the real faults are in
test_job_faults.py): a lapsed job is resumed, then failed with its leftovers cleaned up; a job
delivered twice runs once; an overtaken run commits nothing; a stale job blocks nothing; a batch
is discarded in every state but applied; the broker away keeps the job in the outbox until the
sweep sends it; the operators' page lists, retries and cancels."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.kernel import leases
from assessments.kernel.jobs import job_active, job_create
from assessments.models import BackgroundJob, ImportBatch, ImportRecord, ImportStagingRow
from assessments.submission import tasks as submission_tasks
from assessments.submission.imports import pipeline
from config.celery import app
from tests.worlds.samples import MONITORING_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Messages handed to the broker (recorded, not sent), the broker reachable."""
    calls = []
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    monkeypatch.setattr(leases, "broker_reachable", lambda timeout=0.5: True)
    monkeypatch.setattr(leases, "_broker_down_until", 0.0)
    for task in (submission_tasks.import_validate, submission_tasks.import_apply):
        monkeypatch.setattr(task, "apply_async", lambda args=(), kwargs=None, _t=task, **o:
                            calls.append((_t.name, tuple(args), kwargs["_job"])))
    yield calls
    app.conf.task_always_eager = eager


def _rows(assigned, n=2):
    mf = assigned.registry.ministry.bin
    return csv_bytes([MONITORING_HEADER] + [[mf, "00101001", f"2025-03-{10 + i}", 100, 0, 0, 0, 0]
                                            for i in range(n)])


def _upload(assigned, cycle, capture, n=2):
    with capture(execute=True):
        return pipeline.import_upload(actor=assigned.assessor, cycle=cycle, kind="monitoring",
                                      upload=io.BytesIO(_rows(assigned, n)), original_name="a.csv")


def _job(batch, kind="import_validate"):
    return BackgroundJob.objects.filter(kind=kind, object_id=batch.pk).order_by("-id").first()


def _lost_worker(job, *, attempts: int):
    """What a worker killed mid-job leaves: the job running, its heartbeat old."""
    BackgroundJob.objects.filter(pk=job.pk).update(
        state="running", lease_owner="dead", attempts=attempts,
        heartbeat_at=timezone.now() - timedelta(seconds=leases.lease_seconds() + 5))


def test_a_lapsed_validation_is_resumed_then_failed_with_its_staged_rows_deleted(
        assigned, cycle, services_register, sent, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    batch = _upload(assigned, cycle, capture)
    job = _job(batch)
    assert sent == [("assessments.tasks.import_validate", (batch.pk,), job.pk)]
    pipeline.import_validate(batch_id=batch.pk)  # rows staged, then the worker "dies" mid-way
    ImportBatch.objects.filter(pk=batch.pk).update(state="validating")
    _lost_worker(job, attempts=1)
    assert job_active(kind="import_validate", subject=batch) is None  # stale blocks nothing

    with capture(execute=True):
        assert leases.jobs_sweep()["resumed"] == [job.pk]
    job.refresh_from_db()
    assert job.state == "queued" and job.reason == {"code": "lease_lapsed", "params": {
        "seconds": int(leases.lease_seconds()), "attempt": 2, "max": 3}}
    assert sent[-1] == ("assessments.tasks.import_validate", (batch.pk,), job.pk)
    assert "попытка 2 из 3" in leases.reason_text(job.reason)

    _lost_worker(job, attempts=3)  # lost on its last attempt too
    with capture(execute=True):
        assert leases.jobs_sweep()["failed"] == [job.pk]
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.state == "failed" and job.reason["code"] == "lease_lapsed_final"
    assert batch.state == "failed" and batch.reason == {"code": "worker_lost",
                                                        "params": {"attempts": 3}}
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert leases.jobs_sweep() == {"resumed": [], "failed": [], "sent": [], "resent": [],
                                   "pruned": 0}  # idempotent


def test_a_job_delivered_twice_runs_once_and_a_live_lease_is_left_alone(
        assigned, cycle, services_register, sent, django_capture_on_commit_callbacks):
    batch = _upload(assigned, cycle, django_capture_on_commit_callbacks)
    job = _job(batch)
    task = submission_tasks.import_validate
    BackgroundJob.objects.filter(pk=job.pk).update(state="running", lease_owner="alive",
                                                   heartbeat_at=timezone.now())
    assert task.apply(args=[batch.pk], kwargs={"_job": job.pk}).get() == {
        "job": job.pk, "skipped": True}  # another worker holds it: nothing done
    assert ImportBatch.objects.get(pk=batch.pk).state == "uploaded"
    _lost_worker(job, attempts=1)
    assert task.apply(args=[batch.pk], kwargs={"_job": job.pk}).get()["state"] == "validated"
    job.refresh_from_db()
    assert job.state == "done" and job.attempts == 2 and not job.lease_owner
    assert task.apply(args=[batch.pk], kwargs={"_job": job.pk}).get()["skipped"]  # redelivered
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 2


def test_an_overtaken_apply_commits_nothing_and_leaves_the_batch_to_the_new_owner(
        assigned, cycle, services_register, sent, django_capture_on_commit_callbacks):
    """The fence at the apply's commit (the real stalled worker: test_job_faults.py): the job
    taken over while the apply ran, the whole apply rolls back and the batch stays APPLYING for
    the worker that took over; outside a lease the fence does nothing, a fault point neither."""
    capture = django_capture_on_commit_callbacks
    batch = _upload(assigned, cycle, capture)
    pipeline.import_validate(batch_id=batch.pk)
    with capture(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=assigned.assessor)
    job = _job(batch, "import_apply")
    token = leases._claim(job.pk)
    with leases._Lease(job.pk, token, beat=False):
        leases.job_fence()  # still its own: renewed, nothing raised
        leases.fault_point("render.commit")  # no JOBS_FAULT_DIR: inert
        BackgroundJob.objects.filter(pk=job.pk).update(lease_owner="the-next-worker")
        with pytest.raises(leases.JobStopped):
            pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert not ImportRecord.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).state == "applying"  # not failed: not its own
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 2
    assert BackgroundJob.objects.get(pk=job.pk).lease_owner == "the-next-worker"
    leases.job_fence()  # no lease: nothing
    assert pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor).state == "applied"


def test_a_validation_left_validating_restarts_from_the_first_row(
        assigned, cycle, services_register, sent, django_capture_on_commit_callbacks):
    batch = _upload(assigned, cycle, django_capture_on_commit_callbacks, n=3)
    pipeline.import_validate(batch_id=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(state="validating")  # the worker was lost
    assert pipeline.import_validate(batch_id=batch.pk).state == "validated"
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 3  # none twice


@pytest.mark.parametrize("state", ["uploaded", "validating", "applying", "failed"])
def test_a_batch_is_discarded_in_every_state_but_applied_and_its_jobs_cancelled(
        state, assigned, cycle, services_register, sent, django_capture_on_commit_callbacks,
        client):
    capture = django_capture_on_commit_callbacks
    actor = assigned.assessor
    batch = _upload(assigned, cycle, capture)
    if state != "uploaded":
        pipeline.import_validate(batch_id=batch.pk)
    if state == "applying":
        with capture(execute=True):
            pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    ImportBatch.objects.filter(pk=batch.pk).update(state=state)
    job = _job(batch, "import_apply" if state == "applying" else "import_validate")
    BackgroundJob.objects.filter(pk=job.pk).update(state="queued")
    client.force_login(actor)
    url = reverse("submission:import_detail", args=[batch.pk])
    assert 'data-testid="discard-import"' in client.get(url).content.decode()
    client.post(url, {"action": "discard"})
    batch.refresh_from_db()
    job.refresh_from_db()
    assert batch.state == "discarded" and job.state == "cancelled"
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    task = submission_tasks.import_apply if state == "applying" else \
        submission_tasks.import_validate
    args = [batch.pk, actor.pk] if state == "applying" else [batch.pk]
    assert task.apply(args=args, kwargs={"_job": job.pk}).get()["skipped"]  # its late message
    assert ImportBatch.objects.get(pk=batch.pk).state == "discarded"
    assert not ImportRecord.objects.exists()


def test_a_nul_byte_is_a_row_error_and_fails_the_batch(
        assigned, cycle, services_register, sent, django_capture_on_commit_callbacks):
    content = _rows(assigned, 3).replace(b"2025-03-11,100", b"2025-03-11,1\x0000")
    batch = _upload(assigned, cycle, django_capture_on_commit_callbacks)
    ImportBatch.objects.filter(pk=batch.pk).update(size=len(content))
    batch.file.storage.delete(batch.file.name)
    batch.file.storage.save(batch.file.name, io.BytesIO(content))
    batch = pipeline.import_validate(batch_id=batch.pk)
    assert batch.state == "failed" and batch.reason == {"code": "invalid_bytes",
                                                        "params": {"n": 1}}
    assert batch.errors == [{"row": 3, "column": "rendered", "code": "nul_byte",
                             "params": None}]
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert pipeline._clean({"a": ["x\x00y"]}) == {"a": ["x\\x00y"]}


def test_the_broker_away_keeps_the_job_in_the_outbox_until_the_sweep_sends_it(
        assigned, cycle, services_register, sent, monkeypatch,
        django_capture_on_commit_callbacks):
    probes = []
    monkeypatch.setattr(leases, "broker_reachable",
                        lambda timeout=0.5: probes.append(timeout) or False)
    batch = _upload(assigned, cycle, django_capture_on_commit_callbacks)
    job = _job(batch)
    assert job.state == "queued" and job.sent_at is None and job.send_error
    assert sent == [] and len(probes) == 1
    assert "снова будет доступна" in leases.job_status(job)
    leases.job_send(job.pk)  # a second send within the back-off does not even probe
    assert len(probes) == 1
    monkeypatch.setattr(leases, "broker_reachable", lambda timeout=0.5: True)
    monkeypatch.setattr(leases, "_broker_down_until", 0.0)
    assert leases.jobs_sweep()["sent"] == [job.pk]
    job.refresh_from_db()
    assert job.sent_at is not None and job.send_error == "" and sent[-1][2] == job.pk


def test_a_lost_message_is_sent_again(assigned, cycle, services_register, sent,
                                      django_capture_on_commit_callbacks):
    batch = _upload(assigned, cycle, django_capture_on_commit_callbacks)
    job = _job(batch)
    BackgroundJob.objects.filter(pk=job.pk).update(
        sent_at=timezone.now() - leases.resend_after() - timedelta(seconds=1))
    assert leases.jobs_sweep()["resent"] == [job.pk]
    assert len(sent) == 2


def test_a_stale_recompute_does_not_block_the_next(scores_cycle, django_user_model):
    from assessments.scores.services.sheets import RECOMPUTE_KIND

    stale = job_create(kind=RECOMPUTE_KIND, label="x", subject=scores_cycle)
    _lost_worker(stale, attempts=1)
    assert job_active(kind=RECOMPUTE_KIND, subject=scores_cycle) is None
    live = job_create(kind=RECOMPUTE_KIND, label="y", subject=scores_cycle)
    assert job_active(kind=RECOMPUTE_KIND, subject=scores_cycle) == live


def test_the_operators_page_lists_retries_and_cancels(
        client, personas, assigned, cycle, services_register, sent,
        django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    stale_batch = _upload(assigned, cycle, capture)
    stale = _job(stale_batch)
    _lost_worker(stale, attempts=1)
    waiting = _job(_upload(assigned, cycle, capture))
    BackgroundJob.objects.filter(pk=waiting.pk).update(sent_at=None, send_error="refused")
    failed = job_create(kind="x", label="broken", subject=cycle)
    BackgroundJob.objects.filter(pk=failed.pk).update(
        state="failed", error="Boom", finished_at=timezone.now(), reason={"code": "error"},
        task_name="assessments.tasks.import_validate", task_args=[stale_batch.pk])
    url = reverse("portal:job_list")
    for user in (personas.submitter, assigned.assessor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("portal:job_action", args=[waiting.pk]),
                           {"action": "cancel"}).status_code == 403
    client.force_login(personas.coordinator)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="nav-jobs"' in home
    page = client.get(url).content.decode()
    for group, job in (("stale", stale), ("waiting", waiting), ("failed", failed)):
        section = page.split(f'data-testid="jobs-{group}"', 1)[1].split("</section>", 1)[0]
        assert f'data-testid="job-row-{job.pk}"' in section, group
    assert "Исполнитель не отвечает" in page and "Boom" in page
    with capture(execute=True):
        client.post(reverse("portal:job_action", args=[waiting.pk]), {"action": "cancel"})
        client.post(reverse("portal:job_action", args=[failed.pk]), {"action": "retry"})
    waiting.refresh_from_db()
    failed.refresh_from_db()
    assert waiting.state == "cancelled" and waiting.reason["code"] == "cancelled"
    assert failed.state == "queued" and failed.attempts == 0 and failed.reason["code"] == "retried"
    assert sent[-1] == ("assessments.tasks.import_validate", (stale_batch.pk,), failed.pk)


def test_a_rendering_whose_worker_is_lost_for_good_leaves_its_document_failed(monkeypatch):
    from reporting import tasks as reporting_tasks
    from reporting.models import RenderedDocument
    from reporting.services import document_request

    monkeypatch.setattr(reporting_tasks.render_document, "apply_async",
                        lambda args=(), kwargs=None, **options: None)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        document = document_request(kind="sample")
    finally:
        app.conf.task_always_eager = eager
    job = BackgroundJob.objects.get(kind="render_document", object_id=document.pk)
    _lost_worker(job, attempts=3)
    assert leases.jobs_sweep()["failed"] == [job.pk]
    document.refresh_from_db()
    assert document.state == RenderedDocument.State.FAILED
    assert "пропадал 3 раз" in document.error


def test_an_evidence_check_lost_for_good_refuses_the_document_and_says_why(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    from assessments.models import Evidence, Notification, RefusedUpload
    from assessments.submission.services.evidence import evidence_upload
    from assessments.submission.services.reports import report_get_or_create
    from tests.worlds.samples import pdf_bytes

    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    with django_capture_on_commit_callbacks(execute=False):  # the check never runs
        evidence = evidence_upload(actor=assigned.submitter, report=report,
                                   section_key="complaints", indicator="court_decisions",
                                   title="Решение суда", upload=pdf_bytes("Решение суда № 1"),
                                   original_name="a.pdf", classification="open")
    job = BackgroundJob.objects.get(kind="evidence_check", object_id=evidence.pk)
    _lost_worker(job, attempts=3)
    assert leases.jobs_sweep()["failed"] == [job.pk]
    assert not Evidence.objects.filter(pk=evidence.pk).exists()  # not "being checked" for ever
    refused = RefusedUpload.objects.get()
    assert (refused.code, refused.original_name, refused.user) == ("probe", "a.pdf",
                                                                   assigned.submitter)
    assert Notification.objects.filter(user=assigned.submitter,
                                       text__contains="не удалось проверить").exists()
    job.refresh_from_db()
    assert job.state == "failed" and job.reason["code"] == "lease_lapsed_final"


def test_an_overtaken_run_neither_advances_nor_finishes_the_job_it_lost():
    from assessments.kernel.jobs import job_running

    job = job_create(kind="recompute_cycle", label="пересчёт")
    BackgroundJob.objects.filter(pk=job.pk).update(task_name="assessments.tasks.recompute_cycle")
    token = leases._claim(job.pk)
    with leases._Lease(job.pk, token, beat=False):
        with pytest.raises(leases.JobStopped):
            with job_running(job.pk, total=3) as progress:
                progress.advance()  # its own: counted
                BackgroundJob.objects.filter(pk=job.pk).update(lease_owner="the-next-worker",
                                                               done=0)
                progress.advance()  # no longer its own: stops here, counts nothing
    job.refresh_from_db()
    assert (job.state, job.done, job.lease_owner) == ("running", 0, "the-next-worker")
    with leases._Lease(job.pk, token, beat=False):
        with pytest.raises(leases.JobStopped):
            with job_running(job.pk, total=7):  # nor restarts it
                pass
    job.refresh_from_db()
    assert (job.state, job.total) == ("running", 3)
