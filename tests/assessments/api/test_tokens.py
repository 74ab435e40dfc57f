"""Tokens: issued by an administrator (admin, command), shown once and stored hashed, scoped,
expiring, revocable, each use recorded; problem details in the reader's language; throttling per
token; the schema and its documentation page."""

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from assessments.api.services import token_issue, token_revoke
from assessments.models import ApiToken, ApiTokenUse, AuditEntry
from tests.assessments.api.helpers import api, token_for

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_stored_hashed_and_its_issue_audited(personas, clock):
    issued = token_issue(actor=personas.admin, user=personas.head, name="ИС министерства",
                         scopes=["scores:read"])
    token = ApiToken.objects.get()
    assert issued.key.startswith("oa_") and len(issued.key) > 40
    assert token.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in str(ApiToken.objects.values().get())  # only the hash is kept
    assert token.prefix == issued.key[:10] and token.created_by == personas.admin
    assert token.expires_at == clock.now() + timedelta(days=365)
    entry = AuditEntry.objects.get(action="api:token_issue")
    assert entry.actor == personas.admin
    with pytest.raises(PermissionDenied):  # only administrators issue tokens
        token_issue(actor=personas.coordinator, user=personas.head, name="x",
                    scopes=["scores:read"])


def test_unauthenticated_expired_revoked_and_unknown_tokens_get_401(personas, clock, cycle):
    url = reverse("api:cycle_list")
    response = api().get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["code"] == "unauthenticated" and body["instance"] == url
    assert api("oa_not-a-real-token").get(url).status_code == 401

    key = token_for(personas.head, personas.admin, expires_at=clock.now() + timedelta(days=2))
    assert api(key).get(url).status_code == 200
    clock.advance(days=3)
    assert api(key).get(url).status_code == 401  # expired

    key = token_for(personas.head, personas.admin)
    token_revoke(actor=personas.admin, token=ApiToken.objects.get(prefix=key[:10]))
    assert api(key).get(url).status_code == 401  # revoked
    assert AuditEntry.objects.filter(action="api:token_revoke").count() == 1

    key = token_for(personas.submitter, personas.admin)
    personas.submitter.is_active = False
    personas.submitter.save()
    assert api(key).get(url).status_code == 401  # the account disabled


def test_each_use_is_recorded_with_its_status(personas, clock, cycle):
    key = token_for(personas.head, personas.admin, scopes=["scores:read"])
    client = api(key)
    client.get(reverse("api:cycle_list"))
    client.get(reverse("api:report_detail", args=[999999]))
    client.get(reverse("api:import_list"))  # no imports:write scope
    uses = list(ApiTokenUse.objects.order_by("id").values_list("method", "path", "status"))
    assert uses == [("GET", "/api/v1/cycles/", 200), ("GET", "/api/v1/reports/999999/", 404),
                    ("GET", "/api/v1/imports/", 403)]
    assert ApiToken.objects.get().last_used_at == clock.now()


def test_scopes_narrow_what_a_token_may_do(personas, cycle):
    reader = api(token_for(personas.assessor, personas.admin, scopes=["scores:read"]))
    assert reader.get(reverse("api:score_list")).status_code == 200
    refused = reader.get(reverse("api:import_list"))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "Загрузка и подтверждение импорта данных" in refused.json()["detail"]
    importer = api(token_for(personas.assessor, personas.admin, scopes=["imports:write"]))
    assert importer.get(reverse("api:import_list")).status_code == 200
    assert importer.get(reverse("api:score_list")).status_code == 403
    assert importer.post(reverse("api:report_list"), {}, format="json").status_code == 403


@pytest.mark.parametrize("language, title", [
    ("ru", "Не найдено"), ("kk", "Табылмады"), ("en", "Not found")])
def test_problems_are_translated_by_accept_language(personas, cycle, language, title):
    key = token_for(personas.head, personas.admin)
    response = api(key, language).get(reverse("api:report_detail", args=[999999]))
    assert response.status_code == 404
    assert response.json()["title"] == title
    assert response["Content-Language"] == language


def test_throttling_is_per_token(personas, cycle, settings):
    settings.API_THROTTLE_RATE = "3/min"
    one = api(token_for(personas.head, personas.admin))
    two = api(token_for(personas.head, personas.admin))
    url = reverse("api:cycle_list")
    assert [one.get(url).status_code for _ in range(3)] == [200, 200, 200]
    throttled = one.get(url)
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) >= 1
    assert throttled.json()["code"] == "throttled"
    assert two.get(url).status_code == 200  # another token has its own budget


def test_the_schema_and_its_documentation_page_work_offline(client, settings):
    settings.SECURITY_HEADERS = True
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/imports/{id}/confirm/" in document["paths"]
    assert "bearerAuth" in document["components"]["securitySchemes"]
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    # the assets are the vendored sidecar's, served by the application (no CDN) …
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in s for s in sources)
    # … and no inline script: the page works under the production CSP (script-src 'self')
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = [s for s in sources if "script" in s and "sidecar" not in s]
    assert script and client.get(script[0]).status_code == 200


def test_the_command_issues_lists_and_revokes(personas, clock):
    out = StringIO()
    call_command("api_token", "service-account", "--admin", "root", "--organisation",
                 personas.registry.akimat.bin, "--username", "akmola-system", "--system",
                 "ИС акимата", "--role", "body_submitter", stdout=out)
    call_command("api_token", "issue", "--admin", "root", "--user", "akmola-system",
                 "--scopes", "reports:submit,scores:read", "--name", "ИС", stdout=out)
    key = out.getvalue().splitlines()[-1]
    assert key.startswith("oa_")
    token = ApiToken.objects.get(prefix=key[:10])
    assert token.user.username == "akmola-system" and not token.user.has_usable_password()
    assert token.scopes == ["reports:submit", "scores:read"]
    call_command("api_token", "list", stdout=out)
    assert f"{key[:10]}  akmola-system" in out.getvalue()
    call_command("api_token", "revoke", "--admin", "root", "--prefix", key[:10], stdout=out)
    token.refresh_from_db()
    assert token.revoked_at == clock.now() and token.revoked_by == personas.admin


def test_the_admin_issues_a_token_shows_its_key_once_and_revokes_it(personas, clock, client):
    client.force_login(personas.admin)
    response = client.post(reverse("admin:assessments_apitoken_add"), {
        "user": personas.head.pk, "name": "ИС министерства", "scopes": ["scores:read"],
        "expires_at_0": "2026-12-31", "expires_at_1": "00:00:00"}, follow=True)
    assert response.status_code == 200
    assert ApiToken.objects.exists(), response.context["adminform"].form.errors
    shown = re.search(r"(oa_[A-Za-z0-9_-]{40,})", response.content.decode())
    token = ApiToken.objects.get()
    assert shown and hashlib.sha256(shown.group(1).encode()).hexdigest() == token.key_hash
    assert token.created_by == personas.admin and token.scopes == ["scores:read"]
    page = client.get(reverse("admin:assessments_apitoken_change", args=[token.pk]))
    assert shown.group(1) not in page.content.decode()  # never shown again
    client.post(reverse("admin:assessments_apitoken_changelist"), {
        "action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at == clock.now() and token.revoked_by == personas.admin
