"""The submission tests run the tasks they queue in this process even where Redis is configured
(the real worker is exercised by tests/config/test_celery_worker.py), and leave the default
language active. Their worlds (``services_register``, ``schedule``, ``assigned`` …) are the
shared ones of tests/worlds/fixtures.py."""

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """These tests call the services; the tasks they queue run in-process."""


@pytest.fixture(autouse=True)
def _default_language_after(default_language_after):
    """The next test starts in the default language again."""
