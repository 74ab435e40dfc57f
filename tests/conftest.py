"""Shared test set-up: markers for what a test needs, and a frozen clock fixture; the fixtures
several folders share come from tests/worlds/fixtures.py (registered below).

A test marked ``postgres``, ``redis`` or ``browser`` runs only where that is available. Outside CI
it is skipped with the reason; in CI (``CI=true``) a missing requirement fails the test instead,
and any skipped test fails the run (see ``pytest_sessionfinish``).
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytest_plugins = ["tests.worlds.fixtures"]


def _missing(requirement: str, reason: str) -> None:
    # A developer's machine without PostgreSQL, Redis or Chromium skips the tests that need
    # them, saying which; CI never skips: the missing service fails the test, and
    # pytest_sessionfinish fails a CI run that skipped anything.
    if IN_CI:
        pytest.fail(f"CI requires {requirement}: {reason}")
    pytest.skip(reason)


def _redis_available() -> bool:
    from django.conf import settings

    if not settings.REDIS_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


@pytest.fixture(autouse=True)
def _requirements(request):
    if request.node.get_closest_marker("postgres"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            _missing("PostgreSQL", "needs DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not _redis_available():
        _missing("Redis", "needs REDIS_URL=redis://… with a reachable server")
    if request.node.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        _missing("Chromium", f"needs {CHROMIUM} (apt-get install chromium)")
    if request.node.get_closest_marker("pdfsig") and not shutil.which("pdfsig"):
        _missing("poppler's pdfsig", "needs pdfsig (apt-get install poppler-utils)")
    yield


@pytest.fixture
def clock():
    """The application clock, frozen; ``clock.set_now(...)`` / ``clock.advance(...)`` move it."""
    from assessments.kernel import clock as app_clock

    app_clock.set_now("2026-03-19T10:00:00")
    yield app_clock
    app_clock.set_now(None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def _test_signing_ca_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing-ca")


@pytest.fixture(autouse=True)
def _signing_ca(settings, _test_signing_ca_dir):
    """Tests sign with a throwaway demo CA (made on first use), never the one in var/demo-ca."""
    settings.SIGNING_CA_DIR = _test_signing_ca_dir
    settings.SIGNING_TRUST_ROOTS = [str(_test_signing_ca_dir / "root-ca.pem")]


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        session.exitstatus = 1
        if reporter:
            reporter.write_line(f"CI: {skipped} test(s) skipped; nothing may be skipped in CI.",
                                red=True)
    elif exitstatus == 5:  # no tests collected
        session.exitstatus = 1
