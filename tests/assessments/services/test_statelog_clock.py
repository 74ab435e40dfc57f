"""Transitions are logged at the application clock's "now", like every other record."""

from datetime import datetime, timedelta

import pytest
from django_fsm_log.models import StateLog

from assessments.services import clock as app_clock

pytestmark = pytest.mark.django_db


def test_a_transition_logged_while_the_clock_is_moved_carries_the_clocks_time(clock, personas):
    clock.set_now("2026-04-08T14:30:00")
    log = StateLog.objects.create(
        by=personas.admin, state="b", source_state="a", transition="go",
        content_object=personas.admin, description="moved clock",
    )
    assert log.timestamp == app_clock.now()
    assert log.timestamp.date().isoformat() == "2026-04-08"


def test_an_explicit_timestamp_is_kept(clock, personas):
    at = app_clock.now() + timedelta(days=3)
    log = StateLog.objects.create(
        by=personas.admin, state="b", source_state="a", transition="go",
        content_object=personas.admin, timestamp=at,
    )
    assert StateLog.objects.get(pk=log.pk).timestamp == at


def test_without_a_frozen_clock_it_is_the_machines_time(personas):
    app_clock.set_now(None)
    before = datetime.now(app_clock.ZONE)
    log = StateLog.objects.create(
        by=personas.admin, state="b", source_state="a", transition="go",
        content_object=personas.admin,
    )
    assert before <= log.timestamp <= datetime.now(app_clock.ZONE)
