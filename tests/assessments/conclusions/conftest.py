"""The conclusions tests: the conclusions world (tests/worlds/conclusions.py, fixtures ``world``
and ``signing_world``), every test signing with the tests' demo CA and running the tasks it
queues in this process."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """The tasks these tests queue (renderings, e-mails) run in this process when their
    transaction commits, whatever the broker (each test still checks what was queued)."""


@pytest.fixture(autouse=True)
def _signing_settings(signing_demo_ca):
    """Every test signs with the session's demo CA."""
