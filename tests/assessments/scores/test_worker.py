"""The recompute through a real Celery worker on the real Redis (CI): the progress that the page
polls is written by the worker while the request that started it has long returned."""

from __future__ import annotations

import pytest

from config.celery import app
from tests.worlds.scores import case_for, make_body


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_recomputes_a_cycle_and_reports_progress(settings):
    from celery.contrib.testing.worker import start_worker

    from assessments.kernel.jobs import job_create
    from assessments.models import BackgroundJob, Cycle, ScoreSheet
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import RECOMPUTE_KIND
    from assessments.scores.tasks import recompute_cycle

    cycle = Cycle.objects.create(code="w2025", year=2025, edition="2023")
    bodies = [make_body(f"W{i}") for i in range(3)] + [make_body("WL", kind="local")]
    for body in bodies:
        scoring_input_load_case(cycle=cycle, body=body, case=case_for(body), actor=None,
                                reason="")  # fmt: skip
    job = job_create(kind=RECOMPUTE_KIND, label="worker", subject=cycle)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            summary = recompute_cycle.delay(cycle.pk, job_id=job.pk).get(timeout=120)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.state == "done" and job.done == job.total == 4
    # The loads queued each body's own recompute; whichever ran first, every sheet is there once.
    assert summary["sheets_created"] + summary["sheets_kept"] == 16
    assert ScoreSheet.objects.filter(cycle=cycle, is_current=True).count() == 16
