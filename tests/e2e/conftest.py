"""Playwright (the PyPI package) driving Debian's /usr/bin/chromium against pytest's live server.

No browser is downloaded: the launch names the system executable. Playwright's sync API runs an
event loop in this thread, so Django's async-safety guard is lifted for these tests only.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        yield None  # the autouse requirement fixture skips (or fails in CI) the test itself
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def simulator(tmp_path_factory):
    """The NCALayer simulator on 127.0.0.1:13579 (tests/worlds/ncalayer.py)."""
    from tests.worlds.ncalayer import NCALayerSimulator

    sim = NCALayerSimulator().start(tmp_path_factory.mktemp("ncalayer"))
    yield sim
    sim.stop()


@pytest.fixture
def signer_page(browser, live_server):
    """Chromium told to accept NCALayer's own (self-signed) certificate, as the real
    application's users install it; every request the page sends is kept."""
    context = browser.new_context(locale="ru-RU", base_url=live_server.url,
                                  ignore_https_errors=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.sent = []
    page.on("request", lambda r: page.sent.append((r.method, r.url, r.post_data or "")))
    yield page
    context.close()
