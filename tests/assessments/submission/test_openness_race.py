"""Two assessors give the first score of one openness cell at the same moment (PostgreSQL, two
connections): both read the cell as empty, one insert wins, the other is told who scored it —
no IntegrityError reaches the page."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessments.kernel.errors import DomainError
from assessments.models import OpennessScore
from assessments.submission.services import openness
from assessments.submission.services.reports import EditConflict
from tests.worlds.factories import member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_first_scores_of_one_cell_at_once(monkeypatch, clock, assigned, cycle):
    body = assigned.registry.ministry
    second_user = member(assigned.registry.miod, "assessor", "assessor_openness_b",
                         direction="openness")
    _assign(second_user, cycle, body)  # only assigned assessors score (issue 16)
    real = openness._locked_cell
    both_read = threading.Barrier(2, timeout=10)
    reads: dict[str, int] = {}

    def read_then_wait(cell):
        row = real(cell)
        name = threading.current_thread().name
        reads[name] = reads.get(name, 0) + 1
        if reads[name] == 1:
            both_read.wait()  # both have seen the cell empty before either inserts
        return row

    monkeypatch.setattr(openness, "_locked_cell", read_then_wait)
    results: dict[str, object] = {}

    def run(name, user, value):
        try:
            results[name] = openness.openness_score_set(
                actor=user, cycle=cycle, body=body, criterion="open_data",
                indicator="published", column="kk", value=value, expected_version=0)
        except DomainError as error:
            results[name] = error
        except Exception as error:  # noqa: BLE001 — the test reports what escaped
            results[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, name=name, args=(name, user, value))
               for name, user, value in (("a", assigned.assessor_other_direction, "1"),
                                         ("b", second_user, "2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    conflicts = [r for r in results.values() if isinstance(r, EditConflict)]
    saved = [r for r in results.values() if isinstance(r, OpennessScore)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    stored = OpennessScore.objects.get(body=body, criterion="open_data", indicator="published",
                                       column="kk")
    assert stored.value == Decimal(saved[0].value)
    assert "уже изменил(а)" in conflicts[0].message
    assert str(stored.scored_by) in conflicts[0].message


def _assign(user, cycle, body) -> None:
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    AssessorAssignment.objects.create(cycle=cycle, body=body, direction="openness",
                                      assessor=user, assigned_at=clock.now())
