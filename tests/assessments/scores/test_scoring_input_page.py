"""The body's scoring-input page shows what the body is scored on: the STORED scoring input with
the source of every number and the STORED current score sheets with their explanations (a
re-verification deduction is only there), the live assembly only as a labelled preview, and
engine errors in the reader's language."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import ScoreSheet
from assessments.scores.services.scoring_inputs import scoring_input_current, scoring_input_set
from tests.worlds.submission_steps import INSPECTIONS_HEADER, accept, load

# As in tests/assessments/submission/: queued tasks run in this process, the default language
# active again after each test.
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("tasks_in_process", "default_language_after")]


def _section(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"(.*?)</(section|details)>', html, re.S)
    assert match, testid
    return match.group(1)


def test_page_shows_the_stored_input_and_sheets_and_the_preview_apart(
        clock, assigned, cycle, schedule, services_register, client,
        django_capture_on_commit_callbacks):
    p, r = assigned, assigned.registry
    body, cap = r.akimat, django_capture_on_commit_callbacks
    rows = [{"service": "00601006", "basis": "own_records", "rendered": 10000, "late": 2,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0}]
    with cap(execute=True):
        accept(p, cycle, body, "services", p.local_head, p.assessor,
               override={"services": {"rows": rows}})
    with cap(execute=True):
        # a deduction stored by hand (as a decision would): in the stored input only; the
        # assembly's penalties are the facts on record (none here)
        scoring_input_set(
            cycle=cycle, body=body, values={"penalties.services.unreliable_facts": 5},
            sources={"penalties.services.unreliable_facts": {
                "kind": "finding", "ref": "RV-1", "label": "Перепроверка: недостоверные факты"}},
            actor=p.assessor, reason="Перепроверка")
    stored = scoring_input_current(cycle=cycle, body=body)
    sheet = ScoreSheet.objects.get(cycle=cycle, body=body, direction="services", is_current=True)
    assert sheet.scoring_input_id == stored.pk
    client.force_login(p.assessor)
    url = reverse("scores:scoring_input_page", args=[cycle.code, body.pk])
    html = client.get(url).content.decode()
    stored_html = _section(html, "stored-input")
    assert f'data-testid="stored-version">{stored.version}<' in stored_html
    assert "penalties.services.unreliable_facts" in stored_html
    assert "Перепроверка: недостоверные факты" in stored_html and "RV-1" in stored_html
    assert "services.late" in stored_html and "00601006: отчёт органа" in stored_html
    sheets_html = _section(html, "stored-sheets")
    final = re.search(r'data-testid="final-services">([^<]*)<', sheets_html).group(1)
    assert Decimal(final.replace(",", ".").replace("\u00a0", "")) == sheet.final
    preview = _section(html, "live-preview")
    assert "Предварительный просмотр сборки (не сохранён)" in html
    assert "penalties.services.unreliable_facts" in preview
    assert "Фактов недостоверной и неполной информации нет" in preview
    preview_final = re.search(r'data-testid="preview-services">([^<]*)<', preview).group(1)
    assert Decimal(preview_final) > sheet.final  # the deduction is in the stored sheet only
    # an assembly the engine refuses: the preview's error in the reader's language
    load(p.assessor, cycle, "inspections", [
        INSPECTIONS_HEADER, ["П-1", body.bin, "00601006", "2025-09-30", 50000, 0, 0, 0]], cap)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = client.get(url).content.decode()
    error = re.search(r'data-testid="preview-error">(.*?)</p>', html, re.S).group(1)
    assert error.startswith("Мән рұқсат етілгеннен үлкен.")
    assert "Мерзімі бұзылып көрсетілген қызметтер (a)" in error
    # the stored input and sheets are still shown (unchanged)
    assert f'data-testid="stored-version">{stored.version}<' in html
    assert 'data-testid="final-services"' in html
