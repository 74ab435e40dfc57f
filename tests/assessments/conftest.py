import pytest

from tests.factories import CycleFactory, Personas, Registry


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing a password the production way takes a second; tests make dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def registry(db) -> Registry:
    return Registry.build()


@pytest.fixture
def personas(registry) -> Personas:
    return Personas.build(registry)


@pytest.fixture
def cycle(db):
    return CycleFactory(code="2025", year=2025, edition="2023")
