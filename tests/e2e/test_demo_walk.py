"""Every demo persona's walk (issue 21), in the browser, on the seeded demo (seed_demo once for
the module, one live server, one browser):

* each persona starts at home and opens each of its to-dos and each menu entry by clicking what
  the page shows, then the first object each list page links to — no step answers an error page;
* axe-core (vendored) runs once on every distinct page of the walk — in Russian at 1,366 px and
  390 px, in Kazakh at 1,366 px — and the test fails on any critical or serious violation;
* at 390 px the menu is folded behind its button, which opens it (aria-expanded);
* a keyboard-only walk: the body's head submits a report, the Agency's deputy signs a conclusion
  (Tab, Enter and typing only).
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from demo.seed import DEMO_LOGINS, DEMO_PASSWORD
from tests.e2e import axe

pytestmark = [pytest.mark.browser]

ERROR_PAGE = re.compile(r'data-testid="error-(403|404|500)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker, _test_signing_ca_dir):
    """seed_demo once (committed), a live server of our own (pytest-django's would flush the
    database after each test), tasks in-process; the database is flushed at the end."""
    from pytest_django.live_server_helper import LiveServer

    from config.celery import app

    media = tmp_path_factory.mktemp("walk-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=str(media), SIGNING_CA_DIR=_test_signing_ca_dir,
        SIGNING_TRUST_ROOTS=[str(_test_signing_ca_dir / "root-ca.pem")],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        server = None
        try:
            call_command("seed_demo", stdout=io.StringIO())
            server = LiveServer("127.0.0.1:0")
            yield {"url": server.url, "media": media}
        finally:
            if server is not None:
                server.stop()
            app.conf.task_always_eager = eager
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _site_media(settings, site):
    """The per-test media folder of tests/conftest.py would hide the seed's files."""
    settings.MEDIA_ROOT = str(site["media"])


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one browser (tests/e2e/conftest.py): a second ``sync_playwright()`` in the
    same process fails ("Sync API inside the asyncio loop") once another module has started it."""
    return browser


def new_page(chromium, site, *, width=1366, lang="ru", with_axe=True):
    context = chromium.new_context(base_url=site["url"], locale="ru-RU",
                                   viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": site["url"]}])
    context.set_default_timeout(20_000)
    if with_axe:
        axe.install(context)
    return context.new_page()


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, (
        f"{username} could not sign in: {page.locator('main').inner_text()[:300]}")


def page_key(url: str) -> str:
    """Pages that differ only by an object's id are one page."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def walk(page, username: str, entries_seen: set[str]) -> list[str]:
    """From home, click each to-do (every persona's tasks) and each menu entry no persona before
    clicked (the access matrix test opens every entry for every persona over HTTP), then the
    first object link of the page reached; return the URLs seen. Fails on an error page."""
    seen, problems = [], []

    def visit_from_home(selector_href: tuple[str, str]) -> None:
        scope, href = selector_href
        page.goto("/")
        page.locator(f'{scope} a[href="{href}"]').first.click()
        page.wait_for_load_state()
        check(f"{scope} → {href}")
        seen.append(page.url)
        link = page.locator("main table a[href^='/'], main [data-testid] a[href^='/']")
        for i in range(min(link.count(), 5)):
            target = link.nth(i).get_attribute("href") or ""
            if re.search(r"/\d+/?$", urlsplit(target).path) and "file" not in target:
                link.nth(i).click()
                page.wait_for_load_state()
                check(f"{href} → {target}")
                seen.append(page.url)
                break

    def check(step: str) -> None:
        if ERROR_PAGE.search(page.content()):
            problems.append(f"{username}: {step} reached an error page ({page.url})")

    page.goto("/")
    todos = [("[data-testid=todos]", a.get_attribute("href"))
             for a in page.locator("[data-testid=todos] a").all()]
    entries = [("nav.main-nav", href) for href in
               (a.get_attribute("href") for a in page.locator("nav.main-nav a").all())
               if href not in entries_seen]
    entries_seen.update(href for _scope, href in entries)
    for item in todos + entries:
        if item[1] and not item[1].startswith("/admin/"):
            visit_from_home(item)
    assert not problems, "\n".join(problems)
    return seen


PERSONAS = [username for username, _label in DEMO_LOGINS]


@pytest.fixture(scope="module")
def walked(chromium, site):
    """Each persona's walk at 1,366 px in Russian: {username: [url, …]}."""
    result, entries_seen = {}, set()
    for username in PERSONAS:
        page = new_page(chromium, site, with_axe=False)
        login(page, username)
        result[username] = walk(page, username, entries_seen)
        page.context.close()
    return result


def test_every_persona_reaches_each_task_by_clicking(walked):
    """Each persona's walk clicked every to-do on its home page (and the menu entries not yet
    clicked) without meeting an error page (``walk`` fails on one); together the walks reach
    the application's main pages."""
    assert set(walked) == set(PERSONAS)
    pages = {page_key(url) for urls in walked.values() for url in urls}
    assert len(pages) >= 20, sorted(pages)


@pytest.mark.parametrize("width,lang", [(1366, "ru"), (390, "ru"), (1366, "kk")])
def test_axe_finds_no_critical_or_serious_violation_on_the_walk(chromium, site, walked,
                                                                 width, lang):
    """Once per distinct page of the walk (the first persona to reach it), per configuration."""
    pages: dict[str, tuple[str, str]] = {}
    for username, urls in walked.items():
        for url in ["/", *urls]:
            pages.setdefault(page_key(url), (username, urlsplit(url).path + (
                f"?{urlsplit(url).query}" if urlsplit(url).query else "")))
    failures = []
    by_user: dict[str, list[str]] = {}
    for _key, (username, path) in pages.items():
        by_user.setdefault(username, []).append(path)
    for username, paths in by_user.items():
        page = new_page(chromium, site, width=width, lang=lang)
        login(page, username)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state()
            assert f'lang="{lang}"' in page.content()[:400], path
            found = axe.violations(page)
            if found:
                failures.append(f"  {username} {path} ({width} px, {lang}):\n"
                                + axe.describe(found))
        page.context.close()
    assert not failures, (f"axe-core: critical or serious violations on {len(failures)} of "
                          f"{len(pages)} pages:\n" + "\n".join(failures))


def test_the_menu_folds_behind_its_button_on_a_phone(chromium, site):
    page = new_page(chromium, site, width=390)
    login(page, "cgo-submitter")
    button = page.get_by_test_id("menu-toggle")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.get_by_test_id("nav-reports").is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.get_by_test_id("nav-reports").is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_the_services_form_fits_1366_px_with_its_table_scrolling_inside(chromium, site):
    from assessments.models import Report

    report = Report.objects.filter(direction="services", state="returned").first()
    assert report is not None, "the demo has a returned services report"
    page = new_page(chromium, site)
    login(page, "mio-submitter")
    page.goto(f"/reports/{report.pk}/sections/services/")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = page.get_by_test_id("rows-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls inside
    found = axe.violations(page)
    assert not found, axe.describe(found)
    page.context.close()



# --- Keyboard only -----------------------------------------------------------------------------


def tab_to(page, css: str, text: str = "", limit: int = 120) -> None:
    """Press Tab until the focused element matches ``css`` (and holds ``text``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("([css, text]) => { const a = document.activeElement;"
                         " return !!a && a.matches(css) && a.innerText.includes(text); }",
                         [css, text]):
            return
    raise AssertionError(f"Tab never reached {css} {text!r} on {page.url}")


def keyboard_login(page, username: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    enter(page)


def enter(page) -> None:
    """Enter on the focused link or button, waiting for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_keyboard_only_the_head_submits_a_report_and_the_deputy_signs_a_conclusion(
        chromium, site):
    from assessments.models import Conclusion, Report

    page = new_page(chromium, site)
    keyboard_login(page, "mio-head")
    tab_to(page, "[data-testid=todos] a", "Представить отчётную информацию")
    enter(page)
    match = re.search(r"/reports/(\d+)/$", page.url)
    assert match, f"the to-do opens the report itself, not {page.url}"
    report = Report.objects.get(pk=int(match.group(1)))
    assert report.state == "draft"
    tab_to(page, "[data-testid=submit-report]")
    enter(page)
    if page.locator("[data-testid=confirm-missing] input").count():
        tab_to(page, "[data-testid=confirm-missing] input")
        page.keyboard.press("Space")
    tab_to(page, "[data-testid=confirm-submit]")
    enter(page)
    assert Report.objects.get(pk=report.pk).state == "submitted"
    page.context.close()

    conclusion = Conclusion.objects.filter(state="approved").first()
    assert conclusion is not None, "the demo has a conclusion being signed"
    page = new_page(chromium, site)
    keyboard_login(page, "agency-deputy")
    tab_to(page, "[data-testid=todos] a", "подписании")
    enter(page)
    tab_to(page, f'main a[href="/conclusions/{conclusion.pk}/"]')
    enter(page)
    tab_to(page, "[data-testid=action-sign]")
    enter(page)
    assert page.get_by_test_id("preview-pdf").is_visible()
    assert page.get_by_test_id("signer-certificate").is_visible()
    tab_to(page, "input[type=password]")
    page.keyboard.type(DEMO_PASSWORD)
    enter(page)
    signed = Conclusion.objects.get(pk=conclusion.pk).signed_document
    assert signed.signatures.count() >= 1, page.url
    page.context.close()
