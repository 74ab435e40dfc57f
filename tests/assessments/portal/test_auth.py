"""Login, logout, lockout after repeated failures (django-axes), password change and reset,
session expiry."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.worlds.factories import PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_a_correct_password_logs_in_and_redirects_home(personas, client):
    response = _login(client, "submitter", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).context["user"] == personas.submitter


def test_a_wrong_password_shows_the_error(personas, client):
    response = _login(client, "submitter", "wrong")
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_the_account_locks_from_the_address_that_failed_and_others_are_left_alone(
        personas, client):
    """Issue 16: five wrong passwords on one account lock that account from that address — not
    every user behind the same address (an office, a proxy)."""
    for _ in range(LIMIT):
        _login(client, "submitter", "wrong", ip="10.0.1.1")
    response = _login(client, "submitter", PASSWORD, ip="10.0.1.1")
    assert response.status_code == 429
    content = response.content.decode()
    assert 'data-testid="lockout"' in content and "заблокирован" in content
    assert not response.wsgi_request.user.is_authenticated
    # another account behind the same address logs in
    assert _login(type(client)(), "head", PASSWORD, ip="10.0.1.1").status_code == 302


def test_an_address_is_rate_limited_after_many_failures_on_any_accounts(personas, client,
                                                                          settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        _login(client, f"nobody{n}", "wrong", ip="10.9.9.9")  # spraying: one try per account
    response = _login(client, "head", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429 and "с этого адреса" in response.content.decode()
    assert _login(client, "head", PASSWORD, ip="10.9.9.10").status_code == 302


def test_the_lockout_message_is_translated(personas, client):
    for _ in range(LIMIT):
        _login(client, "submitter", "wrong")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = _login(client, "submitter", PASSWORD)
    assert response.status_code == 429
    assert response.context["lockout_message"].startswith("Кіру әрекеттері тым көп")


def test_the_lockout_ends_after_the_cool_off_time(personas, client):
    for _ in range(LIMIT):
        _login(client, "submitter", "wrong")
    assert _login(client, "submitter", PASSWORD).status_code == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert _login(client, "submitter", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_in_the_admin(personas, client):
    for _ in range(LIMIT):
        _login(client, "submitter", "wrong", ip="10.0.5.1")
    assert _login(client, "submitter", PASSWORD, ip="10.0.5.1").status_code == 429
    admin_client = type(client)()
    admin_client.force_login(personas.admin)
    response = admin_client.post(
        reverse("admin:assessments_user_changelist"),
        {"action": "unlock_login", "_selected_action": [personas.submitter.pk]},
    )
    assert response.status_code == 302
    assert _login(client, "submitter", PASSWORD, ip="10.0.5.1").status_code == 302


def test_logout_is_a_post(personas, client):
    client.force_login(personas.submitter)
    assert client.post(reverse("logout")).status_code == 302
    assert not client.get(reverse("portal:home")).context["user"].is_authenticated


def test_password_change(personas, client):
    client.force_login(personas.submitter)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Another-pass-2027",
        "new_password2": "Another-pass-2027",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    personas.submitter.refresh_from_db()
    assert personas.submitter.check_password("Another-pass-2027")


def test_password_reset_by_e_mail(personas, client):
    response = client.post(reverse("password_reset"), {"email": personas.submitter.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Reset-pass-2027", "new_password2": "Reset-pass-2027"})
    assert done.status_code == 302
    personas.submitter.refresh_from_db()
    assert personas.submitter.check_password("Reset-pass-2027")


def test_sessions_expire(personas, client):
    client.force_login(personas.submitter)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
