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
    from assessments.models import Report

    client.force_login(personas.submitter)
    assert client.get(reverse("portal:home")).context["todos"] == []  # nothing to submit
    report = Report.objects.create(cycle=current_cycle, body=personas.registry.ministry,
                                   direction="services")
    todos = client.get(reverse("portal:home")).context["todos"]
    assert [t.due_on for t in todos] == [date(2026, 1, 20)]
    assert todos[0].url == reverse("submission:report_detail", args=[report.pk])
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


def _home_queries(client) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_home_builds_the_schedule_once_and_reads_the_overrides_once(
    personas, client, current_cycle, clock
):
    """One milestone query and one working-day-override query per request (the panel shows the
    view's rows; today, the next working day and every milestone's working days left come from
    one window), and the page's query count is pinned."""
    from assessments.models import WorkingDayOverride

    clock.set_now("2026-01-10T09:00:00")
    # an override inside the window changes what the page says (it is read, and read once)
    WorkingDayOverride.objects.create(date=date(2026, 1, 12), kind="day_off",
                                      reason="decree")
    client.force_login(personas.coordinator)
    _home_queries(client)  # warm: session, content types
    queries = _home_queries(client)
    overrides = [q for q in queries if "assessments_workingdayoverride" in q]
    # the schedule's query (its four next milestones); the to-dos read a deadline of their own
    milestones = [q for q in queries if 'FROM "assessments_milestone"' in q and "LIMIT 4" in q]
    assert len(overrides) == 1, overrides
    assert len(milestones) == 1, milestones
    response = client.get(reverse("portal:home"))
    assert response.context["next_working_day"] == date(2026, 1, 13)
    assert response.content.decode().count('data-testid="schedule"') == 1
    assert len(queries) == HOME_QUERIES, "\n".join(queries)


# The coordinator's home page: session and user, the current cycle, the principal, the
# schedule, the overrides, the to-dos, the counts, the menu (17 when pinned; before, the
# schedule was built twice and the overrides read ten times per request); + the objections
# waiting for a commission to be formed (issue 21).
HOME_QUERIES = 18
