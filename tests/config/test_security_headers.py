"""Headers and files (issue 16): a Content-Security-Policy without inline scripts (no template
has one), NCALayer's socket allowed on the signing page only, a Permissions-Policy, downloads
typed by their content with ``nosniff``, and no media for anonymous visitors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.security import NCALAYER

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_browser_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.relative_to(TEMPLATES).parts:
            continue  # rendered by WeasyPrint, never by a browser
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|"
                                 r"hx-on|javascript:", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not offenders, offenders


@pytest.mark.django_db
def test_production_pages_carry_the_policy(client, settings, personas):
    settings.SECURITY_HEADERS = True
    client.force_login(personas.submitter)
    response = client.get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert NCALAYER not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    login = client.get(reverse("login"))
    assert "Content-Security-Policy" in login


def test_the_signing_pages_may_reach_ncalayer(settings):
    from django.http import HttpResponse
    from django.urls import resolve

    from config.security import SecurityHeadersMiddleware

    settings.SECURITY_HEADERS = True
    request = RequestFactory().get("/documents/signed/1/sign/")
    request.resolver_match = resolve("/documents/signed/1/sign/")
    response = SecurityHeadersMiddleware(lambda r: HttpResponse())(request)
    assert f"connect-src 'self' {NCALAYER}" in response["Content-Security-Policy"]


def test_development_media_needs_a_login(settings, db, personas):
    from django.contrib.auth.models import AnonymousUser

    from config.urls import media

    request = RequestFactory().get("/media/evidence/aa/x.pdf")
    request.user = AnonymousUser()
    response = media(request, "evidence/aa/x.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    request.user = personas.submitter
    from django.http import Http404

    with pytest.raises(Http404):
        media(request, "evidence/aa/x.pdf")


@pytest.mark.django_db
def test_a_download_is_typed_by_its_content_not_its_name(client, clock, assigned, cycle,
                                                          schedule):
    from assessments.submission.services.evidence import evidence_check, evidence_upload
    from assessments.submission.services.reports import report_get_or_create
    from tests.worlds.samples import pdf_bytes

    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    evidence = evidence_upload(actor=assigned.submitter, report=report,
                               section_key="complaints", indicator="", title="Протокол",
                               upload=pdf_bytes("Протокол"), original_name="page.html",
                               classification="open")
    evidence_check(evidence_id=evidence.pk)
    client.force_login(assigned.submitter)
    response = client.get(reverse("submission:evidence_download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
