"""Re-verification tests: wherever a test uses the 2025 cycle, its assessors are assigned to the
ministry and the akimat on their directions — only assigned assessors record findings (issue 16).
A test about an unassigned assessor makes its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _assessors_assigned(request):
    if "cycle2025" not in request.fixturenames:
        return
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    personas = request.getfixturevalue("personas")
    cycle = request.getfixturevalue("cycle2025")
    r = personas.registry
    for assessor, direction in ((personas.assessor, "services"),
                                (personas.assessor_other_direction, "openness"),
                                (personas.committee_assessor, "complaints")):
        for body in (r.ministry, r.akimat):
            AssessorAssignment.objects.get_or_create(
                cycle=cycle, body=body, direction=direction, assessor=assessor,
                defaults={"assigned_at": clock.now()})


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """The tasks these tests queue (a document's quarantine check, e-mails) run in this process
    when their transaction commits, even where Redis is configured."""
