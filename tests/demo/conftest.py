"""The demo's tests: fast password hashing and the tests' demo CA (made once per session, never
``var/demo-ca``) for every test; ``tasks_in_process`` (tests/worlds/fixtures.py) runs the tasks of
the steps in this process when asked for."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords):
    """Hashing a password the production way takes a second; the demo makes dozens of users."""


@pytest.fixture(autouse=True)
def _signing_settings(signing_demo_ca):
    """Every test signs with the session's demo CA."""
