"""The demo data of the registry, people and cycle: real names, valid BINs, idempotent."""

from datetime import date

import pytest

from assessments.kernel import access
from assessments.kernel.validators import bin_problem
from assessments.models import (
    AssessorAssignment,
    Cycle,
    EvaluatorRule,
    Membership,
    Organisation,
    OrganisationName,
    Region,
    User,
)
from assessments.registry.selectors import name_on
from assessments.registry.services.evaluators import evaluator_for
from demo import seed as demo
from demo.steps import DEMO_STEPS

pytestmark = pytest.mark.django_db

MY_STEPS = [demo.seed_admin, demo.seed_registry, demo.seed_evaluator_rules, demo.seed_people,
            demo.seed_cycle]


@pytest.fixture
def seeded(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in MY_STEPS:
        step()


def _counts():
    return [model.objects.count() for model in (Region, Organisation, OrganisationName,
                                                EvaluatorRule, User, Membership, Cycle,
                                                AssessorAssignment)]


def test_the_steps_are_registered_in_order():
    assert list(DEMO_STEPS[: len(MY_STEPS)]) == MY_STEPS


def test_the_demo_owns_the_whole_order_of_its_steps():
    """People and the registry first, then submission, scores, re-verification, conclusions and
    the remaining signing credentials: the order seed_demo has always run them in."""
    assert [f"{step.__module__}.{step.__name__}" for step in DEMO_STEPS] == [
        "demo.seed.seed_admin", "demo.seed.seed_registry", "demo.seed.seed_evaluator_rules",
        "demo.seed.seed_people", "demo.seed.seed_cycle", "demo.submission.seed_submission",
        "demo.scores.seed_scores", "demo.reverification.seed_reverification",
        "demo.conclusions.seed_conclusions", "demo.signing.seed_demo_signing",
    ]


def test_a_second_run_neither_fails_nor_duplicates(seeded):
    before = _counts()
    for step in MY_STEPS:
        step()
    assert _counts() == before


def test_seventeen_oblasts_and_three_cities_with_their_akimats(seeded):
    assert Region.objects.filter(kind="oblast").count() == 17
    assert set(Region.objects.exclude(kind="oblast").values_list("name_ru", flat=True)) == {
        "город Астана", "город Алматы", "город Шымкент"}
    created_2022 = set(Region.objects.filter(active_from=date(2022, 6, 8)).values_list(
        "name_kk", flat=True))
    assert created_2022 == {"Абай облысы", "Жетісу облысы", "Ұлытау облысы"}
    akimats = Organisation.objects.filter(kind="local", is_evaluated=True)
    assert akimats.count() == 20
    assert all(a.region_id for a in akimats)
    assert set(akimats.values_list("level", flat=True)) == {"oblast", "capital",
                                                             "republican_city"}


def test_every_bin_is_valid_and_unique(seeded):
    bins = list(Organisation.objects.values_list("bin", flat=True))
    assert len(bins) == len(set(bins))
    assert all(bin_problem(value) is None for value in bins)


def test_renamed_bodies_keep_their_names_by_period(seeded):
    astana = demo.body("akimat-astana")
    assert name_on(astana, date(2020, 12, 31)) == ("Акимат города Нур-Султана",
                                                   "Нұр-Сұлтан қаласының әкімдігі")
    assert name_on(astana, date(2025, 12, 31))[0] == "Акимат города Астаны"
    turkistan = demo.body("akimat-turkistan")
    assert name_on(turkistan, date(2017, 12, 31))[1] == "Оңтүстік Қазақстан облысының әкімдігі"


def test_the_exceptions_of_p5_hold_in_the_demo_registry(seeded):
    pa, pmo = demo.body("pa"), demo.body("pmo")
    assert evaluator_for(demo.body("gp"), "complaints") == pa
    assert evaluator_for(demo.body("agency"), "services") == pa
    assert evaluator_for(demo.body("mdd"), "automation") == pmo
    assert evaluator_for(demo.body("miod"), "openness") == pmo
    assert evaluator_for(demo.body("mf-sgd-astana"), "automation") == demo.body("mdd")
    assert evaluator_for(demo.body("katarkol"), "openness") == demo.body("miod")


def test_one_person_per_role_with_the_demo_password(seeded):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "body_submitter", "body_head", "assessor", "assessor_unit_head", "signatory",
        "commission_member", "commission_chair", "commission_secretary", "working_body_rep",
        "coordinator",
    }
    for username, _label in demo.DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD), username
        assert user.full_name and user.position
    signatories = {
        m.user.username: m.annexes for m in Membership.objects.filter(role="signatory")
    }
    assert signatories == {"agency-deputy": [3, 4, 15], "mdd-head": [5], "miod-head": [8],
                           "committee-head": [12]}
    assert User.objects.get(username="admin").is_superuser


def test_the_current_cycle_has_a_schedule_and_assignments(seeded):
    cycle = Cycle.objects.get(is_current=True)
    assert (cycle.year, cycle.edition) == (2025, "2023")  # the clock fixture: March 2026
    assert cycle.milestones.count() == 7
    assert AssessorAssignment.objects.filter(cycle=cycle).count() == len(demo.ASSIGNMENTS)
    assessor = User.objects.get(username="agency-assessor")
    assert access.visible(assessor, Organisation).filter(pk=demo.body("mf").pk).exists()


def test_the_demo_cycle_year_follows_the_schedule_season():
    assert demo.demo_cycle_year(date(2026, 3, 19)) == 2025
    assert demo.demo_cycle_year(date(2026, 11, 27)) == 2026
