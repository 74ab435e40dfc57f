import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_russian_and_the_switch_changes_language(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Операционная оценка")
    # the skip link and the landmarks are there
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1

    page.select_option("#lang-select", "kk")
    page.get_by_test_id("lang-submit").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "жедел бағалау" in page.get_by_role("heading", level=1).inner_text().lower()

    page.select_option("#lang-select", "en")
    page.get_by_test_id("lang-submit").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Operational assessment" in page.get_by_role("heading", level=1).inner_text()
