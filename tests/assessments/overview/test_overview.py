"""The cycle's overview and rankings: stages and deadlines on the Kazakh calendar, filters in the
URL, who sees which rows (the access registry), ranks with ties, bands, movement and the
provisional label, and query counts that do not grow with the number of bodies."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.kernel.calendar import working_days_between, working_days_left
from assessments.models import Cycle
from assessments.overview import selectors
from tests.assessments.overview import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas, clock):
    r = personas.registry
    cycle = Cycle.objects.create(code="2025", year=2025, edition="2023", is_current=True)
    previous = Cycle.objects.create(code="2024", year=2024, edition="2023")
    # 19.03.2026 (Thu); 20–25.03 are Nauryz days off; submission was due 16.03 (overdue).
    w.milestones(cycle, submission=date(2026, 3, 16), reverification=date(2026, 4, 10),
                 conclusions=date(2026, 5, 5), appeals=date(2026, 6, 1))
    w.report(cycle, r.ministry, "services", "accepted")
    w.report(cycle, r.ministry, "openness", "submitted")
    w.report(cycle, r.akimat, "services", "returned")
    w.conclusion(cycle, r.ministry, "complaints", "issued", evaluator=r.committee,
                 objection_deadline=date(2026, 3, 27))
    w.conclusion(cycle, r.other_ministry, "services", "final", evaluator=r.agency)
    for body, score in ((r.ministry, 91), (r.other_ministry, 75), (r.supreme_court, 75)):
        w.sheet(cycle, body, "overall", score)
        w.sheet(cycle, body, "services", score)
    w.sheet(cycle, r.akimat, "overall", 60)
    w.sheet(previous, r.ministry, "overall", 70)
    w.sheet(previous, r.other_ministry, "overall", 95)
    return cycle


def _rows(user, cycle):
    return {(row.body_id, row.direction): row for row in selectors.overview_rows(user, cycle)}


def test_working_days_left_counts_the_kazakh_calendar():
    today = date(2026, 3, 19)
    left = working_days_left(today, [date(2026, 3, 16), date(2026, 3, 19), date(2026, 3, 27)])
    # 21–25 March: a weekend and Nauryz — 20, 26 and 27 March are the working days ahead
    assert left[date(2026, 3, 19)] == 0
    assert left[date(2026, 3, 16)] == -3  # 17, 18, 19 March passed
    assert left[date(2026, 3, 27)] == 3 == working_days_between(today, date(2026, 3, 27))


def test_each_body_and_direction_has_its_stage_and_next_deadline(scene, personas):
    r = personas.registry
    rows = _rows(personas.coordinator, scene)
    assert rows[(r.ministry.pk, "services")].stage == "report_accepted"
    assert rows[(r.ministry.pk, "services")].deadline == date(2026, 5, 5)
    assert rows[(r.ministry.pk, "openness")].stage == "report_submitted"
    assert rows[(r.akimat.pk, "services")].stage == "report_returned"
    assert rows[(r.akimat.pk, "services")].overdue
    due = rows[(r.other_ministry.pk, "openness")]
    assert due.stage == "report_due" and due.days_left == -3 and due.overdue
    window = rows[(r.ministry.pk, "complaints")]
    assert window.stage == "window_open" and window.deadline == date(2026, 3, 27)
    assert window.days_left == 3 and not window.overdue
    assert rows[(r.other_ministry.pk, "services")].stage == "final"
    assert rows[(r.other_ministry.pk, "services")].deadline is None
    # every evaluated body × direction is there, sub-units and evaluators' own rows are not
    assert (r.district.pk, "services") not in rows
    assert (r.ministry_committee.pk, "services") not in rows


def test_filters_counts_and_overdue_first(scene, personas):
    r = personas.registry
    data = selectors.overview(personas.coordinator, scene)
    overdue = [row.overdue for row in data.rows]
    assert overdue == sorted(overdue, reverse=True) and overdue[0]
    assert data.counts["report_returned"] == 1 and data.counts["window_open"] == 1
    local = selectors.overview(personas.coordinator, scene,
                               filters={"kind": "local", "overdue": True})
    assert {row.body_id for row in local.rows} == {r.akimat.pk}
    assert all(row.overdue for row in local.rows)
    found = selectors.overview(personas.coordinator, scene, filters={"q": r.ministry.bin})
    assert {row.body_id for row in found.rows} == {r.ministry.pk}
    staged = selectors.overview(personas.coordinator, scene, filters={"stage": "window_open"})
    assert [(row.body_id, row.direction) for row in staged.rows] == [(r.ministry.pk,
                                                                       "complaints")]


def test_who_sees_which_rows(scene, personas):
    r = personas.registry
    own = _rows(personas.submitter, scene)
    assert {body for body, _d in own} == {r.ministry.pk}
    assert len(own) == 3
    openness = _rows(personas.assessor_other_direction, scene)
    assert {d for _b, d in openness} == {"openness"}
    assert r.ministry.pk in {b for b, _d in openness}
    assert selectors.may_view(personas.outsider) is False


def test_the_page_keeps_its_filters_in_the_url(scene, personas, client):
    r = personas.registry
    client.force_login(personas.coordinator)
    url = reverse("overview:overview") + "?kind=local&overdue=on&cycle=2025"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert r.akimat.name_ru in html and r.ministry.name_ru not in html
    assert 'name="overdue" checked' in html or "checked" in html
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 403


def test_the_pages_in_kazakh_and_english(scene, personas, client, settings,
                                         default_language_after):
    client.force_login(personas.coordinator)
    for language, words in (("kk", ("Циклға шолу", "Мерзімі өткені", "Есеп пысықтауға қайтарылды")),
                            ("en", ("Cycle overview", "Overdue", "Report returned for rework"))):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(reverse("overview:overview")).content.decode()
        for word in words:
            assert word in html, (language, word)
        ranking = client.get(reverse("overview:rankings")).content.decode()
        assert ("Алдын ала рейтинг" if language == "kk" else "Provisional ranking") in ranking


def test_ranks_ties_bands_movement_and_the_provisional_label(scene, personas):
    r = personas.registry
    ranking = selectors.ranking(personas.coordinator, scene, "overall", "central")
    table = [(row.body_id, row.rank, str(row.score), row.band, row.movement)
             for row in ranking.rows]
    assert table[0] == (r.ministry.pk, 1, "91.00", "high", 1)  # 2nd in 2024, up one place
    tied = {row.body_id: row for row in ranking.rows[1:]}
    assert {row.rank for row in tied.values()} == {2}  # equal scores, equal places
    assert tied[r.other_ministry.pk].movement == -1
    assert tied[r.supreme_court.pk].movement is None  # not ranked in 2024
    assert ranking.provisional  # no block conclusion is final
    local = selectors.ranking(personas.coordinator, scene, "overall", "local")
    assert [row.body_id for row in local.rows] == [r.akimat.pk]
    by_level = selectors.ranking(personas.coordinator, scene, "overall", "local:oblast")
    assert [row.body_id for row in by_level.rows] == [r.akimat.pk]


def test_a_ranking_is_final_once_every_conclusion_behind_it_is(scene, personas):
    r = personas.registry
    services = selectors.ranking(personas.coordinator, scene, "services", "central")
    assert services.provisional
    for body in (r.ministry, r.supreme_court):
        w.conclusion(scene, body, "services", "final", evaluator=r.agency)
    services = selectors.ranking(personas.coordinator, scene, "services", "central")
    assert not services.provisional and all(row.final for row in services.rows)


def test_a_body_sees_its_own_row_only(scene, personas, client):
    r = personas.registry
    ranking = selectors.ranking(personas.submitter, scene, "overall", "central")
    assert [(row.body_id, row.rank) for row in ranking.rows] == [(r.ministry.pk, 1)]
    assert ranking.ranked == 3
    client.force_login(personas.submitter)
    html = client.get(reverse("overview:rankings") + "?direction=overall&group=central").content
    assert r.ministry.name_ru.encode() in html and r.other_ministry.name_ru.encode() not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["overview:overview", "overview:rankings"])
def test_query_count_does_not_grow_with_the_bodies(scene, personas, client, name):
    r = personas.registry
    client.force_login(personas.coordinator)
    url = reverse(name) + ("?group=local" if name == "overview:rankings" else "")
    _queries(client, url)  # warm the caches (content types, sessions)
    before = _queries(client, url)
    for body in w.more_bodies(30):
        w.report(scene, body, "services", "submitted")
        w.sheet(scene, body, "overall", 55)
        w.conclusion(scene, body, "openness", "draft", evaluator=r.miod)
    after = _queries(client, url)
    assert after == before
    assert before <= 25


def test_a_final_conclusion_handed_over_says_so(scene, personas):
    """The hand-over (appeals' own rows) reaches the overview through the stage registry."""
    from appeals.models import Handover
    from assessments.kernel import clock
    from assessments.models import Conclusion

    r = personas.registry
    final = Conclusion.objects.get(cycle=scene, body=r.other_ministry, direction="services")
    handover = Handover.objects.create(conclusion=final, to=r.agency, route="p.116",
                                       due_on=date(2026, 3, 18), created_at=clock.now())
    row = _rows(personas.coordinator, scene)[(r.other_ministry.pk, "services")]
    assert (row.stage, row.deadline, row.overdue) == ("handover_due", date(2026, 3, 18), True)
    Handover.objects.filter(pk=handover.pk).update(handed_at=clock.now())
    row = _rows(personas.coordinator, scene)[(r.other_ministry.pk, "services")]
    assert (row.stage, row.deadline) == ("handed_over", None)


def test_a_body_page_across_cycles_with_its_charts(scene, personas, client):
    r = personas.registry
    client.force_login(personas.submitter)
    html = client.get(reverse("overview:body", args=[r.ministry.pk])).content.decode()
    assert "Оценки по циклам" in html and "Критерии против максимума" in html
    assert html.count('data-testid="body-cycle"') == 2  # 2025 and 2024
    assert reverse("scores:body_scores", args=["2025", r.ministry.pk]) + "#services-K1" in html
    assert "<svg" in html and "<table" in html  # each chart with its table
    assert client.get(reverse("overview:body", args=[r.other_ministry.pk])).status_code == 404
