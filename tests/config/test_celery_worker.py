"""A real task through a real Celery worker against the real Redis (CI)."""

import pytest

from config.celery import app


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_a_calendar_task_and_renders_a_document(settings):
    from celery.contrib.testing.worker import start_worker

    from assessments.kernel.tasks import add_working_days_task
    from reporting.models import RenderedDocument
    from reporting.tasks import render_document

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = add_working_days_task.delay("2026-03-19", 5)
            assert result.get(timeout=60) == "2026-03-31"
            document = RenderedDocument.objects.create(kind="sample", language="ru")
            sha = render_document.delay(document.pk).get(timeout=120)
        document = RenderedDocument.objects.get(pk=document.pk)
        assert document.state == RenderedDocument.State.RENDERED
        assert document.sha256 == sha
        # sent without a job (as beat sends): the worker gave it a leased job row all the same
        from assessments.models import BackgroundJob

        job = BackgroundJob.objects.get(kind="assessments.tasks.add_working_days_task")
        assert job.state == "done" and job.attempts == 1 and job.task_args == ["2026-03-19", 5]
        assert job.result == {"value": "2026-03-31"} and job.heartbeat_at is not None
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
