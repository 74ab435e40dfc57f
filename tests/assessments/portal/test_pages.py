"""The portal's pages: the home page (roles, next milestones, counts, to-dos with their days
left) and the audit log, for administrators only."""

from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_roles_next_milestones_counts_and_todos(personas, client, current_cycle):
    from assessments.registry.services.assignments import assessor_assign

    assessor_assign(actor=None, cycle=current_cycle, body=personas.registry.ministry,
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


def test_home_to_dos_for_the_coordinator_and_a_body(personas, client, current_cycle, clock):
    clock.set_now("2026-01-10T09:00:00")
    client.force_login(personas.coordinator)
    todos = client.get(reverse("portal:home")).context["todos"]
    assert todos and todos[0].count > 0 and todos[0].days_left == 10
    client.force_login(personas.submitter)
    todos = client.get(reverse("portal:home")).context["todos"]
    assert [t.due_on for t in todos] == [date(2026, 1, 20)]
    content = client.get(reverse("portal:home")).content.decode()
    assert "осталось 10 дн." in content


def test_the_audit_log_is_for_administrators(personas, client, current_cycle):
    url = reverse("portal:audit_log")
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(personas.admin)
    response = client.get(url, {"action": "create"})
    assert response.status_code == 200
    assert {e.action for e in response.context["page"].object_list} == {"create"}
