"""Jobs under real faults (PostgreSQL + Redis, real Celery worker processes): a worker killed with
SIGKILL during an import's validation, during its apply and during a batch of renderings, then a
worker started again; a worker stalled with SIGSTOP, overtaken, then woken; the broker
unreachable (a closed port) while an upload and a recompute are asked for; a CSV with a NUL byte
late in the file. Each ends finished or failed with its reason, nothing staged, applied or
rendered twice. Every wait has a hard limit (``wait_for``), the leases are short (heartbeat 1 s,
lapsed after 4 s: ``tests/worlds/workers.py``), and where a fault must land at one point of a
job, the worker waits there (``Barrier``: ``kernel.leases.fault_point``) until it has landed."""

from __future__ import annotations

import io
import signal
import socket
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django_fsm_log.models import StateLog

from assessments.models import BackgroundJob, ImportBatch, ImportRecord, ImportStagingRow
from assessments.submission.imports import pipeline
from config.celery import app
from tests.worlds.samples import MONITORING_HEADER, csv_bytes
from tests.worlds.workers import FAST_LEASES, Barrier, WorkerPool, flush_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
LAPSE = int(FAST_LEASES["JOBS_LEASE_SECONDS"]) + 1
HARD_LIMIT = 600  # seconds: each test, whatever hangs (every wait has its own, shorter limit)


@pytest.fixture(autouse=True)
def hard_limit():
    """A test here that hangs anywhere (a lock, a worker, the broker) fails after HARD_LIMIT
    seconds instead of holding CI: SIGALRM raises in the test (its workers are then killed)."""
    def expired(signum, frame):
        raise TimeoutError(f"past this test's hard limit of {HARD_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HARD_LIMIT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def real_broker(settings):
    """Tasks go to the real Redis (not in-process), the queue empty; the short leases here too."""
    flush_broker(settings.REDIS_URL)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.JOBS_LEASE_SECONDS = int(FAST_LEASES["JOBS_LEASE_SECONDS"])
    yield
    app.conf.task_always_eager = eager


def _monitoring(bin_, n: int) -> bytes:
    day = date(2025, 1, 1)
    rows = [MONITORING_HEADER]
    rows += [[bin_, "00101001" if i % 2 else "00201002",
              (day + timedelta(days=i % 365)).isoformat(), 100 + i % 7, i % 3, 0, i % 2, 0]
             for i in range(n)]
    return csv_bytes(rows)


def _job(batch, kind: str) -> BackgroundJob:
    return BackgroundJob.objects.filter(kind=kind, object_id=batch.pk).order_by("-id").first()


def _lapse(job: BackgroundJob) -> None:
    """Wait until the killed worker's lease has lapsed (no heartbeat for the lease's length)."""
    time.sleep(LAPSE)
    job.refresh_from_db()
    assert job.state == "running"  # nobody has touched it: the worker left no word


def test_sigkill_during_validation_restarts_it_and_stages_each_row_once(
        settings, tmp_path, real_broker, assigned, cycle, services_register):
    actor = assigned.assessor
    rows = 160_000  # several progress blocks of 50 000 rows
    with WorkerPool(settings, tmp_path) as pool:
        first = pool.start()
        batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(_monitoring(assigned.registry.ministry.bin,
                                                                     rows)),
                                       original_name="big.csv")
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).bytes_done > 0, timeout=90,
                 what=lambda: f"validation under way\n{pool.logs()}")
        first.kill()
        job = _job(batch, "import_validate")
        assert ImportBatch.objects.get(pk=batch.pk).state == "validating"
        assert ImportStagingRow.objects.filter(batch_id=batch.pk).exists()  # left by the killed
        _lapse(job)
        pool.start()  # its start sweeps: the lapsed job is queued again and restarts
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).state == "validated" and
                 BackgroundJob.objects.get(pk=job.pk).state == "done", timeout=120,
                 what=lambda: f"validated after the restart\n{pool.logs()}")
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.rows_total, batch.rows_valid, batch.rows_invalid) == (rows, rows, 0)
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == rows  # none twice
    assert job.state == "done" and job.attempts == 2
    assert job.reason["code"] == "lease_lapsed"
    transitions = list(StateLog.objects.for_(batch).order_by("timestamp", "pk").values_list(
        "transition", "source_state", "state"))
    assert transitions == [("start_validation", "uploaded", "validating"),
                           ("start_validation", "validating", "validating"),
                           ("finish_validation", "validating", "validated")]


def _apply_running() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state = 'active' AND pid <> pg_backend_pid() AND "
                       "query ILIKE '%%assessments_importrecord%%'")
        return cursor.fetchone()[0] > 0


def test_sigkill_during_apply_applies_it_once(
        settings, tmp_path, real_broker, assigned, cycle, services_register):
    actor = assigned.assessor
    rows = 120_000
    batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                   upload=io.BytesIO(_monitoring(assigned.registry.ministry.bin,
                                                                 rows)),
                                   original_name="apply.csv")
    # validated here, in this process (the same service the worker runs)
    BackgroundJob.objects.filter(kind="import_validate").update(state="cancelled")
    pipeline.import_validate(batch_id=batch.pk)
    keys = ImportStagingRow.objects.filter(batch_id=batch.pk).values("row_key").distinct().count()
    with WorkerPool(settings, tmp_path) as pool:
        first = pool.start()
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
        wait_for(_apply_running, timeout=90, every=0.02,
                 what=lambda: f"the apply's statement running\n{pool.logs()}")
        first.kill()
        job = _job(batch, "import_apply")
        assert ImportBatch.objects.get(pk=batch.pk).state == "applying"
        _lapse(job)
        assert not ImportRecord.objects.exists()  # the killed apply's transaction rolled back
        pool.start()
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).state == "applied" and
                 BackgroundJob.objects.get(pk=job.pk).state == "done", timeout=120,
                 what=lambda: f"applied after the restart\n{pool.logs()}")
    batch.refresh_from_db()
    job.refresh_from_db()
    assert ImportRecord.objects.filter(cycle=cycle, kind="monitoring").count() == keys
    assert batch.rows_created == keys and batch.rows_updated == 0
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert job.state == "done" and job.attempts == 2


def test_sigkill_during_a_rendering_batch_renders_each_document_once(
        settings, tmp_path, real_broker):
    from reporting.models import RenderedDocument
    from reporting.rendering import sha256_hex
    from reporting.services import document_request

    documents = [document_request(kind="sample", version=v) for v in range(1, 5)]
    jobs = BackgroundJob.objects.filter(kind="render_document")
    assert jobs.count() == 4 and not jobs.filter(sent_at__isnull=True).exists()
    held = documents[1]
    # the barrier: the worker rendering ``held`` waits after storing its file, before its commit
    hold = Barrier(tmp_path, "render.commit", key=held.pk)
    with WorkerPool(settings, tmp_path) as pool:
        first = pool.start(**hold.env)
        hold.wait_reached(timeout=90, what=lambda: f"the render held\n{pool.logs()}")
        lost = jobs.get(object_id=held.pk)
        assert lost.state == "running" and lost.attempts == 1  # its lease alive, at the barrier
        first.kill()  # lands while that render runs: its file stored, its row not committed
        assert RenderedDocument.objects.get(pk=held.pk).state != "rendered"
        before = dict(RenderedDocument.objects.filter(state="rendered").values_list(
            "pk", "rendered_at"))
        _lapse(lost)
        pool.start()  # no barrier for this one
        wait_for(lambda: RenderedDocument.objects.filter(state="rendered").count() == 4 and
                 not jobs.exclude(state="done").exists(), timeout=120,
                 what=lambda: f"all four rendered\n{pool.logs()}")
    assert RenderedDocument.objects.count() == 4
    lost.refresh_from_db()
    assert lost.state == "done" and lost.attempts == 2
    assert set(jobs.values_list("state", flat=True)) == {"done"}
    # the ones rendered before the kill were not rendered again; none of the others twice
    assert list(jobs.exclude(pk=lost.pk).values_list("attempts", flat=True)) == [1, 1, 1]
    assert before == dict(RenderedDocument.objects.filter(pk__in=before).values_list(
        "pk", "rendered_at"))
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "documents").rglob("*") if p.is_file())
    names = sorted(d.file.name.rsplit("/", 1)[-1]
                   for d in RenderedDocument.objects.filter(pk__in=[d.pk for d in documents]))
    assert stored == sorted(set(names))  # no partial or duplicated file left behind
    for document in RenderedDocument.objects.all():
        assert sha256_hex(document.file.read()) == document.sha256


def test_a_stalled_worker_overtaken_commits_nothing_when_it_wakes(
        settings, tmp_path, real_broker, assigned, cycle, services_register):
    """SIGSTOP (a stall, not a death) while a validation is about to commit its staged rows:
    the lease lapses, a second worker validates the whole file; SIGCONT: the first wakes, finds
    at its commit (``job_fence``) that the job is no longer its own and stops — nothing of it
    committed, the second's rows left alone, the job and the batch as the second left them."""
    rows = 300
    hold = Barrier(tmp_path, "validate.commit")
    with WorkerPool(settings, tmp_path) as pool:
        stalled = pool.start(**hold.env)
        batch = pipeline.import_upload(actor=assigned.assessor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(_monitoring(
                                           assigned.registry.ministry.bin, rows)),
                                       original_name="stall.csv")
        hold.wait_reached(timeout=90, what=lambda: f"the staging held\n{pool.logs()}")
        stalled.stop()  # SIGSTOP: its heartbeat stops too; its rows written, not committed
        hold.release()  # once woken it goes straight on to its commit
        job = _job(batch, "import_validate")
        _lapse(job)
        pool.start()
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).state == "validated" and
                 BackgroundJob.objects.get(pk=job.pk).state == "done", timeout=120,
                 what=lambda: f"validated by the second worker\n{pool.logs()}")
        assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == rows
        stalled.cont()  # SIGCONT: the overtaken worker wakes at its commit
        wait_for(lambda: any(end in stalled.output() for end in (" succeeded in ", " raised ")),
                 timeout=30, what=lambda: f"the woken worker's task ended\n{stalled.output()}")
        assert stalled.process.poll() is None  # alive
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == rows  # not 2×, not 0
    assert "stopped, its lease lost" in stalled.output()  # it did nothing more
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.state, batch.rows_total, batch.rows_valid) == ("validated", rows, rows)
    assert job.state == "done" and job.attempts == 2
    assert list(StateLog.objects.for_(batch).order_by("timestamp", "pk").values_list(
        "transition", flat=True)) == ["start_validation", "start_validation",
                                      "finish_validation"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_broker_at(url: str) -> None:
    """The app's broker moved: connections and producers made anew from the next send on."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    from assessments.kernel import leases

    leases._broker_down_until = 0.0


def test_broker_outage_answers_at_once_and_both_jobs_run_when_it_is_back(
        settings, tmp_path, real_broker, assigned, cycle, services_register, client, personas):
    from assessments.models import Cycle

    Cycle.objects.filter(pk=cycle.pk).update(is_current=True)
    real = app.conf.broker_url
    _point_broker_at(f"redis://127.0.0.1:{_closed_port()}/9")
    try:
        # a web process that has served pages before (what is timed is the broker's part)
        client.force_login(personas.coordinator)
        client.get(reverse("scores:cycle_recompute", args=[cycle.code]))
        client.force_login(assigned.assessor)
        client.get(reverse("submission:import_list"))
        upload = io.BytesIO(_monitoring(assigned.registry.ministry.bin, 3))
        upload.name = "during-outage.csv"
        started = time.monotonic()
        response = client.post(reverse("submission:import_list"),
                               {"kind": "monitoring", "file": upload})
        upload_seconds = time.monotonic() - started
        assert response.status_code == 302, response.content[:500]
        batch = ImportBatch.objects.get()
        client.force_login(personas.coordinator)
        started = time.monotonic()
        response = client.post(reverse("scores:cycle_recompute", args=[cycle.code]),
                               {"reason": "во время сбоя"})
        recompute_seconds = time.monotonic() - started
        assert response.status_code == 302
        assert upload_seconds < 3 and recompute_seconds < 3, (upload_seconds, recompute_seconds)
        validate, recompute = _job(batch, "import_validate"), BackgroundJob.objects.get(
            kind="recompute_cycle")
        for job in (validate, recompute):  # in the outbox, not lost, not sent
            assert job.state == "queued" and job.sent_at is None and job.send_error
        assert batch.state == "uploaded"
        page = client.get(response["Location"]).content.decode()
        assert "когда служба фоновых задач снова будет доступна" in page
        client.force_login(assigned.assessor)
        page = client.get(reverse("submission:import_detail", args=[batch.pk])).content.decode()
        assert "когда служба фоновых задач снова будет доступна" in page
        # a second recompute asked meanwhile is the same queued job, not a second one
        client.force_login(personas.coordinator)
        client.post(reverse("scores:cycle_recompute", args=[cycle.code]), {"reason": "ещё"})
        assert BackgroundJob.objects.filter(kind="recompute_cycle").count() == 1
    finally:
        _point_broker_at(real)
    with WorkerPool(settings, tmp_path) as pool:
        pool.start()  # the broker is back: the worker's start sends the outbox
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).state == "validated" and
                 BackgroundJob.objects.get(pk=recompute.pk).state == "done", timeout=120,
                 what=lambda: f"both jobs run\n{pool.logs()}")
    validate.refresh_from_db()
    assert validate.state == "done" and validate.attempts == 1 and validate.sent_at is not None
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 3


def test_a_nul_byte_late_in_a_csv_fails_the_validation_with_its_row_error(
        settings, tmp_path, real_broker, assigned, cycle, services_register, client):
    content = _monitoring(assigned.registry.ministry.bin, 400)  # well past the first 4 KB
    lines = content.split(b"\n")
    lines[350] = lines[350].replace(b",0,", b",\x000,", 1)
    content = b"\n".join(lines)
    assert content.index(b"\x00") > 4096
    with WorkerPool(settings, tmp_path) as pool:
        pool.start()
        batch = pipeline.import_upload(actor=assigned.assessor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(content), original_name="nul.csv")
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).state not in (
            "uploaded", "validating") and _job(batch, "import_validate").state == "done",
            timeout=90, what=lambda: f"validated\n{pool.logs()}")
    batch.refresh_from_db()
    assert batch.state == "failed" and batch.reason == {"code": "invalid_bytes", "params": {"n": 1}}
    assert [(e["row"], e["code"]) for e in batch.errors] == [(351, "nul_byte")]
    assert batch.errors[0]["column"] in MONITORING_HEADER
    assert (batch.rows_total, batch.rows_invalid) == (400, 1)
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert _job(batch, "import_validate").state == "done"
    client.force_login(assigned.assessor)
    page = client.get(reverse("submission:import_detail", args=[batch.pk])).content.decode()
    assert "нулевой байт" in page and "351" in page
