"""The main menu (issue 21): each person sees the sections they may open — the kernel's menu
registry asks the access registry — the page's section marked, the unread notifications counted;
every entry shown opens (200) and every section not shown refuses with its reason. Breadcrumbs on
object pages; styled, translated error pages that say why and link back."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.kernel import access, menu

pytestmark = pytest.mark.django_db


def nav_keys(html: str) -> list[str]:
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'data-testid="nav-([a-z-]+)"', nav)


def test_every_menu_entry_names_a_registered_section_and_a_real_page():
    assert {e.key for e in menu.entries()} >= {
        "home", "reports", "reverification", "scores", "conclusions", "appeals", "documents",
        "imports", "organisations", "cycles", "reference", "notifications", "jobs", "audit",
        "admin"}
    sections = set(access.registered_sections())
    for entry in menu.entries():
        assert entry.section is None or entry.section in sections, entry.key
        reverse(entry.url_name)


def test_each_person_sees_what_they_may_open_and_every_entry_opens(personas, client,
                                                                  current_cycle):
    """Each entry shown answers 200; the tools not shown (imports, jobs, the audit log) answer
    403 with the section's reason (the import page was shown to everyone and answered a bare
    403). The list pages of other sections show a person only what they may see."""
    people = [personas.submitter, personas.head, personas.assessor, personas.unit_head,
              personas.signatory, personas.coordinator, personas.admin,
              personas.committee_assessor, personas.digital_assessor]
    seen = {}
    for user in people:
        client.force_login(user)
        keys = nav_keys(client.get(reverse("portal:home")).content.decode())
        seen[user.username] = keys
        for entry in menu.entries():
            if entry.section is None or entry.key == "admin":
                continue
            response = client.get(reverse(entry.url_name), follow=True)
            if entry.key in keys:
                assert response.status_code == 200, (user.username, entry.key)
            elif entry.key in ("imports", "jobs", "audit"):
                assert response.status_code == 403, (user.username, entry.key)
                assert 'data-testid="error-reason"' in response.content.decode()
    assert "imports" not in seen["submitter"] and "jobs" not in seen["submitter"]
    assert "reports" in seen["submitter"] and "documents" not in seen["submitter"]
    assert "documents" in seen["head"]
    assert {"jobs", "audit", "admin", "imports"} <= set(seen["root"])
    assert "jobs" in seen["coordinator"] and "audit" not in seen["coordinator"]
    assert "imports" in seen["digital_assessor"]


def test_the_current_section_is_marked_and_unread_notifications_counted(personas, client,
                                                                         current_cycle):
    from assessments.kernel.notifications import notification_mark_read, notify

    notify([personas.submitter], "Первое", email=False)
    notify([personas.submitter], "Второе", email=False)
    client.force_login(personas.submitter)
    html = client.get(reverse("submission:report_queue")).content.decode()
    current = re.findall(r'<a href="[^"]*" data-testid="nav-([a-z]+)" aria-current="page"', html)
    assert current == ["reports"]
    assert re.search(r'data-testid="nav-notifications-count">.*?2', html)
    notification_mark_read(user=personas.submitter)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="nav-notifications-count"' not in html
    assert re.findall(r'data-testid="nav-([a-z]+)" aria-current="page"', html) == ["home"]


def test_the_menu_collapses_behind_an_accessible_button(personas, client, current_cycle):
    client.force_login(personas.submitter)
    html = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'<button type="button" class="menu-toggle" aria-expanded="false" '
                     r'aria-controls="site-menu"', html)
    assert 'id="site-menu"' in html and "js/nav.js" in html


def test_a_new_entry_registered_by_a_feature_appears_for_those_its_section_admits(
        personas, client, current_cycle):
    """Another feature adds a page: its entry comes through the registry, not the template."""

    @access.section("test-overview")
    def _overview(p):
        return p.is_coordinator

    menu.entry("test-overview", "Обзор", "portal:home", order=5, section="test-overview",
               current=("nothing:*",))
    try:
        client.force_login(personas.coordinator)
        assert "test-overview" in nav_keys(client.get(reverse("portal:home")).content.decode())
        client.force_login(personas.submitter)
        assert "test-overview" not in nav_keys(
            client.get(reverse("portal:home")).content.decode())
    finally:
        menu._ENTRIES.pop("test-overview")
        access._sections.pop("test-overview")


# --- Error pages -----------------------------------------------------------------------------


def test_404_is_styled_translated_and_links_home(personas, client, settings):
    client.force_login(personas.submitter)
    for lang, title in (("ru", "Страница не найдена"), ("kk", None), ("en", None)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/reports/")
        html = response.content.decode()
        assert response.status_code == 404
        assert f'<html lang="{lang}">' in html
        assert 'data-testid="error-404"' in html and 'data-testid="error-home"' in html
        assert 'href="/reports/" data-testid="error-back"' in html
        assert 'class="main-nav"' in html  # the menu: the way on
        if title:
            assert title in html
        else:
            assert "Страница не найдена" not in html


def test_403_says_why(personas, client, current_cycle):
    client.force_login(personas.submitter)
    response = client.get(reverse("submission:import_list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Импорт данных доступен экспертам" in html
    assert 'data-testid="error-home"' in html and '<html lang="ru">' in html


def test_a_referer_from_elsewhere_is_not_offered_as_the_way_back(personas, client):
    client.force_login(personas.submitter)
    html = client.get("/nowhere/", HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in html and 'data-testid="error-back"' not in html


def test_500_is_styled_and_translated_without_touching_the_database(rf, settings):
    from django.utils import translation

    from assessments.portal.views.errors import server_error

    with translation.override("kk"):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="kk">' in html and 'data-testid="error-500"' in html


@override_settings(DEBUG=False)
def test_the_project_routes_errors_to_these_handlers():
    from config import urls

    assert urls.handler403.endswith("errors.permission_denied")
    assert urls.handler404.endswith("errors.page_not_found")
    assert urls.handler500.endswith("errors.server_error")
