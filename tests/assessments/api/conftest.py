"""The API tests run the tasks they queue in this process (imports validate and apply within the
request, as the embedded default does) and leave the default language active."""

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(tasks_in_process):
    """Queued tasks run in-process."""


@pytest.fixture(autouse=True)
def _default_language_after(default_language_after):
    """The next test starts in the default language again."""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
