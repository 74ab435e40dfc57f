"""The access matrix replayed through the REST API with each demo persona's token (issue 19).

``replay(world, users)`` issues every persona a token with every scope and asks each API case of
``access_matrix.CASES`` (the ``api:`` ones) with it: the token must get exactly what the persona
gets signed in — 200, 403, or 404 for everyone else. The write-only endpoints (exempt from the
signed-in walk) are replayed here with requests that change nothing for whoever may make them
(a stale ``expected_version``, a second confirmation), and last a submission without
confirmation. Called by ``tests/assessments/kernel/test_access_matrix.py`` on its seeded demo, so
the demo is seeded once.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from tests.worlds import access_matrix as m


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _writes(w: m.World):
    """``(label, method, url, body, allowed, forbidden)``: allowed personas get an answer of the
    service (not 403/404), forbidden ones 403, every other persona 404."""
    draft = m._report(w, "akimat-akmola", "openness")
    batch = m._import(w)
    return [
        ("saving a section of the akimat's draft openness report (stale version: 409)", "put",
         reverse("api:report_section", kwargs={"pk": draft.pk, "key": "t1_open_data"}),
         {"data": {"fields": {}, "rows": []}, "expected_version": 999999},
         m.MIO_STAFF, m.GLOBAL | m.MIOD),
        ("confirming the applied 'Мониторинг' import again (409)", "post",
         reverse("api:import_confirm", kwargs={"pk": batch.pk}), {},
         frozenset({"admin"}) | m.AGENCY_EVALUATORS, frozenset({"coordinator", "working-body"})),
        ("submitting the akimat's draft without confirmation (the head)", "post",
         reverse("api:report_submit", kwargs={"pk": draft.pk}), {"confirm_missing": False},
         frozenset({"mio-head"}), m.GLOBAL | m.MIOD | {"mio-submitter"}),
    ]


def replay(w: m.World, users: dict) -> tuple[int, list[str]]:
    from assessments.api.services import token_issue
    from assessments.models import ApiScope

    admin = users["admin"]
    clients = {username: _client(token_issue(actor=admin, user=user, name="access matrix",
                                             scopes=list(ApiScope.values)).key)
               for username, user in users.items()}
    wrong, checked = [], 0
    for case in m.CASES:
        if not case.url_name.startswith("api:"):
            continue
        url = reverse(case.url_name, kwargs=case.build(w))
        allowed, forbidden = case.allowed_set(), case.forbidden_set()
        for username, client in clients.items():
            expected = 200 if username in allowed else 403 if username in forbidden else 404
            status = client.get(url).status_code
            checked += 1
            if status != expected:
                wrong.append(f"  token {username:<22} {case.label:<60} {url}: {status}, "
                             f"expected {expected}")
    for label, method, url, body, allowed, forbidden in _writes(w):
        for username, client in clients.items():
            status = getattr(client, method)(url, body, format="json").status_code
            checked += 1
            if username in allowed:
                ok = status < 500 and status not in (401, 403, 404)
                expected = "an answer of the service"
            else:
                expected = 403 if username in forbidden else 404
                ok = status == expected
            if not ok:
                wrong.append(f"  token {username:<22} {label:<60} {url}: {status}, expected "
                             f"{expected}")
    return checked, wrong
