"""Browser test of submission: an akimat fills and submits its three reports; MIOD's assessor
returns the openness report with a comment, the akimat reworks and resubmits it, the assessor
accepts it, scores openness and sees the assembled input and scores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo import seed as demo
from demo.submission import seed_public_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The live server's tasks (the assembly after accepting, the recompute) run in-process
    even where Redis is configured: this test has no worker, and the page it ends on shows the
    stored scoring input they produce (the real worker: tests/config/test_celery_worker.py)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def world(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in (demo.seed_admin, demo.seed_registry, demo.seed_evaluator_rules,
                 demo.seed_people, demo.seed_cycle, seed_public_services):
        step()
    return demo.body("akimat-akmola")


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def fill_counts(page, values: dict) -> None:
    for name, value in values.items():
        page.fill(f'[name="{name}"]', str(value))


def save(page) -> None:
    page.get_by_test_id("save-section").click()
    page.wait_for_load_state()


def submit(page, confirm_missing: bool = False) -> None:
    """Submit the report, confirming the elements it lacks when the page lists any (p.18);
    ``confirm_missing``: the test knows one is missing, and the page must ask."""
    page.get_by_test_id("submit-report").click()
    page.get_by_test_id("confirm-submit").wait_for()
    missing = page.get_by_test_id("confirm-missing")
    if confirm_missing:
        assert missing.count() == 1
    if missing.count():
        missing.locator("input").check()
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-state").inner_text() == "Представлен"
    assert "просрочка 58 дн." in page.get_by_test_id("late").inner_text()


def test_body_submits_three_directions_and_assessor_returns_then_accepts(page, world):
    from assessments.models import Report

    login(page, "mio-head")
    page.goto(reverse("submission:body_reports", args=["2025", world.pk]))
    # --- complaints: a wrong value is shown next to its field and nothing typed is lost
    page.get_by_test_id("report-complaints").click()
    page.get_by_test_id("edit-complaints").click()
    counts = {"received": 500, "handled": 480, "handled_late": 600, "redirected_late": 3,
              "court_upheld": 0, "disciplinary_actions": 5, "excused": 0}
    fill_counts(page, counts)
    save(page)
    assert "Не может быть больше" in page.locator("#id_handled_late-error").inner_text()
    assert page.input_value('[name="received"]') == "500"
    fill_counts(page, {"handled_late": 6})
    save(page)
    assert "сохранён" in page.locator(".messages").inner_text()
    submit(page)
    # --- services: one kind of service from the register
    page.goto(reverse("submission:body_reports", args=["2025", world.pk]))
    page.get_by_test_id("report-services").click()
    page.get_by_test_id("edit-services").click()
    page.select_option('[name="rows-0-service"]', "00601006")
    page.select_option('[name="rows-0-basis"]', "own_records")
    fill_counts(page, {"rows-0-rendered": 800, "rows-0-late": 4, "rows-0-unjustified_refusals": 0,
                       "rows-0-incomplete_package": 1, "rows-0-extra_documents": 0,
                       "rows-0-justified_complaints": 0})
    save(page)
    submit(page)
    # --- openness: the annex 9 tables, links per language version
    page.goto(reverse("submission:body_reports", args=["2025", world.pk]))
    page.get_by_test_id("report-openness").click()
    openness_url = page.url
    for key in ("t1_open_data", "t3_open_budget", "t4_open_npa", "t5_open_dialogue",
                "t5_1_media"):
        page.get_by_test_id(f"edit-{key}").click()
        if key == "t1_open_data":
            page.fill('[name="published__kk"]', "https://data.egov.kz/kk/akmola")
            page.fill('[name="published__ru"]', "https://data.egov.kz/ru/akmola")
        if key == "t5_open_dialogue":
            fill_counts(page, {"blog_posts": 30, "questions_received": 100,
                               "questions_answered_on_time": 90, "rated_answers": 50,
                               "disliked_answers": 2})
        if key == "t5_1_media":
            fill_counts(page, {"events_high_publicity_kk": 5, "events_high_publicity_ru": 6,
                               "events_total": 14, "requests_received": 20,
                               "requests_answered": 20, "requests_answered_late": 1})
        save(page)
    submit(page, confirm_missing=True)  # table 2 left empty: an incompleteness fact
    # --- the assessor returns the openness report with a comment on a section
    login(page, "miod-assessor")
    page.goto(openness_url)
    page.get_by_test_id("start-review").click()
    page.get_by_test_id("confirm-review").click()
    page.get_by_test_id("return-report").click()
    page.get_by_test_id("confirm-return").click()  # no comment: refused with a message
    assert "хотя бы по одному разделу" in page.get_by_test_id("form-errors").inner_text()
    page.fill('[name="section__t1_open_data"]', "Добавьте ссылку на раздел сайта.")
    page.get_by_test_id("confirm-return").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-state").inner_text() == "Возвращён на доработку"
    # --- the body reworks and resubmits
    login(page, "mio-head")
    page.goto(openness_url)
    assert "Добавьте ссылку" in page.get_by_test_id("return-comment-t1_open_data").inner_text()
    page.get_by_test_id("edit-t1_open_data").click()
    page.fill('[name="needs_events__kk"]', "https://akmo.gov.kz/kk/events")
    save(page)
    assert page.get_by_test_id("report-state").inner_text() == "Черновик"
    submit(page)
    # --- the assessor accepts and scores openness
    login(page, "miod-assessor")
    page.goto(openness_url)
    page.get_by_test_id("start-review").click()
    page.get_by_test_id("confirm-review").click()
    page.get_by_test_id("accept-report").click()
    page.get_by_test_id("confirm-accept").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-state").inner_text() == "Принят"
    page.goto(reverse("submission:openness_workspace", args=["2025", world.pk]))
    page.fill('[name="open_data.published.kk"]', "3")  # above the maximum 2.5
    page.get_by_test_id("save-scores").click()
    page.wait_for_load_state()
    assert "от 0 до 2.5" in page.locator(".has-error .field-error").first.inner_text()
    page.fill('[name="open_data.published.kk"]', "2.5")
    page.fill('[name="open_data.published.ru"]', "2")
    page.get_by_test_id("save-scores").click()
    page.wait_for_load_state()
    assert "Оценка сохранена" in page.locator(".messages").inner_text()
    page.goto(reverse("scores:scoring_input_page", args=["2025", world.pk]))
    assert "openness.open_data.scores.published.kk" in page.get_by_test_id(
        "stored-input").inner_text()  # the stored input, with the assessor's scores
    assert page.get_by_test_id("final-openness").inner_text() != ""  # the stored sheet
    states = dict(Report.objects.filter(body=world).values_list("direction", "state"))
    assert states == {"complaints": "submitted", "services": "submitted",
                      "openness": "accepted"}
