"""Who evaluates whom (p.5–6, p.24, p.26): defaults per kind, every exception, and the query form
agreeing with the per-body answer."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Direction, EvaluatorRule, Organisation
from assessments.registry.services.evaluators import (
    RuleTable,
    evaluated_bodies_q,
    evaluation_map,
    evaluator_for,
    evaluator_rules_seed,
)
from tests.worlds.factories import CycleFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

S, A, OP, C = Direction.SERVICES, Direction.AUTOMATION, Direction.OPENNESS, Direction.COMPLAINTS


@pytest.mark.parametrize(
    "direction, evaluator",
    [(S, "agency"), (A, "digital"), (OP, "miod"), (C, "committee")],
)
def test_a_central_body_by_default(registry, direction, evaluator):
    """p.5, p.24: the Agency (services), the Ministry (automation), MIOD, the Committee."""
    assert evaluator_for(registry.ministry, direction) == getattr(registry, evaluator)


@pytest.mark.parametrize(
    "direction, evaluator", [(S, "agency"), (A, None), (OP, "miod"), (C, "committee")]
)
def test_a_local_body_by_default_and_never_on_automation(registry, direction, evaluator):
    """Automation (K3) is for central bodies only (annex 2); local bodies have no evaluator."""
    expected = getattr(registry, evaluator) if evaluator else None
    assert evaluator_for(registry.akimat, direction) == expected


@pytest.mark.parametrize("direction", [S, A, OP, C])
def test_presidential_administration_evaluates_the_prosecutor_general_on_the_whole_block(
    registry, direction
):
    """p.5: the Administration assesses the General Prosecutor's Office on the whole block."""
    assert evaluator_for(registry.prosecutor, direction) == registry.presidential


@pytest.mark.parametrize(
    "direction, evaluator", [(S, "presidential"), (A, "presidential"), (OP, "miod"),
                             (C, "committee")]
)
def test_presidential_administration_evaluates_the_agency_on_services_only(
    registry, direction, evaluator
):
    """p.5, p.26: the Agency on "Quality of public services" (its automation criterion
    included); its openness and complaints follow the default rules."""
    assert evaluator_for(registry.agency, direction) == getattr(registry, evaluator)


@pytest.mark.parametrize(
    "direction, evaluator", [(S, "agency"), (A, "prime_minister"), (OP, "miod"),
                             (C, "committee")]
)
def test_prime_minister_office_evaluates_the_digital_ministry_on_automation(
    registry, direction, evaluator
):
    """p.5, p.26: the Ministry's e-services (automation) by the Prime Minister's Office."""
    assert evaluator_for(registry.digital, direction) == getattr(registry, evaluator)


@pytest.mark.parametrize(
    "direction, evaluator", [(S, "agency"), (A, "digital"), (OP, "prime_minister"),
                             (C, "committee")]
)
def test_prime_minister_office_evaluates_miod_on_openness(registry, direction, evaluator):
    """p.5: MIOD's openness by the Prime Minister's Office."""
    assert evaluator_for(registry.miod, direction) == getattr(registry, evaluator)


def test_supreme_court_office_sends_its_services_to_the_administration(registry):
    """p.26: its service-quality information goes to the Presidential Administration."""
    assert evaluator_for(registry.supreme_court, S) == registry.presidential
    assert evaluator_for(registry.supreme_court, OP) == registry.miod


def test_sub_units_are_evaluated_with_their_body(registry):
    assert evaluator_for(registry.ministry_committee, S) == registry.agency
    assert evaluator_for(registry.district, OP) == registry.miod
    assert evaluator_for(registry.district, A) is None
    # The Committee sits in the Prosecutor General's Office: assessed with it, by the Administration
    assert evaluator_for(registry.committee, C) == registry.presidential


def test_organisations_outside_the_assessment_have_no_evaluator(registry):
    for direction in Direction.values:
        assert evaluator_for(registry.presidential, direction) is None
        assert evaluator_for(registry.integrator, direction) is None


def test_a_body_rule_beats_the_kind_rule_and_rules_follow_the_cycle_dates(registry):
    body = OrganisationFactory()
    EvaluatorRule.objects.create(
        evaluated=body, direction=S, evaluator=registry.presidential,
        active_from=date(2026, 1, 1),
    )
    assert evaluator_for(body, S, CycleFactory(code="c25", year=2025)) == registry.agency
    assert evaluator_for(body, S, CycleFactory(code="c26", year=2026)) == registry.presidential
    assert evaluator_for(body, S, on=date(2025, 12, 31)) == registry.agency


def test_seeding_the_rules_is_idempotent(registry):
    count = EvaluatorRule.objects.count()
    assert evaluator_rules_seed() == 0
    assert EvaluatorRule.objects.count() == count
    # 7 defaults + GP×4 + Agency×2 + Supreme Court×2 + digital ministry + MIOD
    assert count == 7 + 4 + 2 + 2 + 1 + 1


def test_evaluation_map_answers_for_several_bodies_in_two_queries(
    registry, django_assert_num_queries
):
    bodies = list(Organisation.objects.select_related("parent__parent__parent"))
    with django_assert_num_queries(2):
        table = evaluation_map(bodies)
    assert table[registry.prosecutor.pk][OP] == registry.presidential
    assert table[registry.akimat.pk][A] is None


def _agreement(registry):
    evaluators = list(Organisation.objects.exclude(evaluator_role=""))
    table = RuleTable.load(date.today())
    bodies = list(Organisation.objects.select_related("parent__parent__parent__parent"))
    for evaluator in evaluators:
        for direction in Direction.values:
            in_query = set(
                Organisation.objects.filter(evaluated_bodies_q(evaluator, direction)).values_list(
                    "pk", flat=True
                )
            )
            expected = {
                body.pk
                for body in bodies
                if (found := evaluator_for(body, direction, rules=table)) is not None
                and found.pk == evaluator.pk
            }
            assert in_query == expected, (evaluator, direction)


def test_the_query_form_agrees_with_evaluator_for_on_the_registry(registry):
    _agreement(registry)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["central", "local"]),
            st.booleans(),
            st.integers(0, 30),
            st.one_of(st.none(), st.tuples(st.sampled_from(Direction.values),
                                           st.sampled_from(["presidential", "prime_minister",
                                                            "agency"]))),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_query_form_agrees_with_evaluator_for_on_random_hierarchies(registry, specs):
    """Sub-units three levels deep, evaluated sub-units, rules naming sub-units: the access
    query (``evaluated_bodies_q``) must select exactly the bodies ``evaluator_for`` names."""
    existing = list(Organisation.objects.filter(kind__in=["central", "local"]))
    for kind, evaluated, parent_index, rule in specs:
        parent = existing[parent_index % len(existing)] if parent_index % 3 else None
        body = OrganisationFactory(
            kind=kind, is_evaluated=evaluated or parent is None, parent=parent,
            central_type="ministry" if kind == "central" else "",
            level="district" if kind == "local" else "",
        )
        if rule:
            EvaluatorRule.objects.get_or_create(
                evaluated=body, direction=rule[0],
                defaults={"evaluator": getattr(registry, rule[1])},
            )
        existing.append(body)
    _agreement(registry)
