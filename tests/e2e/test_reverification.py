"""Browser test: the assessor records a finding on the workspace, issues the act and signs it; the
act's page shows each signature's status; the body's head then signs with remarks."""

from __future__ import annotations

import pytest

from tests.worlds.factories import PASSPHRASE, PASSWORD

# personas, cycle2025, selected, credentials: tests/worlds/fixtures.py
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("fast_passwords")]


def _login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def _logout(page) -> None:
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()


def test_the_assessor_records_a_finding_and_the_act_shows_its_signatures(
    page, personas, selected, credentials
):
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    # only the assessors assigned to the body record its findings (issue 16)
    AssessorAssignment.objects.get_or_create(
        cycle=selected.cycle, body=selected.body, direction="services",
        assessor=personas.assessor, defaults={"assigned_at": clock.now()})
    _login(page, "assessor")
    page.goto(f"/reverification/{selected.pk}/")
    assert page.get_by_test_id("rv-state").get_attribute("data-state") == "selected"

    # record a finding: one missing table (2 points)
    page.get_by_test_id("finding-form").locator("summary").click()
    page.get_by_label("Неполная информация").check()
    page.get_by_label("Описание факта").fill("В отчёте отсутствует таблица 3 (сроки)")
    page.get_by_label("Раздел отчётной информации").fill("Таблица 3")
    page.get_by_test_id("finding-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("finding").count() == 1
    assert "В отчёте отсутствует таблица 3" in page.get_by_test_id("findings").inner_text()
    assert page.get_by_test_id("deduction-value").inner_text() == "2,00"

    # findings complete, act issued
    page.get_by_test_id("action-complete").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    page.get_by_test_id("action-issue").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert "/reverification/acts/" in page.url
    assert page.get_by_test_id("verification").get_attribute("data-status") == "unsigned"
    assert page.get_by_test_id("act-deduction").inner_text() == "2,00"

    # the evaluating body's representative signs
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    slots = page.get_by_test_id("slot")
    assert slots.nth(0).get_attribute("data-signed") == "yes"
    assert slots.nth(0).get_attribute("data-status") == "valid_trusted"
    assert slots.nth(1).get_attribute("data-signed") == "no"
    assert page.get_by_test_id("act-status").inner_text() == "действительна и доверенная"
    act_url = page.url
    _logout(page)

    # the body's head signs with remarks
    _login(page, "head")
    page.goto(act_url)
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_label("Замечания к акту (если подписываете с замечаниями)").fill(
        "Таблица 3 направлена письмом")
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    assert [slots.nth(i).get_attribute("data-status") for i in range(2)] == [
        "valid_trusted", "valid_trusted"]
    assert "Таблица 3 направлена письмом" in page.get_by_test_id("remarks").inner_text()
    assert page.get_by_test_id("document-state").inner_text() == "Подписан"
