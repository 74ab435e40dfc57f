"""The what-if form reader, the demo scores step and the home-page to-dos of scores."""

from __future__ import annotations

from django.http import QueryDict

from assessments.models import BackgroundJob, Organisation, ScoreSheet, ScoringInput
from assessments.scores.fields import case_fields, error_text, form_initial, read_whatif_form
from assessments.scores.services.scoring_inputs import scoring_input_load_case
from assessments.scoring import ScoringError, score_case_dict
from tests.worlds.scores import case_for, make_body


def _post(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in data.items():
        q[k] = v
    return q


def test_form_round_trip_gives_back_the_case():
    case = case_for(Organisation(kind="central"))
    groups = case_fields("central")
    initial = form_initial(case, groups)
    data = _post({k: ("1" if v is True else v) for k, v in initial.items() if v not in ("", False)})
    again = read_whatif_form(case, groups, data, ("services", "openness", "complaints"))
    assert score_case_dict(again)["overall"] == score_case_dict(case)["overall"] == "100.00"


def test_form_reads_decimal_commas_spaces_and_empties():
    case = {"edition": "2023", "body": {"kind": "local", "special": []}}
    groups = case_fields("local")
    data = _post(
        {
            "complaints.handled": "1 200",
            "complaints.handled_late": "",
            "openness.open_data.scores.published.kk": "2,5",
            "services.satisfaction_levels": "4,85; 4.61;",
        }
    )
    out = read_whatif_form(case, groups, data, ("services", "openness", "complaints"))
    assert out["complaints"] == {"handled": "1200"}
    assert out["openness"]["open_data"]["scores"]["published"] == {"kk": "2.5"}
    assert out["services"]["satisfaction_levels"] == ["4.85", "4.61"]
    assert "penalties" not in out


def test_form_only_touches_the_directions_given():
    case = {
        "edition": "2023",
        "body": {"kind": "local", "special": []},
        "complaints": {"handled": 5},
    }
    out = read_whatif_form(case, case_fields("local"), _post({}), ("services",))
    assert out["complaints"] == {"handled": 5}


def test_error_texts_are_generic_and_translated():
    assert str(error_text(ScoringError("services.rendered", "required"))) == (
        "Значение обязательно."
    )
    assert str(error_text(ScoringError("a", "105 exceeds services.rendered (100)"))) == (
        "Значение больше допустимого."
    )
    assert str(error_text(ScoringError("a", "something new"))) == (
        "Здесь это значение не допускается."
    )


def test_demo_scores_step_is_idempotent(scores_cycle):
    from demo.scores import seed_scores

    bodies = [
        make_body("A"),
        make_body("B", kind="local"),
        make_body("NB", special="national_bank"),
        make_body("MoD", special="ministry_of_defence"),
    ]
    seed_scores()
    counts = (
        ScoringInput.objects.count(),
        ScoreSheet.objects.count(),
        BackgroundJob.objects.count(),
    )
    assert ScoreSheet.objects.filter(is_current=True, direction="overall").exclude(
        final=None
    ).count() == len(bodies)
    # the averages were written (a second version for the National Bank and the MoD)
    assert ScoringInput.objects.filter(version=2).count() == 2
    seed_scores()
    assert counts == (
        ScoringInput.objects.count(),
        ScoreSheet.objects.count(),
        BackgroundJob.objects.count(),
    )


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
