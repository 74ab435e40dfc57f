"""Celery application: Redis broker and result backend from REDIS_URL; in-process without it."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task is a job holding a lease while it runs (assessments/kernel/leases.py).
app = Celery("opassess", task_cls="assessments.kernel.leases:LeasedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
# ``<app>.tasks`` of every installed app, then ``assessments.<feature>.tasks`` of each feature
# package (autodiscovery looks only one level below an app). Every task has a fixed ``name=``:
# beat's schedule and queued messages name tasks by string, so a move never renames one.
app.autodiscover_tasks()


def _feature_packages() -> list[str]:
    from assessments.apps import FEATURES

    return [f"assessments.{feature}" for feature in FEATURES]


app.autodiscover_tasks(_feature_packages)


@worker_ready.connect
def _sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker (re)started: send what waited in the outbox and resume what a lost worker left,
    without waiting for the beat's next tick."""
    try:
        (sender.app if sender is not None else app).send_task("assessments.tasks.jobs_sweep")
    except Exception:  # the broker away again: the beat's sweep will do it
        pass
