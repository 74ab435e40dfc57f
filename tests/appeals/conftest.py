"""The appeals tests: the appeals world (tests/worlds/appeals.py, fixture ``aw``), every test
signing with the tests' demo CA and running the tasks it queues in this process, as the
conclusions tests do."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """Renderings and e-mails run in this process when their transaction commits."""


@pytest.fixture(autouse=True)
def _signing_settings(signing_demo_ca):
    """Every test signs with the session's demo CA."""
