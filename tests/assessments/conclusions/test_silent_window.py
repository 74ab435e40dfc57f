"""A silent window is recorded (p.109–112): a conclusion whose window closes with neither an
objection nor a "no objections" notice is recorded as such — its outcome, the transition's log, an
audit entry — on its page and in the coordinator's lists, by the clock's job or on reading it,
once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.conclusions import services as svc
from assessments.models import AuditEntry, Conclusion, WindowOutcome
from tests.worlds.conclusion_steps import draft, fresh, issued, logs
from tests.worlds.conclusions import person


def test_a_window_closing_with_neither_objection_nor_notice_is_recorded_silent(
    signing_world, clock
):
    w = signing_world
    notified = issued(w, draft(w, w.ministry, "openness"))  # received 19 March, last day 31 March
    silent = issued(w, draft(w, w.ministry, "complaints"))
    objected = issued(w, draft(w, w.akimat, "openness"))
    svc.conclusion_finalise(conclusion=notified, actor=w.head, reason="Возражений нет (п.112)")
    svc.conclusion_open_appeal(conclusion=objected, actor=w.local_head)
    assert fresh(notified).window_outcome == WindowOutcome.NO_OBJECTIONS
    assert fresh(objected).window_outcome == WindowOutcome.OBJECTION
    assert fresh(silent).window_outcome == ""  # still open: nothing to record yet
    clock.set_now("2026-03-31T23:59:00")
    assert svc.conclusion_windows_close() == []
    clock.set_now("2026-04-01T00:01:00")
    (done,) = svc.conclusion_windows_close()
    c = fresh(silent)
    assert done.pk == c.pk
    assert (c.state, c.window_outcome) == ("final", WindowOutcome.SILENT)
    log = logs(c)[-1]
    assert (log.transition, log.source_state, log.state, log.by) == (
        "finalise", "issued", "final", None)
    assert "31 марта 2026" in log.description
    assert "ни возражений, ни уведомления об их отсутствии" in log.description
    entry = AuditEntry.objects.get(action="window_silent", object_id=c.pk)
    assert entry.actor is None
    # idempotent: beat runs it again, nothing changes
    assert svc.conclusion_windows_close() == []
    assert len([x for x in logs(c) if x.transition == "finalise"]) == 1
    assert AuditEntry.objects.filter(action="window_silent").count() == 1
    # the others keep their own outcomes
    assert fresh(notified).window_outcome == WindowOutcome.NO_OBJECTIONS
    assert fresh(objected).window_outcome == WindowOutcome.OBJECTION
    # annexes without a window never get an outcome
    assert not Conclusion.objects.filter(version__gt=1, window_outcome__gt="").exists()


def test_the_page_records_a_passed_window_on_reading_and_the_lists_show_it(
    signing_world, clock, client
):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "complaints"))
    kept = issued(w, draft(w, w.ministry, "openness"))
    svc.conclusion_finalise(conclusion=kept, actor=w.head, reason="Возражений нет")
    clock.set_now("2026-04-01T09:00:00")
    # no beat yet: the body's reading of the page records the silence, once
    client.force_login(w.head)
    page = client.get(reverse("conclusions:conclusion_detail", args=[c.pk])).content.decode()
    assert fresh(c).window_outcome == WindowOutcome.SILENT and fresh(c).state == "final"
    assert 'data-outcome="silent"' in page
    assert "Срок истёк: ни возражений, ни уведомления об их отсутствии" in page
    client.get(reverse("conclusions:conclusion_detail", args=[c.pk]))
    assert len([x for x in logs(c) if x.transition == "finalise"]) == 1
    # the lists: filtered by the window's outcome
    listed = client.get(reverse("conclusions:conclusion_list") + "?window=silent")
    rows = [row for row, _window in listed.context["rows"]]
    assert rows == [fresh(c)]
    assert 'data-outcome="silent"' in listed.content.decode()
    # the coordinator's overview of the appeals
    coordinator = person("coordinator", w.agency, "coordinator")
    client.force_login(coordinator)
    overview = client.get(reverse("appeals:overview"))
    assert overview.status_code == 200
    assert [x.pk for x in overview.context["silent"]] == [c.pk]
    assert f'data-conclusion="{c.pk}"' in overview.content.decode()


def test_the_overview_records_windows_the_clock_has_not_closed_yet(signing_world, clock, client):
    w = signing_world
    c = issued(w, draft(w, w.akimat, "complaints"))
    clock.set_now("2026-04-02T09:00:00")
    client.force_login(person("coordinator", w.agency, "coordinator"))
    overview = client.get(reverse("appeals:overview"))
    assert [x.pk for x in overview.context["silent"]] == [c.pk]
    assert fresh(c).window_outcome == WindowOutcome.SILENT


@pytest.mark.parametrize("state", ["final", "under_appeal"])
def test_the_coordinator_list_never_shows_a_window_with_an_outcome_of_its_own(
    signing_world, clock, client, state
):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "openness"))
    if state == "final":
        svc.conclusion_finalise(conclusion=c, actor=w.head, reason="Возражений нет")
    else:
        svc.conclusion_open_appeal(conclusion=c, actor=w.head)
    clock.set_now("2026-04-02T09:00:00")
    client.force_login(person("coordinator", w.agency, "coordinator"))
    assert list(client.get(reverse("appeals:overview")).context["silent"]) == []
