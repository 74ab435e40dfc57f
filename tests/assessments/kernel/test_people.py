"""Who holds a role on a day: the one "active membership" query (active_q, memberships_active)
and the one "people of this body in these roles" selector (people)."""

from datetime import timedelta

import pytest

from assessments.kernel import access
from assessments.kernel.people import active_q, memberships_active, people
from assessments.models import Membership, Role, User
from tests.worlds.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(clock):
    """A ministry with one head per kind of dates (today is 19 March 2026, the tests' clock)."""
    today = clock.today()
    org = OrganisationFactory(name_ru="Министерство финансов")
    spans = {
        "no_dates": {},
        "starts_tomorrow": {"active_from": today + timedelta(days=1)},
        "started_today": {"active_from": today},
        "ended_yesterday": {"active_to": today - timedelta(days=1)},
        "ends_today": {"active_to": today},
        "within": {"active_from": today - timedelta(days=30), "active_to": today + timedelta(30)},
    }
    for username, span in spans.items():
        MembershipFactory(user=UserFactory(username=username), organisation=org,
                          role=Role.BODY_HEAD, **span)
    return org


def usernames(users) -> set[str]:
    return {u.username for u in users}


ACTIVE_TODAY = {"no_dates", "started_today", "ends_today", "within"}


def test_a_membership_is_active_from_its_first_to_its_last_day(clock, body):
    assert usernames(people(body.pk, [Role.BODY_HEAD])) == ACTIVE_TODAY
    active = memberships_active(organisation_id=body.pk).values_list("user__username", flat=True)
    assert set(active) == ACTIVE_TODAY


def test_another_day_is_asked_by_day(clock, body):
    yesterday, tomorrow = clock.today() - timedelta(days=1), clock.today() + timedelta(days=1)
    assert usernames(people(body.pk, [Role.BODY_HEAD], day=yesterday)) == {
        "no_dates", "ended_yesterday", "ends_today", "within"}
    assert usernames(people(body.pk, [Role.BODY_HEAD], day=tomorrow)) == {
        "no_dates", "starts_tomorrow", "started_today", "within"}


def test_the_day_defaults_to_the_application_clock(clock, body):
    clock.advance(days=1)
    assert "starts_tomorrow" in usernames(people(body.pk, [Role.BODY_HEAD]))
    assert "ends_today" not in usernames(people(body.pk, [Role.BODY_HEAD]))


def test_active_q_through_a_relation(clock, body):
    users = User.objects.filter(active_q(prefix="memberships__"), memberships__organisation=body)
    assert usernames(users) == ACTIVE_TODAY


def test_a_deactivated_user_is_nobody(clock, body):
    User.objects.filter(username="no_dates").update(is_active=False)
    assert "no_dates" not in usernames(people(body.pk, [Role.BODY_HEAD]))
    # the membership itself is still active: it is the account that is switched off
    assert memberships_active(organisation_id=body.pk).filter(user__username="no_dates").exists()


def test_roles_organisation_and_direction_filter(clock):
    agency, other = OrganisationFactory(), OrganisationFactory()
    for username, org, role, direction in (
        ("any_direction", agency, Role.ASSESSOR, ""),
        ("services", agency, Role.ASSESSOR, "services"),
        ("openness", agency, Role.ASSESSOR, "openness"),
        ("unit_head", agency, Role.ASSESSOR_UNIT_HEAD, "services"),
        ("elsewhere", other, Role.ASSESSOR, "services"),
    ):
        MembershipFactory(user=UserFactory(username=username), organisation=org, role=role,
                          direction=direction)
    assessors = [Role.ASSESSOR]
    assert usernames(people(agency.pk, assessors)) == {"any_direction", "services", "openness"}
    assert usernames(people(agency.pk, assessors, direction="services")) == {
        "any_direction", "services"}
    assert usernames(people(agency.pk, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                            direction="services")) == {"any_direction", "services", "unit_head"}
    assert usernames(people(None, assessors, direction="services")) == {
        "any_direction", "services", "elsewhere"}
    assert people(agency.pk, []) == []


def test_people_are_listed_once_in_a_stable_order(clock):
    org, user = OrganisationFactory(), UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.BODY_HEAD)
    MembershipFactory(user=user, organisation=org, role=Role.BODY_SUBMITTER)
    later = UserFactory()
    MembershipFactory(user=later, organisation=org, role=Role.BODY_SUBMITTER)
    assert people(org.pk, [Role.BODY_HEAD, Role.BODY_SUBMITTER]) == sorted(
        [user, later], key=lambda u: u.pk)


def test_the_principal_holds_the_same_memberships(clock, body):
    for username in ("no_dates", "ends_today", "ended_yesterday", "starts_tomorrow"):
        user = User.objects.get(username=username)
        expected = username in ACTIVE_TODAY
        assert bool(access.principal(user).memberships) is expected, username
        assert Membership.objects.filter(user=user).exists()
