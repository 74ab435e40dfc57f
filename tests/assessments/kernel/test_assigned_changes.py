"""Least privilege (issue 16): assessors read their direction's work, but only the assessors
assigned to a body (and their unit head) change its scores, findings or conclusion drafts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from assessments.conclusions import services as svc
from assessments.kernel import access
from assessments.models import AssessorAssignment, Conclusion
from tests.worlds.conclusion_steps import draft
from tests.worlds.conclusions import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(world):
    """Another services assessor of the Agency, assigned to no body."""
    return person("colleague", world.agency, "assessor", direction="services")


def test_an_unassigned_assessor_reads_a_draft_but_does_not_write_it(world, colleague):
    c = draft(world, world.ministry, "services")
    assert access.visible(colleague, Conclusion).filter(pk=c.pk).exists()
    assert not access.can(colleague, "write", c)
    with pytest.raises(PermissionDenied):
        svc.conclusion_update(conclusion=c, actor=colleague, analysis={}, recommendations="x",
                              revision=c.revision)
    with pytest.raises(PermissionDenied):
        svc.conclusion_draft(cycle=world.cycle, body=world.akimat, direction="services",
                             actor=colleague)
    assert access.can(world.assessor, "write", c) and access.can(world.unit_head, "write", c)


def test_an_assignment_gives_the_right_and_its_removal_takes_it(world, colleague):
    from assessments.kernel import clock

    c = draft(world, world.ministry, "services")
    assignment = AssessorAssignment.objects.create(cycle=world.cycle, body=world.ministry,
                                                   direction="services", assessor=colleague,
                                                   assigned_at=clock.now())
    access.forget(colleague)
    assert access.can(colleague, "write", c)
    AssessorAssignment.objects.filter(pk=assignment.pk).update(removed_at=clock.now())
    access.forget(colleague)
    assert not access.can(colleague, "write", c)


def test_an_unassigned_assessor_does_not_score_openness(world):
    from assessments.submission.services.openness import openness_score_set

    colleague = person("openness_colleague", world.miod, "assessor", direction="openness")
    assert access.can(colleague, "score_openness", world.ministry)  # may open the workspace
    assert not access.can(colleague, "score_openness", world.ministry, cycle=world.cycle)
    with pytest.raises(PermissionDenied):
        openness_score_set(actor=colleague, cycle=world.cycle, body=world.ministry,
                           criterion="P1", indicator="published", column="kk", value="1")
    assert access.can(world.miod_assessor, "score_openness", world.ministry, cycle=world.cycle)


def test_only_assigned_assessors_and_the_unit_head_change_findings(personas, cycle2025):
    from assessments.reverification.services import reverification_select

    r = personas.registry
    rv = reverification_select(actor=personas.assessor, cycle=cycle2025, body=r.ministry,
                               direction="services", evaluator=r.agency)
    assert not access.can(personas.assessor, "change_findings", rv)  # not assigned here
    assert access.can(personas.unit_head, "change_findings", rv)
    from assessments.kernel import clock

    AssessorAssignment.objects.create(cycle=cycle2025, body=r.ministry, direction="services",
                                      assessor=personas.assessor, assigned_at=clock.now())
    access.forget(personas.assessor)
    assert access.can(personas.assessor, "change_findings", rv)
    assert access.visible(personas.assessor, type(rv)).filter(pk=rv.pk).exists()
