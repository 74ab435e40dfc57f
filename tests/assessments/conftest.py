"""Every assessments test hashes passwords fast; its worlds are the shared ones
(tests/worlds/fixtures.py: ``registry``, ``personas``, ``cycle`` …)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords):
    """Hashing a password the production way takes a second; tests make dozens of users."""
