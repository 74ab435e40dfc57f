"""The demo's tests: fast password hashing, a demo CA of their own (made once per session, never
``var/demo-ca``), and the tasks of the steps in this process when asked for."""

from __future__ import annotations

import pytest

from reporting.signing import ca


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing a password the production way takes a second; the demo makes dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def demo_ca_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-ca")
    ca.demo_ca(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_settings(settings, demo_ca_dir):
    settings.SIGNING_CA_DIR = demo_ca_dir
    settings.SIGNING_TRUST_ROOTS = [str(demo_ca_dir / ca.ROOT_CERT)]


@pytest.fixture
def tasks_in_process():
    """The tasks the steps queue (renderings, e-mails) run in this process when their
    transaction commits, whatever the broker."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
