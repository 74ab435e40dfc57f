"""The cycle's page with its schedule, the coordinator's edit, assignments, the home page and the
audit log."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import AssessorAssignment, AuditEntry, Milestone
from assessments.registry.services.cycles import cycle_create, cycle_set_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(personas, clock):
    cycle = cycle_create(actor=None, code="2025", year=2025, edition="2023")
    cycle_set_current(actor=None, cycle=cycle)
    return cycle


def test_the_cycle_page_shows_the_schedule_with_days_left(personas, client, current):
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
                                                                         current):
    milestone = Milestone.objects.get(cycle=current, code="appeals")
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


def test_others_may_not_edit_the_schedule(personas, client, current):
    milestone = Milestone.objects.get(cycle=current, code="appeals")
    url = reverse("registry:milestone_edit", args=["2025", milestone.pk])
    for user in (personas.assessor, personas.submitter, personas.signatory):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"due_on": "2026-05-01", "reason": "x"}).status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).due_on == milestone.due_on
    client.force_login(personas.coordinator)
    other = reverse("registry:milestone_edit", args=["nope", milestone.pk])
    assert client.get(other).status_code == 404


def test_assigning_and_removing_an_assessor_through_the_pages(personas, client, current):
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


def test_home_shows_roles_next_milestones_counts_and_todos(personas, client, current):
    from assessments.registry.services.assignments import assessor_assign

    assessor_assign(actor=None, cycle=current, body=personas.registry.ministry,
                    direction="services", assessor=personas.assessor)
    client.force_login(personas.assessor)
    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    assert 'data-testid="role-assessor"' in content
    assert [row.milestone.code for row in response.context["schedule"]] == [
        "conclusions", "appeals", "block_conclusions"
    ]
    assert response.context["counts"] == {"central": 5, "local": 1}
    todo = response.context["todos"][0]
    assert todo.count == 1 and todo.url.endswith("?mine=1")


def test_home_to_dos_for_the_coordinator_and_a_body(personas, client, current, clock):
    clock.set_now("2026-01-10T09:00:00")
    client.force_login(personas.coordinator)
    todos = client.get(reverse("portal:home")).context["todos"]
    assert todos and todos[0].count > 0 and todos[0].days_left == 10
    client.force_login(personas.submitter)
    todos = client.get(reverse("portal:home")).context["todos"]
    assert [t.due_on for t in todos] == [date(2026, 1, 20)]
    content = client.get(reverse("portal:home")).content.decode()
    assert "осталось 10 дн." in content


def test_the_audit_log_is_for_administrators(personas, client, current):
    url = reverse("portal:audit_log")
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(personas.admin)
    response = client.get(url, {"action": "create"})
    assert response.status_code == 200
    assert {e.action for e in response.context["page"].object_list} == {"create"}
