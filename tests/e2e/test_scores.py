"""Browser test of scores: a ministry's head opens its scores, reads why a number is what it is,
plays with the what-if page (live, htmx) and sees an invalid value flagged next to its field;
the coordinator recomputes the cycle and watches the progress bar finish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import AuditEntry, ScoreSheet, ScoringInput
from demo import seed as demo
from demo.scores import seed_scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in (
        demo.seed_admin,
        demo.seed_registry,
        demo.seed_evaluator_rules,
        demo.seed_people,
        demo.seed_cycle,
        seed_scores,
    ):
        step()
    return demo.body("mf")


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def test_head_reads_scores_and_plays_what_if(page, world):
    from assessments.models import Cycle

    cycle = Cycle.objects.get(is_current=True)
    stored = ScoreSheet.objects.get(body=world, direction="services", is_current=True)
    login(page, "cgo-head")
    page.get_by_test_id("nav-scores").click()
    page.get_by_role("link", name=world.name_ru).click()
    assert page.get_by_test_id("final-services").inner_text() == str(stored.final)
    page.get_by_test_id("row-services-T1").get_by_text("почему").click()
    assert "max(0, k − a / b × 10000)" in page.get_by_test_id("row-services-T1").inner_text()

    page.get_by_test_id("whatif-link").click()
    counts = (ScoringInput.objects.count(), ScoreSheet.objects.count(), AuditEntry.objects.count())
    rendered = page.locator('[name="services.rendered"]').input_value()
    # More late services than rendered: the engine's error shows next to the field, live.
    page.fill('[name="services.late"]', str(int(rendered) + 1))
    page.locator('[name="services.late"]').press("Tab")
    error = page.get_by_test_id("field-error")
    error.wait_for()
    assert "services.late" in error.inner_text()
    assert page.get_by_test_id("whatif-error-path").inner_text() == "services.late"
    # No late services at all: T1 takes its maximum, the page says what changes.
    page.fill('[name="services.late"]', "0")
    page.locator('[name="services.late"]').press("Tab")
    page.get_by_test_id("row-services-T1").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=row-services-T1] strong')"
        " && document.querySelector('[data-testid=row-services-T1] strong').textContent == '12.00'"
    )
    assert counts == (
        ScoringInput.objects.count(),
        ScoreSheet.objects.count(),
        AuditEntry.objects.count(),
    )
    assert reverse("scores:whatif", args=[cycle.code, world.pk]) in page.url


def test_coordinator_recomputes_and_watches_progress(page, world, monkeypatch):
    from assessments.scores import tasks

    # Run the queued task in-process whatever the broker (with Redis configured, no worker runs
    # here); the real worker is tested in tests/assessments/scores/test_worker.py.
    monkeypatch.setattr(tasks.recompute_cycle, "apply_async",
                        lambda args=(), kwargs=None, **o: tasks.recompute_cycle.apply(
                            args=args, kwargs=kwargs))
    login(page, "coordinator")
    page.get_by_test_id("nav-scores").click()
    page.get_by_test_id("recompute").click()
    page.get_by_test_id("recompute-confirm").click()
    page.wait_for_load_state()
    state = page.get_by_test_id("job-state")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=job-state]').textContent.trim() == 'Завершено'"
    )
    assert state.inner_text() == "Завершено"
    assert page.get_by_test_id("job-result").is_visible()
