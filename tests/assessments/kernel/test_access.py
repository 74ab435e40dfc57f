"""The one access helper: who sees which bodies and which body × direction objects."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404

from assessments.kernel import access, clock
from assessments.models import AssessorAssignment, Organisation, Region
from tests.worlds.factories import CycleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(user) -> set[str]:
    return set(access.visible(user, Organisation).values_list("name_ru", flat=True))


def test_a_body_s_staff_see_their_body_and_its_sub_units_only(personas):
    r = personas.registry
    assert names(personas.submitter) == {r.ministry.name_ru, r.ministry_committee.name_ru}
    assert names(personas.local_head) == {r.akimat.name_ru, r.district.name_ru}


def test_an_assessor_sees_the_bodies_their_organisation_evaluates_on_their_direction(personas):
    r = personas.registry
    seen = names(personas.assessor)
    # The Agency evaluates services of every central and local body except the exceptions
    assert {r.ministry.name_ru, r.other_ministry.name_ru, r.akimat.name_ru, r.district.name_ru,
            r.digital.name_ru, r.miod.name_ru} <= seen
    assert r.prosecutor.name_ru not in seen  # the Administration's (p.5)
    assert r.supreme_court.name_ru not in seen  # the Administration's (p.26)
    assert r.agency.name_ru in seen  # their own organisation
    # The Ministry of digital development's assessor: central bodies' automation only
    digital = names(personas.digital_assessor)
    assert r.ministry.name_ru in digital and r.akimat.name_ru not in digital
    assert r.digital.name_ru in digital  # own organisation (evaluated by the PM's Office)


def test_global_roles_see_every_body(personas):
    total = Organisation.objects.count()
    for user in (personas.admin, personas.coordinator):
        assert access.visible(user, Organisation).count() == total


def test_outsiders_and_anonymous_users_see_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert names(personas.outsider) == set()
    assert access.visible(AnonymousUser(), Organisation).count() == 0
    assert not access.can(AnonymousUser(), "view", personas.registry.ministry)


def test_commission_members_see_only_their_own_organisation(personas):
    assert names(personas.commission_chair) == {personas.registry.agency.name_ru}


def test_get_visible_or_404_hides_other_bodies(personas):
    r = personas.registry
    assert access.get_visible_or_404(personas.submitter, Organisation, pk=r.ministry.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(personas.submitter, Organisation, pk=r.other_ministry.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(personas.submitter, Organisation, pk="not-a-number")


def test_body_direction_objects_follow_the_direction(personas):
    r = personas.registry
    cycle = CycleFactory()
    rows = {
        d: AssessorAssignment.objects.create(
            cycle=cycle, body=r.ministry, direction=d, assessor=personas.unit_head,
            assigned_at=clock.now(),
        )
        for d in ("services", "openness", "complaints", "automation")
    }

    def seen(user):
        return set(access.visible(user, AssessorAssignment).values_list("direction", flat=True))

    assert seen(personas.submitter) == set(rows)  # the body's staff: all directions
    assert seen(personas.assessor) == {"services"}
    assert seen(personas.assessor_other_direction) == {"openness"}
    assert seen(personas.committee_assessor) == {"complaints"}
    assert seen(personas.digital_assessor) == {"automation"}
    # The Agency's deputy chair: every direction the Agency evaluates (services here)
    assert seen(personas.signatory) == {"services"}
    assert seen(personas.other_submitter) == set()
    assert seen(personas.local_submitter) == set()


def test_can_and_require(personas, cycle):
    assert access.can(personas.coordinator, "edit_schedule", cycle)
    assert not access.can(personas.assessor, "edit_schedule", cycle)
    with pytest.raises(PermissionDenied):
        access.require(personas.assessor, "edit_schedule", cycle)
    assert not access.can(personas.admin, "no-such-action", cycle)


def test_assigning_assessors_is_for_the_evaluating_body_s_unit_head(personas, cycle):
    r = personas.registry
    assert access.can(personas.unit_head, "assign_assessor", cycle, body=r.ministry,
                      direction="services")
    assert not access.can(personas.unit_head, "assign_assessor", cycle, body=r.ministry,
                          direction="openness")
    assert not access.can(personas.unit_head, "assign_assessor", cycle, body=r.prosecutor,
                          direction="services")
    assert access.can(personas.signatory, "assign_assessor", cycle, body=r.akimat,
                      direction="services")
    assert not access.can(personas.assessor, "assign_assessor", cycle, body=r.ministry,
                          direction="services")


def test_a_model_without_rules_is_visible_to_nobody_and_says_so(personas):
    with pytest.raises(ImproperlyConfigured, match="No access rule for assessments.Region"):
        access.visible(personas.admin, Region)


def test_later_parts_register_rules_that_are_or_ed(personas):
    region = personas.registry.akimat.region
    assert Region not in access._visibility
    try:
        access.visibility(Region)(lambda p: access.EVERYTHING if p.is_admin else None)
        access.visibility(Region)(lambda p: Q(pk=region.pk) if p.body_ids else None)
        access.action(Region, "rename")(lambda p, obj, **ctx: p.is_admin)
        assert list(access.visible(personas.admin, Region)) == [region]
        assert list(access.visible(personas.submitter, Region)) == [region]
        assert list(access.visible(personas.assessor, Region)) == []
        assert access.can(personas.admin, "rename", region)
        assert not access.can(personas.submitter, "rename", region)
        assert access.can(personas.submitter, "view", region)
    finally:
        access._visibility.pop(Region, None)
        access._actions.pop((Region, "rename"), None)


def test_the_principal_is_loaded_once_per_user_object(personas, django_assert_num_queries):
    user = personas.assessor
    access.forget(user)
    with django_assert_num_queries(3):  # memberships, the rules table, the bodies
        list(access.visible(user, Organisation))
    with django_assert_num_queries(1):
        list(access.visible(user, Organisation))


def test_ended_memberships_give_no_access(personas):
    from datetime import timedelta

    user = UserFactory(username="former")
    MembershipFactory(
        user=user, organisation=personas.registry.ministry, role="body_submitter",
        active_to=clock.today() - timedelta(days=1),
    )
    assert names(user) == set()
