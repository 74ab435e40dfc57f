"""Every demo persona × every object URL of the project: each sees exactly what it may.

The test walks ALL URL patterns (``django.urls`` resolver). A pattern that takes an object id or
slug must be registered in ``tests/worlds/access_matrix.py`` — an unregistered one fails the test
with a message saying where and how to register it — so the matrix grows with the project.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from demo.seed import DEMO_LOGINS
from tests.worlds import access_matrix

pytestmark = pytest.mark.django_db


def _walk(patterns, namespace: str = "", prefix: str = "", inherited: bool = False):
    """Yield ``(full name or None, route, takes parameters)`` for every URL pattern; an unnamed
    pattern inside a namespace is reported as ``"namespace:"`` (so namespace exemptions hold)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        has_params = inherited or bool(pattern.pattern.regex.groups)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, ns, route, has_params)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else (namespace or None)
            yield name, route, has_params


def _exempt(name: str | None, route: str) -> bool:
    for key in access_matrix.EXEMPT:
        if key.endswith(":") and name and name.startswith(key):
            return True
        if name == key:
            return True
    return False


def object_urls() -> list[tuple[str | None, str]]:
    return [
        (name, route)
        for name, route, has_params in _walk(get_resolver().url_patterns)
        if has_params and not _exempt(name, route)
    ]


def test_every_object_url_is_registered_in_the_access_matrix():
    registered = {case.url_name for case in access_matrix.CASES}
    missing = [(name, route) for name, route in object_urls() if name not in registered]
    assert not missing, (
        "These URL patterns take an object id or slug but have no case in "
        "tests/worlds/access_matrix.py (so nobody proved who may open them). Register each with "
        "access_matrix.register(url_name, label, build=..., allowed=..., forbidden=...) — or, if "
        "it is not an object page, add it "
        "to access_matrix.EXEMPT with the reason:\n"
        + "\n".join(f"  {name or '(unnamed: give it a name)'}  ->  /{route}" for name, route in
                    missing)
    )


def test_registered_cases_name_real_urls_and_real_personas():
    names = {name for name, _route, _params in _walk(get_resolver().url_patterns)}
    personas = {username for username, _label in DEMO_LOGINS}
    for case in access_matrix.CASES:
        assert case.url_name in names, f"{case.url_name} is not a URL name of the project"
        unknown = (case.allowed_set() | case.forbidden_set()) - personas
        assert not unknown, f"{case.label}: {sorted(unknown)} are not demo personas"
        assert not case.allowed_set() & case.forbidden_set(), case.label


@pytest.fixture
def demo_world(settings, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    return access_matrix.World()


def test_each_demo_persona_sees_exactly_what_it_may(demo_world, client):
    """Seeding the demo takes a while, so one test runs the three checks on it: the matrix of
    object URLs, the pages without parameters, and the admin's gate."""
    from assessments.models import User

    personas = [username for username, _label in DEMO_LOGINS]
    users = {user.username: user for user in User.objects.filter(username__in=personas)}
    assert set(users) == set(personas), "every demo login must exist after seed_demo"

    wrong = []
    checked = 0
    for case in access_matrix.CASES:
        url = reverse(case.url_name, kwargs=case.build(demo_world))
        allowed, forbidden = case.allowed_set(), case.forbidden_set()
        for username in personas:
            expected = 200 if username in allowed else 403 if username in forbidden else 404
            client.force_login(users[username])
            status = client.get(url).status_code
            checked += 1
            if status != expected:
                wrong.append(f"  {username:<22} {case.label:<60} {url}: {status}, expected "
                             f"{expected}")
    assert checked == len(personas) * len(access_matrix.CASES)
    assert not wrong, "Access matrix mismatches:\n" + "\n".join(wrong)

    # Every page without parameters answers every persona (no crash, nothing missing).
    pages = [
        name for name, route, has_params in _walk(get_resolver().url_patterns)
        if name and not has_params and not name.endswith(":") and not name.startswith("admin:")
    ]
    failures = []
    for username in personas:
        client.force_login(users[username])
        for name in pages:
            status = client.get(reverse(name)).status_code
            if status >= 500 or status == 404:
                failures.append(f"{username} {name}: {status}")
    assert not failures, failures

    # The main menu (issue 21): every entry a persona is shown opens for that persona.
    from assessments.kernel import menu

    dead = []
    for username in personas:
        for link in menu.menu_for(users[username]):
            client.force_login(users[username])
            status = client.get(link.url, follow=True).status_code
            if status != 200:
                dead.append(f"{username} {link.key} {link.url}: {status}")
    assert not dead, "Menu entries that do not open for the persona shown them:\n" + "\n".join(
        dead)

    # The REST API's cases again, with each persona's token instead of the session (issue 19;
    # tests/worlds/api_replay.py), the write-only endpoints included.
    from tests.worlds.api_replay import replay

    api_checked, api_wrong = replay(demo_world, users)
    assert api_checked > len(personas) * 10
    assert not api_wrong, "API access matrix mismatches:\n" + "\n".join(api_wrong)

    # The admin is for staff only.
    for username in personas:
        client.force_login(users[username])
        status = client.get(reverse("admin:assessments_organisation_changelist")).status_code
        assert status == (200 if users[username].is_staff else 302), username
