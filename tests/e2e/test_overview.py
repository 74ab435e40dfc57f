"""Browser walk of the cycle's overview: the coordinator filters to overdue local bodies, opens
one, exports the ranking to XLSX and reads the file back; a body's person sees its own row and
not another body's."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from assessments.models import Cycle, Milestone, Organisation
from demo import seed as demo
from demo.scores import seed_scores
from tests.e2e.test_scores import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in (demo.seed_admin, demo.seed_registry, demo.seed_evaluator_rules,
                 demo.seed_people, demo.seed_cycle, seed_scores):
        step()
    cycle = Cycle.objects.get(is_current=True)
    # The reports were due a week ago and none came: every body × direction is overdue.
    Milestone.objects.update_or_create(
        cycle=cycle, code=Milestone.Code.SUBMISSION, direction="",
        defaults={"name_ru": "Отчёты", "name_kk": "Есептер",
                  "due_on": clock.today() - timedelta(days=7)})
    return cycle


def test_coordinator_filters_opens_and_exports(page, world):
    local = list(Organisation.objects.filter(is_evaluated=True, kind="local"))
    central = Organisation.objects.filter(is_evaluated=True, kind="central").first()
    login(page, "coordinator")
    page.get_by_test_id("nav-overview").click()
    page.get_by_label("Вид органа").select_option("local")
    page.get_by_label("Только просроченные").check()
    page.get_by_test_id("apply-filters").click()
    page.wait_for_load_state()
    assert "kind=local" in page.url and "overdue=on" in page.url  # the view is a link
    rows = page.get_by_test_id("overview-row")
    assert rows.count() > 0
    names = set(rows.get_by_test_id("body-link").all_inner_texts())
    assert names <= {b.name_ru for b in local} and central.name_ru not in names
    assert rows.get_by_test_id("overdue").count() == rows.count()

    first = rows.first.get_by_test_id("body-link")
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    assert page.get_by_test_id("body-cycle").count() >= 1

    page.goto("/overview/rankings/?direction=overall&group=local")
    shown = page.get_by_test_id("ranking-row")
    expected = [(int(r.get_by_test_id("rank").inner_text()),
                 r.locator("th").inner_text()) for r in shown.all()]
    assert expected and page.get_by_test_id("provisional").is_visible()
    with page.expect_download() as download:
        page.get_by_test_id("export-rankings-xlsx").click()
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = wb["Итоговая оценка"]
    assert sheet.freeze_panes == "A2"
    read = [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert read == expected
    assert {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "предварительная"}


def test_a_body_person_sees_its_own_row_only(page, world):
    own = demo.body("akimat-akmola")
    other = demo.body("akimat-ulytau")
    login(page, "mio-head")
    page.get_by_test_id("nav-overview").click()
    page.wait_for_load_state()
    names = set(page.get_by_test_id("body-link").all_inner_texts())
    assert names == {own.name_ru}
    page.goto("/overview/rankings/?direction=overall&group=local")
    rows = page.get_by_test_id("ranking-row")
    assert rows.count() == 1 and own.name_ru in rows.first.inner_text()
    assert other.name_ru not in page.content()
    response = page.goto(f"/overview/bodies/{other.pk}/")
    assert response.status == 404
