"""After the decision: hand-over to the Agency (p.116–121), the block conclusion once the three
directions are final, and the check of individual results (p.110)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from appeals import services as appeals
from appeals.models import Handover, ResultCheck
from assessments.conclusions import services as conclusion_services
from assessments.kernel import clock as app_clock
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Notification
from tests.worlds.appeal_steps import attend, convene, decide, everyone, file, fresh

pytestmark = pytest.mark.django_db


def test_handover_of_openness_and_the_block_after_three_final_directions(aw):
    services = aw.issued()
    openness = aw.issued(direction="openness")
    complaints = aw.issued(direction="complaints")
    appeals.no_objection_notify(conclusion=services, actor=aw.local_head)
    appeals.no_objection_notify(conclusion=openness, actor=aw.local_head)
    assert not appeals.block_ready(aw.cycle, aw.akimat)
    handover = Handover.objects.get(conclusion=openness)
    assert handover.to == aw.agency and "п.119" in handover.route
    assert handover.due_on == date(2026, 3, 31)  # 5th working day after 19 Mar (Nauryz)
    # The complaints window closes with no objection: the clock finalises it, the job hands
    # it over and tells the Agency the block may be drafted.
    app_clock.set_now("2026-04-01T06:00:00")
    conclusion_services.conclusion_windows_close()
    assert fresh(complaints).state == "final"
    assert appeals.block_ready(aw.cycle, aw.akimat)
    result = appeals.handovers_job()
    assert result["created"] == 1 and result["overdue"] == 1  # openness was due 31 Mar
    assert appeals.handovers_job() == {"created": 0, "reminded": 0, "overdue": 0}
    assert Handover.objects.get(conclusion=complaints).due_on == date(2026, 4, 8)
    assert Notification.objects.filter(user=aw.coordinator,
                                       key=f"appeals:block-ready:{aw.cycle.pk}:"
                                           f"{aw.akimat.pk}").count() == 1
    with pytest.raises(PermissionDenied):
        appeals.handover_record(handover=handover, actor=aw.local_head)
    handover = appeals.handover_record(handover=handover, actor=aw.miod_assessor)
    assert handover.handed_by == aw.miod_assessor and handover.handed_at is not None
    assert appeals.handover_record(handover=handover, actor=aw.coordinator).handed_by == (
        aw.miod_assessor)  # idempotent
    block = conclusion_services.conclusion_draft(cycle=aw.cycle, body=aw.akimat,
                                                 direction="block", actor=aw.assessor)
    assert block.annex == 15 and block.values["services"] == fresh(services).values["final"]


def test_handover_is_due_five_working_days_after_the_sitting(aw):
    from tests.worlds.conclusions import person

    row = {"subject": "R1. Соблюдение сроков рассмотрения жалоб",
           "objection_text": "Сроки продлены законно.", "input_path": "complaints.handled_late",
           "proposed_value": 0}
    o = file(aw, aw.issued(direction="complaints"), rows=[row])
    chair = person("committee_chair", aw.committee, "commission_chair")
    secretary = person("committee_secretary", aw.committee, "commission_secretary")
    aw.commission = appeals.commission_get_or_create(
        cycle=aw.cycle, evaluator=aw.committee, chair=chair, secretary=secretary,
        actor=aw.coordinator)
    # The committee's head signed the conclusion: the composition rule refuses him.
    members = [chair, secretary, aw.working_body, aw.local_head, *aw.akimat_staff]
    with pytest.raises(DomainError, match="п.113"):
        convene(aw, o, members=[*members, aw.committee_head])
    sitting = convene(aw, o, members=members, held_on=date(2026, 3, 20))
    app_clock.set_now("2026-03-20T15:00:00")
    attend(aw, sitting, members)
    o = decide(aw, o, {1: everyone(members, "reject")})
    assert o.outcome == "confirmed" and fresh(o.conclusion).state == "final"
    handover = Handover.objects.get(conclusion=o.conclusion)
    # Fri 20 Mar; Nauryz 23–25; Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue 31 (4), Wed 1 Apr (5).
    assert handover.due_on == date(2026, 4, 1) and "п.120" in handover.route
    app_clock.set_now("2026-03-31T09:00:00")  # the working day before: a reminder, once
    assert appeals.handovers_job()["reminded"] == 1
    assert appeals.handovers_job()["reminded"] == 0
    app_clock.set_now("2026-04-02T09:00:00")
    assert appeals.handovers_job()["overdue"] == 1
    assert Notification.objects.filter(user=aw.coordinator,
                                       key=f"appeals:handover-overdue:{handover.pk}").exists()


def test_routing_of_the_presidential_administration(aw):
    from assessments.models import Organisation

    presidential = Organisation.objects.get(evaluator_role="presidential_administration")
    c = Conclusion(direction="services", evaluator=presidential)
    text, _after_sitting = appeals.handover_route(c)
    assert "Администрация Президента" in text
    c.evaluator = aw.agency
    assert appeals.handover_route(c) is None
    c.evaluator, c.direction = aw.committee, "complaints"
    assert "п.120" in appeals.handover_route(c)[0]
    from appeals.tasks import handovers_due

    assert handovers_due() == {"created": 0, "reminded": 0, "overdue": 0}


def test_result_check_within_five_working_days_after_the_appeals(aw):
    c = aw.issued()
    with pytest.raises(DomainError, match="не завершены"):
        appeals.result_check_open(cycle=aw.cycle, body=aw.akimat, actor=aw.working_body,
                                  text="Жалоба органа", direction="services")
    appeals.no_objection_notify(conclusion=c, actor=aw.local_head)  # final on Thu 19 Mar
    assert appeals.appeals_ended_on(aw.cycle, aw.akimat, "services") == date(2026, 3, 19)
    with pytest.raises(PermissionDenied):
        appeals.result_check_open(cycle=aw.cycle, body=aw.akimat, actor=aw.local_head,
                                  text="Жалоба", direction="services")
    app_clock.set_now("2026-04-01T09:00:00")  # 5 working days after 19 Mar: 31 Mar (Nauryz)
    with pytest.raises(DomainError, match="31 марта 2026") as late:
        appeals.result_check_open(cycle=aw.cycle, body=aw.akimat, actor=aw.working_body,
                                  text="Жалоба органа на результат", direction="services")
    assert late.value.code == "late"
    check = appeals.result_check_open(cycle=aw.cycle, body=aw.akimat, actor=aw.working_body,
                                      text="Жалоба органа на результат", direction="services",
                                      lodged_on=date(2026, 3, 31))
    assert (check.state, check.last_day) == ("open", date(2026, 3, 31))
    with pytest.raises(DomainError, match="итог"):
        appeals.result_check_close(check=check, actor=aw.working_body, outcome=" ")
    with pytest.raises(PermissionDenied):
        appeals.result_check_close(check=check, actor=aw.local_head, outcome="x")
    check = appeals.result_check_close(check=check, actor=aw.working_body,
                                       outcome="Результаты подтверждены.")
    assert check.state == "closed" and ResultCheck.objects.get().closed_by == aw.working_body


def test_the_due_date_follows_the_route(aw):
    """p.116–118 (the Presidential Administration, the Prime Minister's Office)
    state no term — the hand-over is tracked without a due date (no reminder, never overdue);
    p.119–120 keep the 5th working day."""
    from assessments.models import Organisation

    presidential = Organisation.objects.get(evaluator_role="presidential_administration")
    openness = aw.issued(direction="openness")
    Conclusion.objects.filter(pk=openness.pk).update(evaluator=presidential)
    appeals.no_objection_notify(conclusion=fresh(openness), actor=aw.local_head)
    handover = Handover.objects.get(conclusion=openness)
    assert "Администрация Президента" in handover.route and handover.due_on is None
    complaints = aw.issued(direction="complaints")
    appeals.no_objection_notify(conclusion=complaints, actor=aw.local_head)
    assert Handover.objects.get(conclusion=complaints).due_on == date(2026, 3, 31)  # p.120
    app_clock.set_now("2026-06-01T09:00:00")  # long after: only the p.120 one is overdue
    assert appeals.handovers_job()["overdue"] == 1
    assert not Notification.objects.filter(key=f"appeals:handover-overdue:{handover.pk}").exists()
