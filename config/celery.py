"""Celery application: Redis broker and result backend from REDIS_URL; in-process without it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("opassess")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
