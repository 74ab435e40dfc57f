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


def test_automation_data_under_review_is_changed_only_by_assigned_assessors(world, client):
    """The automation data the digital-government ministry completes while reviewing the
    report (annex 5) is the body's assessment: the assigned assessor and the unit head change
    it, another automation assessor of that ministry reads it (403 on the section's form)."""
    from django.urls import reverse

    from assessments.models import Report
    from assessments.submission.services.reports import report_get_or_create

    report = report_get_or_create(cycle=world.cycle, body=world.ministry, direction="automation")
    Report.objects.filter(pk=report.pk).update(state=Report.State.UNDER_REVIEW)
    report.refresh_from_db()
    colleague = person("automation_colleague", world.digital, "assessor", direction="automation")
    assert access.visible(colleague, Report).filter(pk=report.pk).exists()
    assert not access.can(colleague, "edit", report)
    assert access.can(world.digital_assessor, "edit", report)
    assert access.can(world.digital_unit_head, "edit", report)
    url = reverse("submission:report_section_edit", args=[report.pk, "automation"])
    client.force_login(colleague)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kinds_total": "1"}).status_code == 403
    client.force_login(world.digital_assessor)
    assert client.get(url).status_code == 200


def test_reverification_work_is_done_only_by_assigned_assessors(personas, cycle2025):
    """Requests, checks of information systems and the act (annex 1): the rule of findings —
    the assessor assigned to the body, the unit head; an unassigned assessor and the signatory
    read the work but do none of it."""
    from assessments.kernel import clock
    from assessments.reverification.services import (
        document_request_create,
        reverification_select,
        system_check_record,
    )

    r = personas.registry
    rv = reverification_select(actor=personas.unit_head, cycle=cycle2025, body=r.ministry,
                               direction="services", evaluator=r.agency)
    assert access.visible(personas.assessor, type(rv)).filter(pk=rv.pk).exists()
    assert not access.can(personas.assessor, "work", rv)  # not assigned in this cycle
    with pytest.raises(PermissionDenied):
        document_request_create(actor=personas.assessor, reverification=rv,
                                document_kind="letter", title="Письма", classification="open")
    with pytest.raises(PermissionDenied):
        system_check_record(actor=personas.assessor, reverification=rv, system="ИС",
                            subject="Сроки", result="confirmed")
    assert document_request_create(actor=personas.unit_head, reverification=rv,
                                   document_kind="letter", title="Письма",
                                   classification="open").pk
    AssessorAssignment.objects.create(cycle=cycle2025, body=r.ministry, direction="services",
                                      assessor=personas.assessor, assigned_at=clock.now())
    access.forget(personas.assessor)
    assert system_check_record(actor=personas.assessor, reverification=rv, system="ИС",
                               subject="Сроки", result="confirmed").pk


def test_the_openness_workspace_is_read_only_to_an_unassigned_assessor(world, client):
    """An openness assessor not assigned to the body sees the scores without any input and is
    told who is assigned; a save from them is still refused by the server (403)."""
    from django.urls import reverse

    from assessments.kernel.people import assigned_assessors

    colleague = person("openness_reader", world.miod, "assessor", direction="openness")
    url = reverse("submission:openness_workspace", args=[world.cycle.code, world.ministry.pk])
    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<input" not in html.split('<main', 1)[-1] and 'data-testid="save-scores"' not in html
    assert 'data-testid="read-only"' in html
    names = [u.get_full_name() or u.username for u in assigned_assessors(
        cycle_id=world.cycle.pk, body_id=world.ministry.pk, directions=["openness"])]
    assert names and all(name in html for name in names)
    assert client.post(url, {"open_data.published.kk": "1"}).status_code == 403
    client.force_login(world.miod_assessor)
    html = client.get(url).content.decode()
    assert 'data-testid="save-scores"' in html and 'data-testid="read-only"' not in html
