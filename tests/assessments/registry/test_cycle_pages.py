"""The cycle's page with its schedule, the coordinator's edit, assignments through the pages (the
home page and the audit log: tests/assessments/portal/test_pages.py)."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import AssessorAssignment, AuditEntry, Milestone

pytestmark = pytest.mark.django_db


def test_the_cycle_page_shows_the_schedule_with_days_left(personas, client, current_cycle):
    client.force_login(personas.submitter)
    response = client.get(reverse("registry:cycle_detail", args=["2025"]))
    assert response.status_code == 200
    rows = {row.milestone.code: row for row in response.context["schedule"]}
    # the clock fixture: 19 March 2026; conclusions are due that day
    assert rows["conclusions"].milestone.due_on == date(2026, 3, 19)
    assert rows["conclusions"].is_today and rows["submission"].is_past
    assert rows["appeals"].days_left == (rows["appeals"].milestone.due_on - date(2026, 3, 19)).days
    assert b"edit-milestone" not in response.content  # not the coordinator


def test_the_coordinator_edits_a_milestone_and_the_page_shows_the_change(personas, client,
                                                                         current_cycle):
    milestone = Milestone.objects.get(cycle=current_cycle, code="appeals")
    url = reverse("registry:milestone_edit", args=["2025", milestone.pk])
    client.force_login(personas.coordinator)
    assert b"edit-milestone-appeals" in client.get(reverse("registry:cycle_detail",
                                                           args=["2025"])).content
    assert client.get(url).status_code == 200
    missing_reason = client.post(url, {"due_on": "2026-04-24", "note": ""})
    assert missing_reason.status_code == 200 and missing_reason.context["form"].errors
    response = client.post(url, {"due_on": "2026-04-24", "note": "", "reason": "Письмо АП"})
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).due_on == date(2026, 4, 24)
    entry = AuditEntry.objects.for_object(milestone).get(action="update")
    assert entry.actor == personas.coordinator and entry.reason == "Письмо АП"
    page = client.get(reverse("registry:cycle_detail", args=["2025"])).content.decode()
    assert "24 апреля 2026" in page


def test_others_may_not_edit_the_schedule(personas, client, current_cycle):
    milestone = Milestone.objects.get(cycle=current_cycle, code="appeals")
    url = reverse("registry:milestone_edit", args=["2025", milestone.pk])
    for user in (personas.assessor, personas.submitter, personas.signatory):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"due_on": "2026-05-01", "reason": "x"}).status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).due_on == milestone.due_on
    client.force_login(personas.coordinator)
    other = reverse("registry:milestone_edit", args=["nope", milestone.pk])
    assert client.get(other).status_code == 404


def test_assigning_and_removing_an_assessor_through_the_pages(personas, client, current_cycle):
    r = personas.registry
    url = reverse("registry:cycle_assignments", args=["2025"])
    client.force_login(personas.unit_head)
    response = client.post(url, {"body": r.ministry.pk, "direction": "services",
                                 "assessor": personas.assessor.pk, "reason": "plan"})
    assert response.status_code == 302
    assignment = AssessorAssignment.objects.get()
    refused = client.post(url, {"body": r.ministry.pk, "direction": "openness",
                                "assessor": personas.assessor.pk})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    remove = reverse("registry:assignment_remove", args=[assignment.pk])
    client.force_login(personas.assessor)
    assert client.get(remove).status_code == 403
    assert client.post(url, {"body": r.ministry.pk, "direction": "services",
                             "assessor": personas.assessor.pk}).status_code == 403
    mine = client.get(url, {"mine": 1})
    assert list(mine.context["assignments"]) == [assignment]
    client.force_login(personas.unit_head)
    assert client.post(remove, {"reason": "conflict"}).status_code == 302
    assert AssessorAssignment.objects.get().removed_at is not None
    client.force_login(personas.assessor_other_direction)
    assert client.get(remove).status_code == 404
