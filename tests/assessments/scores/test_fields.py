"""The what-if form reader (assessments/scores/fields.py): the case round trip, decimal commas,
the directions given, the error texts."""

from __future__ import annotations

from django.http import QueryDict

from assessments.models import Organisation
from assessments.scores.fields import case_fields, error_text, form_initial, read_whatif_form
from assessments.scoring import ScoringError, score_case_dict
from tests.worlds.scores import case_for


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
