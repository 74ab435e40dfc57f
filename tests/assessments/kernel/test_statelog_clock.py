"""Transitions are logged at the application clock's "now", like every other record."""

from datetime import datetime

import pytest
from django.conf import settings
from django_fsm_log.models import StateLog

from assessments.kernel import clock as app_clock
from assessments.models import ReportSection
from assessments.submission.services.reports import (
    report_get_or_create,
    report_section_save,
    report_submit,
)
from demo.submission import sample_sections

# As in tests/assessments/submission/: queued tasks run in this process, the default language
# active again after each test.
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("tasks_in_process", "default_language_after")]


@pytest.fixture
def filled(assigned, cycle, schedule, services_register):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    for key, data in sample_sections("complaints", "central").items():
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=assigned.head, report=report, key=key, data=data,
                            expected_version=row.version if row else 0)
    return report


def test_a_transition_made_while_the_clock_is_moved_is_logged_at_the_clocks_time(
        clock, assigned, filled):
    clock.set_now("2026-04-08T14:30:00")
    report_submit(actor=assigned.head, report=filled)
    log = StateLog.objects.get(object_id=filled.pk, transition="submit")
    assert log.timestamp == app_clock.now()
    assert log.by == assigned.head


def test_with_the_machines_clock_it_is_the_machines_time(assigned, filled):
    app_clock.set_now(None)
    before = datetime.now(app_clock.ZONE)
    report_submit(actor=assigned.head, report=filled)
    log = StateLog.objects.get(object_id=filled.pk, transition="submit")
    assert before <= log.timestamp <= datetime.now(app_clock.ZONE)


def test_the_field_itself_is_django_fsm_logs_own():
    """The clock comes in through the storage backend, so django-fsm-log's model and
    migrations stay as they are (``makemigrations --check`` is clean)."""
    backend = "assessments.kernel.statelog_clock.ClockBackend"
    assert settings.DJANGO_FSM_LOG_STORAGE_METHOD == backend
    from django.utils import timezone

    assert StateLog._meta.get_field("timestamp").default is timezone.now


def test_the_history_names_the_states_in_the_readers_language(clock, assigned, filled, client):
    """A transition's row prints the states' names, not their codes (the codes stay in the
    row's data)."""
    from django.utils import translation

    from assessments.kernel.audit import object_history

    report_submit(actor=assigned.head, report=filled)
    row = next(r for r in object_history(filled) if r.kind == "state")
    assert (row.action, row.changes) == ("submit", [("state", "draft", "submitted")])
    assert row.display_changes == [("Состояние", "Черновик", "Представлен")]
    assert row.display_action == "Представлен"
    with translation.override("en"):
        english = next(r for r in object_history(filled) if r.kind == "state")
        assert english.display_changes[0][1:] != ("Черновик", "Представлен")
