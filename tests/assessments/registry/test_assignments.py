"""Assessors assigned to a body × direction × cycle: who may assign whom, and "took part"."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments.kernel.errors import DomainError
from assessments.models import AssessorAssignment, AuditEntry
from assessments.registry.services.assignments import (
    PARTICIPATION_SOURCES,
    assessor_assign,
    assessor_unassign,
    participants,
    participation_source,
    took_part,
    unassigned_pairs,
)

pytestmark = pytest.mark.django_db


def test_the_unit_head_assigns_an_assessor_of_the_evaluating_body(personas, cycle, clock):
    r = personas.registry
    a = assessor_assign(actor=personas.unit_head, cycle=cycle, body=r.ministry,
                        direction="services", assessor=personas.assessor, reason="plan")
    assert (a.assigned_by, a.assigned_at, a.removed_at) == (personas.unit_head, clock.now(), None)
    entry = AuditEntry.objects.for_object(a).get()
    assert (entry.action, entry.actor, entry.reason) == ("assign", personas.unit_head, "plan")
    again = assessor_assign(actor=personas.unit_head, cycle=cycle, body=r.ministry,
                            direction="services", assessor=personas.assessor)
    assert again.pk == a.pk and AssessorAssignment.objects.count() == 1


@pytest.mark.parametrize(
    "body, direction, assessor",
    [
        ("ministry", "openness", "assessor"),  # the Agency does not evaluate openness
        ("prosecutor", "services", "assessor"),  # the Administration does (p.5)
        ("akimat", "automation", "digital_assessor"),  # no automation for local bodies
        ("ministry", "services", "assessor_other_direction"),  # MIOD's assessor
    ],
)
def test_the_assessor_must_belong_to_the_evaluating_body_for_that_direction(
    personas, cycle, body, direction, assessor
):
    with pytest.raises(DomainError):
        assessor_assign(actor=personas.coordinator, cycle=cycle,
                        body=getattr(personas.registry, body), direction=direction,
                        assessor=getattr(personas, assessor))


@pytest.mark.parametrize("actor", ["assessor", "submitter", "commission_chair", "outsider"])
def test_only_unit_heads_signatories_and_the_coordinator_assign(personas, cycle, actor):
    with pytest.raises(PermissionDenied):
        assessor_assign(actor=getattr(personas, actor), cycle=cycle,
                        body=personas.registry.ministry, direction="services",
                        assessor=personas.assessor)
    assert not AssessorAssignment.objects.exists()


def test_removal_keeps_the_row_so_the_person_still_took_part(personas, cycle, clock):
    r = personas.registry
    a = assessor_assign(actor=personas.coordinator, cycle=cycle, body=r.akimat,
                        direction="services", assessor=personas.assessor)
    clock.advance(days=3)
    assessor_unassign(actor=personas.unit_head, assignment=a, reason="conflict of interest")
    a = AssessorAssignment.objects.get(pk=a.pk)
    assert a.removed_at == clock.now()
    assert took_part(personas.assessor, r.akimat, "services", cycle)  # p.113
    assert not took_part(personas.assessor, r.akimat, "openness", cycle)
    assert AuditEntry.objects.for_object(a).filter(action="unassign").get().reason == (
        "conflict of interest"
    )
    reassigned = assessor_assign(actor=personas.coordinator, cycle=cycle, body=r.akimat,
                                 direction="services", assessor=personas.assessor)
    assert reassigned.pk == a.pk and reassigned.removed_at is None
    with pytest.raises(PermissionDenied):
        assessor_unassign(actor=personas.assessor, assignment=a)


def test_later_parts_add_other_kinds_of_participation(personas, cycle):
    r = personas.registry

    @participation_source
    def signed_it(body, direction, cycle_):
        return {personas.signatory.pk} if body == r.ministry else set()

    try:
        assert participants(r.ministry, "services", cycle) == {personas.signatory.pk}
        assert participants(r.akimat, "services", cycle) == set()
    finally:
        PARTICIPATION_SOURCES.remove(signed_it)


def test_unassigned_pairs_counts_what_is_left_for_the_coordinator(personas, cycle):
    r = personas.registry
    before = unassigned_pairs(cycle, evaluator=r.agency)
    assessor_assign(actor=None, cycle=cycle, body=r.ministry, direction="services",
                    assessor=personas.assessor)
    assert unassigned_pairs(cycle, evaluator=r.agency) == before - 1
    # The Agency assesses the services of of the 8 evaluated bodies but the three exceptions.
    assert before == 8 - 3


@pytest.mark.parametrize("span, assignable", [
    ({"active_to": -1}, False),  # the role ended yesterday
    ({"active_from": 1}, False),  # it begins tomorrow
    ({"active_to": 0}, True),  # it ends today
    ({"active_to": 30}, True),  # an end already set, still ahead
])
def test_only_an_assessor_whose_role_is_active_today_is_assigned(personas, cycle, clock, span,
                                                                assignable):
    from datetime import timedelta

    from assessments.models import Role
    from tests.worlds.factories import MembershipFactory, UserFactory

    r, today = personas.registry, clock.today()
    assessor = UserFactory()
    MembershipFactory(user=assessor, organisation=r.agency, role=Role.ASSESSOR,
                      direction="services",
                      **{k: today + timedelta(days=d) for k, d in span.items()})
    assign = dict(actor=personas.coordinator, cycle=cycle, body=r.ministry, direction="services",
                  assessor=assessor)
    if assignable:
        assert assessor_assign(**assign).assessor == assessor
    else:
        with pytest.raises(DomainError):
            assessor_assign(**assign)
