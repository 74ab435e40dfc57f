"""The home-page to-dos of scores: input changed since the last recompute (administrators),
incomplete input (the body's staff)."""

from __future__ import annotations

from assessments.scores.services.scoring_inputs import scoring_input_load_case
from tests.worlds.scores import case_for, make_body


def test_todos(scores_cycle, django_user_model):
    from assessments.kernel.todos import todos_for
    from assessments.models import Membership
    from assessments.scores.services.scoring_inputs import scoring_input_set

    body = make_body("A")
    admin = django_user_model.objects.create(username="root", is_superuser=True)
    staff = django_user_model.objects.create(username="staff")
    Membership.objects.create(user=staff, organisation=body, role="body_submitter")
    scoring_input_load_case(
        cycle=scores_cycle, body=body, case=case_for(body), actor=None, reason=""
    )
    titles = [t.title for t in todos_for(admin, scores_cycle, scores_cycle.period_end)]
    assert "Исходные данные изменились после последнего пересчёта оценок" in titles
    assert not any(
        "неполные" in t.title for t in todos_for(staff, scores_cycle, scores_cycle.period_end)
    )
    scoring_input_set(
        cycle=scores_cycle,
        body=body,
        values={"complaints": None},
        sources={},
        actor=None,
        reason="",
    )
    scoring_input_set(
        cycle=scores_cycle,
        body=body,
        values={"complaints.handled": 3},
        sources={"complaints.handled": {"kind": "report", "ref": "", "label": ""}},
        actor=None,
        reason="",
    )
    staff_todos = todos_for(staff, scores_cycle, scores_cycle.period_end)
    assert [t.count for t in staff_todos if "неполные" in t.title] == [1]
