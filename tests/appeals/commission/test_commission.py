"""The special commission (p.113–114): its composition (an assessor who acted on the body is
refused with the reason), at least 5 present and more than half of the members, every present
member votes on every row, the majority of those present decides and the chair breaks a tie;
accepted rows change the scoring input and a corrected conclusion (version 2) is drafted with
the recomputed score, all rejected rows confirm the conclusion. Reminders and escalation of the
15 calendar days (idempotent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from appeals import services as appeals
from appeals.models import Vote
from assessments.kernel import clock as app_clock
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Conclusion, Notification
from assessments.scores.services.scoring_inputs import scoring_input_current, source_of
from tests.worlds.appeal_steps import attend, convene, decide, everyone, file, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(aw):
    return file(aw, aw.issued())


def test_the_commission_is_formed_once_per_evaluator_and_cycle(aw):
    with pytest.raises(PermissionDenied):
        appeals.commission_get_or_create(cycle=aw.cycle, evaluator=aw.agency, chair=aw.chair,
                                         secretary=aw.secretary, actor=aw.local_head)
    with pytest.raises(DomainError, match="не является сотрудником"):
        appeals.commission_get_or_create(cycle=aw.cycle, evaluator=aw.agency, chair=aw.chair,
                                         secretary=aw.local_head, actor=aw.coordinator)
    first = aw.form_commission()
    again = appeals.commission_get_or_create(cycle=aw.cycle, evaluator=aw.agency,
                                             chair=aw.chair, secretary=aw.secretary,
                                             actor=aw.coordinator)
    assert again.pk == first.pk
    changed = appeals.commission_get_or_create(cycle=aw.cycle, evaluator=aw.agency,
                                               chair=aw.chair, secretary=aw.member,
                                               actor=aw.coordinator)
    assert changed.pk == first.pk and changed.secretary == aw.member
    assert AuditEntry.objects.filter(action="commission_update").exists()


def test_an_assessor_who_acted_on_the_body_is_refused_with_the_reason(aw, objection):
    from assessments.models import AssessorAssignment

    aw.form_commission()
    # his assignment ended after he drafted (issue 16: only assigned assessors draft): what he
    # did is the reason now
    AssessorAssignment.objects.filter(assessor=aw.assessor).delete()
    with pytest.raises(DomainError) as refused:
        convene(aw, objection, members=[*aw.sitting_people(), aw.assessor])
    assert refused.value.code == "composition"
    assert str(aw.assessor) in refused.value.message and "п.113" in refused.value.message
    # he drafted its conclusion: said in words, never the internal action code
    assert "подготовил(а) проект заключения" in refused.value.message
    assert "conclusion_draft" not in refused.value.message
    with pytest.raises(DomainError, match="п.113") as refused:  # a signatory of it, too
        convene(aw, objection, members=[*aw.sitting_people(), aw.deputy])
    for code in ("conclusion_signature", "approve", "conclusion_draft", "submit", "issue"):
        assert f"«{code}»" not in refused.value.message and f"{code} " not in (
            refused.value.message)
    with pytest.raises(DomainError, match="не менее 5"):
        convene(aw, objection, members=aw.sitting_people()[:4])
    with pytest.raises(PermissionDenied):
        appeals.sitting_convene(objection=objection, members=[], held_on=app_clock.today(),
                                actor=aw.local_head)
    sitting = convene(aw, objection)
    groups = {m.user: m.capacity for m in sitting.members.all()}
    assert groups[aw.chair] == groups[aw.member] == "evaluator"
    assert groups[aw.local_head] == "body" and groups[aw.working_body] == "working_body"
    assert fresh(objection).state == "under_consideration"
    candidates = {e.user_id: e for e in appeals.sitting_candidates(objection)}
    assert not candidates[aw.assessor.pk].eligible and candidates[aw.member.pk].eligible


def test_fewer_than_five_present_cannot_decide(aw, objection):
    sitting = convene(aw, objection)
    with pytest.raises(DomainError, match="присутствие"):
        decide(aw, objection, {1: everyone(aw.sitting_people(), "accept")})
    present = aw.sitting_people()[:4]
    attend(aw, sitting, present)
    with pytest.raises(DomainError, match="не менее 5") as refused:
        decide(aw, objection, {1: everyone(present, "reject"), 2: everyone(present, "reject")})
    assert refused.value.code == "min_present"
    assert fresh(objection).state == "under_consideration"


def test_quorum_is_more_than_half_of_the_members(aw, objection):
    from tests.worlds.conclusions import person

    extra = [person(f"akimat_extra{i}", aw.akimat, "body_submitter") for i in range(4)]
    members = aw.sitting_people() + extra  # 11 members
    sitting = convene(aw, objection, members=members)
    present = members[:5]
    attend(aw, sitting, present)
    with pytest.raises(DomainError, match="кворума") as refused:
        decide(aw, objection, {1: everyone(present, "reject"), 2: everyone(present, "reject")})
    assert refused.value.code == "quorum"


def test_every_present_member_votes_and_the_chair_breaks_a_tie(aw, objection):
    sitting = convene(aw, objection)
    people = aw.sitting_people()
    present = people[:6]  # chair, secretary, member, working body, the akimat's head and one
    attend(aw, sitting, present)
    assert {"decide", "attendance"} <= appeals.objection_actions(aw.secretary, fresh(objection))
    with pytest.raises(DomainError, match="не проголосовали"):
        decide(aw, objection, {1: everyone(present[:5], "accept"),
                               2: everyone(present, "reject")})
    with pytest.raises(DomainError, match="присутствующие"):
        decide(aw, objection, {1: everyone(people, "accept"), 2: everyone(present, "reject")})
    tie = {u: ("accept" if i < 3 else "reject") for i, u in enumerate(present)}  # chair accepts
    with pytest.raises(PermissionDenied):
        decide(aw, objection, {1: tie, 2: everyone(present, "reject")}, actor=aw.member)
    before = Decimal(fresh(objection.conclusion).values["final"])
    o = decide(aw, objection, {1: tie, 2: everyone(present, "reject")})
    row1, row2 = o.rows.order_by("number")
    assert (row1.decision, row2.decision) == ("accepted", "rejected")
    assert "решающий голос председателя" in row1.reasoning
    assert Vote.objects.filter(row=row1).count() == 6
    assert row1.applied_value == 0  # the body's proposed value
    # The scoring input changed with a decision source; the engine recomputed; version 2.
    si = scoring_input_current(cycle=aw.cycle, body=aw.akimat)
    assert si.case["services"]["late"] == 0
    source = source_of(si.sources, "services.late")
    assert source["kind"] == "decision" and source["ref"] == f"objection:{o.pk}:row:1"
    assert o.state == "decided" and o.outcome == "corrected"
    assert o.decided_on == date(2026, 3, 19) and fresh(sitting).state == "held"
    v2 = o.correction
    assert (v2.version, v2.state, v2.supersedes_id) == (2, "draft", o.conclusion_id)
    assert Decimal(v2.values["final"]) > before
    assert o.overall_after_appeal == v2.values["final"]
    assert fresh(o.conclusion).state == "under_appeal"  # until the correction is issued
    log = StateLog.objects.filter(object_id=o.pk, transition="decide").get()
    assert log.by == aw.secretary


def test_all_rows_rejected_confirm_the_conclusion(aw, objection):
    sitting = convene(aw, objection)
    attend(aw, sitting)
    people = aw.sitting_people()
    o = decide(aw, objection, {1: everyone(people, "reject"), 2: everyone(people, "reject")})
    assert o.outcome == "confirmed" and o.correction is None
    c = fresh(o.conclusion)
    assert c.state == "final"
    assert o.overall_after_appeal == c.values["final"]
    assert not Conclusion.objects.filter(supersedes=c).exists()
    assert scoring_input_current(cycle=aw.cycle, body=aw.akimat).case["services"]["late"] == 30


def test_decision_waits_for_the_sitting_day(aw, objection):
    sitting = convene(aw, objection, held_on=date(2026, 3, 26))
    attend(aw, sitting)
    assert "decide" not in appeals.objection_actions(aw.secretary, fresh(objection))
    with pytest.raises(DomainError, match="26 марта 2026"):
        decide(aw, objection, {1: everyone(aw.sitting_people(), "reject"),
                               2: everyone(aw.sitting_people(), "reject")})


def test_reminders_then_one_escalation_to_the_coordinator(aw, objection):
    aw.form_commission()
    assert objection.decision_due == date(2026, 4, 3)
    assert appeals.objections_due_job(today=date(2026, 3, 30)) == {"reminded": 0,
                                                                   "escalated": 0}
    assert appeals.objections_due_job(today=date(2026, 3, 31))["reminded"] == 1  # 3 days before
    assert appeals.objections_due_job(today=date(2026, 3, 31))["reminded"] == 0  # once
    reminders = Notification.objects.filter(user=aw.chair, key__startswith="appeals:due:")
    assert reminders.count() == 1
    assert appeals.objections_due_job(today=date(2026, 4, 2))["reminded"] == 1  # the day before
    assert appeals.objections_due_job(today=date(2026, 4, 3)) == {"reminded": 0,
                                                                  "escalated": 0}
    app_clock.set_now("2026-04-04T08:00:00")
    assert appeals.objections_due_job() == {"reminded": 0, "escalated": 1}
    escalated_at = fresh(objection).escalated_at
    assert escalated_at is not None
    assert appeals.objections_due_job() == {"reminded": 0, "escalated": 0}
    assert fresh(objection).escalated_at == escalated_at
    overdue = Notification.objects.filter(user=aw.coordinator, key=f"appeals:overdue:"
                                                                   f"{objection.pk}")
    assert overdue.count() == 1 and "3 апреля 2026" in overdue.get().text
    assert AuditEntry.objects.filter(action="objection_escalate").count() == 1


def test_the_beat_task_runs_the_job(aw, objection):
    from appeals.tasks import objections_due

    app_clock.set_now("2026-04-10T08:00:00")
    assert objections_due() == {"lapsed": 0, "reminded": 0, "escalated": 1, "settled": 0}
    assert objections_due() == {"lapsed": 0, "reminded": 0, "escalated": 0, "settled": 0}


def test_an_applied_value_the_engine_refuses_is_translated_on_decide(aw, objection):
    """Issue item 3: accepting a row whose value the scoring input refuses is a translated
    refusal next to the row (not the engine's English ScoringError); nothing is decided."""
    people = aw.sitting_people()
    attend(aw, convene(aw, objection))
    with pytest.raises(appeals.ProposedValueError) as refused:
        decide(aw, objection, {1: everyone(people, "accept"), 2: everyone(people, "reject")},
               applied={1: "много"})
    assert refused.value.row == 1 and refused.value.message.startswith("Строка 1:")
    assert "services.late" in refused.value.field_message
    assert "must" not in refused.value.message and "number" not in refused.value.message
    assert fresh(objection).state == "under_consideration"
    assert not Vote.objects.exists()


def test_an_accepted_row_changes_a_number_or_says_it_changes_none(aw, objection):
    """Issue item 4: a row accepted without an input path would draft a "corrected" version
    with the same score. It needs the explicit "no number change"; when no accepted row
    changes a number the conclusion is confirmed (final), no version 2."""
    people = aw.sitting_people()
    attend(aw, convene(aw, objection))
    with pytest.raises(DomainError, match="Строка 2 принята") as refused:
        decide(aw, objection, {1: everyone(people, "reject"), 2: everyone(people, "accept")})
    assert refused.value.code == "no_number_change"
    assert fresh(objection).state == "under_consideration" and not Vote.objects.exists()
    o = decide(aw, objection, {1: everyone(people, "reject"), 2: everyone(people, "accept")},
               no_number_change={2})
    assert [r.decision for r in o.rows.order_by("number")] == ["rejected", "accepted"]
    assert o.outcome == "confirmed" and o.correction is None
    assert fresh(o.conclusion).state == "final"
    assert not Conclusion.objects.filter(supersedes=o.conclusion).exists()
    assert o.overall_after_appeal == fresh(o.conclusion).values["final"]


def test_the_commission_does_not_decide_while_a_rows_document_is_being_checked(
        aw, django_capture_on_commit_callbacks):
    """The body's documents filed in time are read before the decision (issue 16): while one is
    in quarantine the decision is refused in words; once its check ends, the decision goes on."""
    from tests.worlds.samples import pdf_bytes

    with django_capture_on_commit_callbacks(execute=False) as queued:
        o = file(aw, aw.issued(), documents=[{"row": 1, "upload": pdf_bytes("Приказ"),
                                              "original_name": "prikaz.pdf",
                                              "classification": "open"}])
    attend(aw, convene(aw, o))
    people = aw.sitting_people()
    choices = {1: everyone(people, "reject"), 2: everyone(people, "reject")}
    with pytest.raises(DomainError) as refused:
        decide(aw, o, choices)
    assert refused.value.code == "documents_checking" and "проверяются" in refused.value.message
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the check, queued when the filing committed
    assert o.rows.get(number=1).documents.get().check_state == "accepted"
    assert decide(aw, fresh(o), choices).state == "decided"
