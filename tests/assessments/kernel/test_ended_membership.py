"""A person whose membership ended gets no notice from any feature (one "active on a day" query,
assessments.kernel.people, behind every feature's recipients).

Each world puts, beside the active people the features notify, a body head, a body submitter and
an assessor whose memberships ended yesterday (some of them still assigned to the body: an
assignment outlives a membership), and drives one notifying action of each feature:
a report submitted, returned and accepted; a re-verification's document request, the documents
received and its act; a
conclusion issued; an objection filed and decided.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assessments.kernel import clock as app_clock
from assessments.models import AssessorAssignment, Notification, Role, User
from tests.worlds.appeal_steps import attend, convene, decide, everyone, file
from tests.worlds.factories import MembershipFactory, MilestoneFactory, UserFactory
from tests.worlds.reverification import confirming_upload_checked, record, upload

# The worlds' fixtures (aw, cycle2025, clean_pdf …) are tests/worlds/fixtures.py's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_demo_ca", "tasks_in_process")]


class Inbox:
    """Who received a notification since the last look."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def new(self) -> set[str]:
        got = set(Notification.objects.filter(pk__gt=self.mark)
                  .values_list("user__username", flat=True))
        self.mark = self._last()
        return got


def ended(organisation, role: str, username: str, **extra):
    """A user whose only membership (``role`` in ``organisation``) ended yesterday."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role,
                      active_from=date(2020, 1, 1),
                      active_to=app_clock.today() - timedelta(days=1), **extra)
    return user


def personas_with_the_ended(personas):
    """The ministry's former head and submitter and the Agency's former services assessor."""
    r = personas.registry
    ended(r.ministry, Role.BODY_HEAD, "former_head")
    ended(r.ministry, Role.BODY_SUBMITTER, "former_submitter")
    ended(r.agency, Role.ASSESSOR, "former_assessor", direction="services")
    ended(r.committee, Role.ASSESSOR, "former_committee_assessor", direction="complaints")
    return personas


FORMER = {"former_head", "former_submitter", "former_assessor", "former_committee_assessor"}


COMPLAINTS = {"fields": {"received": 5000, "handled": 4800, "handled_late": 30,
                         "redirected_late": 10, "court_upheld": 0, "disciplinary_actions": 35,
                         "excused": 2}}


# --- Submission --------------------------------------------------------------------------------


def test_report_notices_skip_ended_memberships(clock, personas, cycle):
    from assessments.models import Milestone
    from assessments.submission.services.reports import (
        report_accept,
        report_get_or_create,
        report_return,
        report_section_save,
        report_start_review,
        report_submit,
    )

    p = personas_with_the_ended(personas)
    MilestoneFactory(cycle=cycle, code=Milestone.Code.SUBMISSION, due_on=date(2026, 1, 20))
    AssessorAssignment.objects.create(cycle=cycle, body=p.registry.ministry,
                                      direction="complaints", assessor=p.committee_assessor,
                                      assigned_at=app_clock.now())
    # assigned while a member; the assignment outlives the membership, a notice must not
    former = User.objects.get(username="former_committee_assessor")
    AssessorAssignment.objects.create(cycle=cycle, body=p.registry.ministry,
                                      direction="complaints", assessor=former,
                                      assigned_at=app_clock.now())
    report = report_get_or_create(cycle=cycle, body=p.registry.ministry, direction="complaints")
    report_section_save(actor=p.head, report=report, key="complaints", data=COMPLAINTS,
                        expected_version=0)
    inbox = Inbox()

    report_submit(actor=p.head, report=report)
    got = inbox.new()
    assert {"head", "submitter", "committee_assessor"} <= got and not got & FORMER

    report_start_review(actor=p.committee_assessor, report=report)
    report_return(actor=p.committee_assessor, report=report,
                  comments={"complaints": "Сверьте с формой 1-ОЛ."})
    got = inbox.new()
    assert {"head", "submitter"} <= got and not got & FORMER

    edited = {"fields": {**COMPLAINTS["fields"], "received": 5001}}
    report_section_save(actor=p.submitter, report=report, key="complaints", data=edited,
                        expected_version=1)
    report_submit(actor=p.head, report=report)
    report_start_review(actor=p.committee_assessor, report=report)
    inbox.new()
    report_accept(actor=p.committee_assessor, report=report)
    got = inbox.new()
    assert {"head", "submitter", "committee_assessor"} <= got and not got & FORMER


# --- Re-verification ---------------------------------------------------------------------------


def test_reverification_notices_skip_ended_memberships(personas, request):
    from assessments.reverification.services import (
        document_request_create,
        findings_complete,
        reconciliation_act_issue,
        reverification_select,
    )

    cycle = request.getfixturevalue("cycle2025")  # played on 2 February 2026
    pdf = request.getfixturevalue("clean_pdf")
    p = personas_with_the_ended(personas)
    # the former assessor is still assigned to the ministry's services: the assignment's branch
    # of the recipients must skip him and fall back to the Agency's active assessors
    AssessorAssignment.objects.create(cycle=cycle, body=p.registry.ministry, direction="services",
                                      assessor=User.objects.get(username="former_assessor"),
                                      assigned_at=app_clock.now())
    # ... beside the active assessor who records the findings (only assigned assessors change a
    # body's findings, issue 16)
    AssessorAssignment.objects.create(cycle=cycle, body=p.registry.ministry, direction="services",
                                      assessor=p.assessor, assigned_at=app_clock.now())
    rv = reverification_select(actor=p.assessor, cycle=cycle, body=p.registry.ministry,
                               direction="services", evaluator=p.registry.agency, reason="")
    inbox = Inbox()
    failures = []

    request = document_request_create(
        actor=p.assessor, reverification=rv, document_kind="inspection_results",
        title="Акты проверок территориальных подразделений", classification="open",
        report_section="Таблица T1",
    )
    got = inbox.new()
    assert {"head", "submitter"} <= got
    if got & FORMER:
        failures.append(f"document request reached {sorted(got & FORMER)}")

    confirming_upload_checked(actor=p.submitter, request=request, upload=upload(pdf),
                              original_name="akty.pdf", classification="open")
    got = inbox.new()
    assert "assessor" in got
    if got & FORMER:
        failures.append(f"documents received reached {sorted(got & FORMER)}")

    record(rv, p.assessor, "unreliable", 1, section="Таблица T1")
    findings_complete(actor=p.assessor, reverification=rv)
    inbox.new()
    reconciliation_act_issue(actor=p.assessor, reverification=rv)
    got = inbox.new()
    assert {"head", "assessor"} <= got
    if got & FORMER:
        failures.append(f"act issued reached {sorted(got & FORMER)}")

    assert not failures, "; ".join(failures)


# --- Scores ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("default_language_after")
def test_assembly_failure_notice_skips_an_assigned_assessor_whose_membership_ended(
        clock, assigned, cycle, schedule, services_register, django_capture_on_commit_callbacks):
    """The engine refuses an assembly (violations above the services rendered): the body's
    assigned assessors are told — but not one whose membership ended since his assignment."""
    from tests.worlds.submission_steps import accept, load

    p, r = assigned, assigned.registry
    former = ended(r.agency, Role.ASSESSOR, "former_assessor", direction="services")
    AssessorAssignment.objects.create(cycle=cycle, body=r.akimat, direction="services",
                                      assessor=former, assigned_at=app_clock.now())
    rows = [{"service": "00601006", "basis": "own_records", "rendered": 10, "late": 0,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0}]
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        accept(p, cycle, r.akimat, "services", p.local_head, p.assessor,
               override={"services": {"rows": rows}})
    inbox = Inbox()
    load(p.assessor, cycle, "inspections", [
        ["inspection_id", "bin", "service_code", "date", "late", "unjustified_refusals",
         "incomplete_package", "extra_documents"],
        ["П-1", r.akimat.bin, "00601006", "2025-09-30", 50, 0, 0, 0]], cap)
    got = {u for u in inbox.new()
           if Notification.objects.filter(user__username=u, text__contains="services.late")}
    assert "assessor" in got and "former_assessor" not in got


# --- Conclusions and appeals -------------------------------------------------------------------


@pytest.fixture
def aw_with_the_ended(aw):
    """The appeals world (the akimat's services conclusion) with the akimat's former head and
    submitter and the Agency's former services assessor beside the active ones."""
    ended(aw.akimat, Role.BODY_HEAD, "former_head")
    ended(aw.akimat, Role.BODY_SUBMITTER, "former_submitter")
    ended(aw.agency, Role.ASSESSOR, "former_assessor", direction="services")
    return aw


def test_conclusion_and_objection_notices_skip_ended_memberships(aw_with_the_ended):
    w = aw_with_the_ended
    inbox = Inbox()

    conclusion = w.issued()  # drafted, reviewed, signed and issued to the akimat
    got = inbox.new()
    assert {"local_head", "akimat_staff1", "assessor"} <= got and not got & FORMER

    objection = file(w, conclusion)
    got = inbox.new()
    assert {"local_head", "assessor", "unit_head"} <= got and not got & FORMER

    attend(w, convene(w, objection))
    inbox.new()
    present = w.sitting_people()
    decide(w, objection, {1: everyone(present, "reject"), 2: everyone(present, "reject")})
    got = inbox.new()
    assert {"local_head", "assessor"} <= got and not got & FORMER
