"""Two people acting on one report at the same moment (PostgreSQL, real row locks).

An assessor accepts while another returns it: exactly one wins, the other is told the report
is no longer under review, and the log holds one transition. The first test proves the race is
real: with the row lock taken away, both "succeed" and the second silently overwrites the first
(two log rows, the accepted data reopened) — so the second test would catch a missing lock.
"""

import threading

import pytest
from django.db import connection
from django_fsm_log.models import StateLog

from assessments.kernel.errors import DomainError
from assessments.models import Report, ReportSection
from assessments.submission.services import reports as report_services
from assessments.submission.services.reports import (
    report_get_or_create,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def under_review(clock, assigned, cycle, schedule, services_register):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    for key, data in sample_sections("complaints", "central").items():
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=assigned.head, report=report, key=key, data=data,
                            expected_version=row.version if row else 0)
    report_submit(actor=assigned.head, report=report)
    return report_start_review(actor=assigned.committee_assessor, report=report)


def race(monkeypatch, first, second, *, hold_lock: bool):
    """Run ``first`` and ``second`` in two threads (two connections); ``first`` holds the
    report's row (or, without ``hold_lock``, merely its stale copy) while ``second`` starts."""
    original = report_services._lock
    first_has_row = threading.Event()
    results: dict[str, object] = {}

    def lock(report):
        if hold_lock:
            row = original(report)
        else:  # the same read without FOR UPDATE: what the code would do without the lock
            row = Report.objects.select_related("body", "cycle").get(pk=report.pk)
        if threading.current_thread().name == "first":
            first_has_row.set()
            # keep the row while the second one starts (it must wait for the lock, if any)
            threading.Event().wait(0.5)
        return row

    monkeypatch.setattr(report_services, "_lock", lock)

    def run(name, action):
        try:
            if name == "second":
                first_has_row.wait(10)
            results[name] = action()
        except DomainError as error:
            results[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name, action), name=name)
               for name, action in (("first", first), ("second", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def accept_and_return(assigned, report):
    reviewer = assigned.committee_assessor
    return (
        lambda: report_services.report_accept(actor=reviewer, report=report),
        lambda: report_services.report_return(actor=reviewer, report=report,
                                               comments={"complaints": "Сверьте данные."}),
    )


def test_without_the_row_lock_the_second_silently_overwrites_the_first(
        monkeypatch, assigned, under_review):
    first, second = accept_and_return(assigned, under_review)
    results = race(monkeypatch, first, second, hold_lock=False)
    assert not any(isinstance(r, DomainError) for r in results.values())  # both "succeeded"
    transitions = set(StateLog.objects.filter(object_id=under_review.pk)
                      .values_list("transition", flat=True))
    assert {"accept", "return_for_rework"} <= transitions


def test_with_the_row_lock_one_wins_and_the_other_is_told(monkeypatch, assigned, under_review):
    first, second = accept_and_return(assigned, under_review)
    results = race(monkeypatch, first, second, hold_lock=True)
    assert isinstance(results["first"], Report) and results["first"].state == "accepted"
    refused = results["second"]
    assert isinstance(refused, DomainError)
    assert "только отчёт на рассмотрении" in refused.message
    report = Report.objects.get(pk=under_review.pk)
    assert report.state == "accepted" and report.returned_times == 0
    transitions = list(StateLog.objects.filter(object_id=report.pk)
                       .values_list("transition", flat=True))
    assert transitions.count("accept") == 1 and "return_for_rework" not in transitions
