"""URL paths never change: stored notifications and e-mails link to them.

``url_paths.json`` is the table of every named route (outside the admin) as it stood when the
feature packages got their URL namespaces; only the names gained a namespace then (the table was
checked against the routes before the re-cut, fabafe7: every path the same). A new page adds its
line; a changed path fails here.
"""

import json
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

SNAPSHOT = Path(__file__).with_name("url_paths.json")


def _routes() -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(patterns, prefix: str = "", namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(namespace + p.name, prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return {name: route for name, route in found.items() if not name.startswith("admin:")}


def test_every_recorded_path_is_still_served_under_its_name():
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = _routes()
    changed = {name: (route, current.get(name)) for name, route in recorded.items()
               if current.get(name) != route}
    assert changed == {}, "paths moved or names lost (recorded, now)"


def test_every_named_route_is_recorded():
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(set(_routes()) - set(recorded)) == []
