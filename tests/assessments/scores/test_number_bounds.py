"""Bad numbers (issue 16): a count of 4,000 digits is refused by the engine with its path and a
reason; 4,301 digits (past Python's own limit on reading an integer from text) give a
translated error — not a server error — in the what-if form, in a pasted case and in imports."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.scores.services.scoring_inputs import scoring_input_load_case
from assessments.scores.services.sheets import score_body
from assessments.scoring import ScoringError, validate_case
from assessments.scoring.exact import MAX_COUNT, NumberError, parse_count, parse_number
from assessments.submission.imports.kinds import RowError
from assessments.submission.imports.kinds import parse_count as import_count
from tests.worlds.factories import Personas, Registry
from tests.worlds.scores import case_for

HUGE = "9" * 4000
HUGER = "9" * 4301


@pytest.mark.parametrize("value", [HUGE, HUGER, int(HUGE), MAX_COUNT + 1, "1" + "0" * 12])
def test_the_engine_refuses_a_count_beyond_its_bound(value):
    with pytest.raises(NumberError):
        parse_count(value)
    assert parse_count(MAX_COUNT) == MAX_COUNT and parse_count(str(MAX_COUNT)) == MAX_COUNT


def test_a_huge_decimal_is_refused_not_raised():
    from decimal import Decimal

    for value in (HUGER, HUGER + ".5", "0." + HUGER, Decimal("1E+40"), int(HUGE)):
        with pytest.raises(NumberError):
            parse_number(value)


@pytest.mark.django_db
def test_a_case_with_a_4000_digit_count_is_refused_with_its_path():
    people = Personas.build(Registry.build())
    case = case_for(people.registry.ministry)
    case["services"]["late"] = HUGE
    with pytest.raises(ScoringError) as refused:
        validate_case(case)
    assert refused.value.path == "services.late"


def test_imports_refuse_a_huge_count_with_a_reason():
    for text in (HUGE, HUGER, " " + HUGER + " ", "1" + "0" * 12):
        with pytest.raises(RowError) as refused:
            import_count(text, "late")
        assert refused.value.code == "count_range"
    assert import_count("999999999999", "late") == MAX_COUNT


@pytest.fixture
def people(db) -> Personas:
    return Personas.build(Registry.build())


@pytest.fixture
def scored(people, scores_cycle):
    ministry = people.registry.ministry
    scoring_input_load_case(cycle=scores_cycle, body=ministry, case=case_for(ministry),
                            actor=None, reason="тест")
    score_body(cycle=scores_cycle, body=ministry)
    return ministry


@pytest.mark.django_db
def test_the_whatif_form_answers_4301_digits_with_a_translated_error(client, people,
                                                                      scores_cycle, scored):
    client.force_login(people.submitter)
    url = reverse("scores:whatif", kwargs={"code": scores_cycle.code, "pk": scored.pk})
    page = client.get(url).content.decode()
    data = {name: value.replace("&quot;", '"') for name, value in re.findall(
        r'<input type="text"[^>]*name="([^"]+)" value="([^"]*)"', page)}
    for value in (HUGER, HUGE):
        data["services.late"] = value
        response = client.post(url, data)
        assert response.status_code in (200, 400)
        assert "Значение больше допустимого" in response.content.decode() or (
            "Введите число" in response.content.decode())
