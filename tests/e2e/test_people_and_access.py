"""Browser tests: every demo role logs in and sees its own home page; a wrong password and the
lockout show their messages; the language switch keeps the user on the same page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from demo import seed as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MY_STEPS = [demo.seed_admin, demo.seed_registry, demo.seed_evaluator_rules, demo.seed_people,
            demo.seed_cycle]


@pytest.fixture
def demo_people(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in MY_STEPS:
        step()


def _login(page, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def test_each_demo_role_logs_in_and_sees_its_own_home_page(page, demo_people):
    roles = {p.username: p for p in demo.PERSONAS}
    for username, _label in demo.DEMO_LOGINS:
        _login(page, username)
        assert page.url.endswith("/"), username
        assert page.get_by_test_id("whoami").is_visible(), username
        roles_box = page.get_by_test_id("my-roles")
        if username in roles:
            persona = roles[username]
            assert page.get_by_test_id("whoami").inner_text() == persona.full_name
            assert roles_box.get_by_test_id(f"role-{persona.role}").is_visible(), username
        else:
            assert "Администратор" in roles_box.inner_text()
        assert page.get_by_test_id("body-counts").is_visible()
        assert page.get_by_test_id("schedule").is_visible(), username
        page.get_by_role("button", name="Выйти").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Войти").first.is_visible()


def test_a_submitter_sees_only_their_body_in_the_registry(page, demo_people):
    _login(page, "cgo-submitter")
    page.get_by_role("link", name="Реестр органов").first.click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("registry").locator("tbody tr")
    texts = rows.all_inner_texts()
    assert any("Министерство финансов" in text for text in texts)
    assert not any("Акимат" in text for text in texts)


def test_a_wrong_password_shows_the_error(page, demo_people):
    _login(page, "mio-head", "not-the-password")
    error = page.get_by_test_id("login-error")
    assert error.is_visible()
    assert "правильн" in error.inner_text().lower()
    assert page.get_by_test_id("whoami").count() == 0


def test_repeated_failures_lock_the_account_with_a_clear_message(page, demo_people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(page, "agency-assessor", "wrong")
    _login(page, "agency-assessor")  # even the right password is refused now
    lockout = page.get_by_test_id("lockout")
    assert lockout.is_visible()
    assert "заблокирован" in lockout.inner_text()
    assert page.get_by_test_id("whoami").count() == 0


def test_the_language_switch_keeps_the_user_on_the_same_page(page, demo_people):
    _login(page, "coordinator")
    page.goto("/bodies/?kind=local&level=oblast")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.select_option("#lang-select", "kk")
    page.get_by_test_id("lang-submit").click()
    page.wait_for_load_state()
    assert re.search(r"/bodies/\?kind=local&level=oblast$", page.url)
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("heading", level=1).inner_text() == "Органдар тізілімі"
    assert "Ақмола облысының әкімдігі" in page.get_by_test_id("registry").inner_text()
    page.select_option("#lang-select", "en")
    page.get_by_test_id("lang-submit").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Registry of bodies"
    assert page.get_by_test_id("whoami").is_visible()
