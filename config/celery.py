"""Celery application: Redis broker and result backend from REDIS_URL; in-process without it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("opassess")
app.config_from_object("django.conf:settings", namespace="CELERY")
# ``<app>.tasks`` of every installed app, then ``assessments.<feature>.tasks`` of each feature
# package (autodiscovery looks only one level below an app). Every task has a fixed ``name=``:
# beat's schedule and queued messages name tasks by string, so a move never renames one.
app.autodiscover_tasks()


def _feature_packages() -> list[str]:
    from assessments.apps import FEATURES

    return [f"assessments.{feature}" for feature in FEATURES]


app.autodiscover_tasks(_feature_packages)
