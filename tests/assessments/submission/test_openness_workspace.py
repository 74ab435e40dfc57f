"""The assessors' openness workspace (annex 10) names every indicator: its short name in the
interface's language and annex 10's own wording (Russian) with its number — never the keys of
the scoring contract; the rules and penalties are named the same way."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.services.openness import annex10_names, indicator_rows

pytestmark = pytest.mark.django_db


def _page(client, user, cycle, body, language="ru") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("openness_workspace", args=[cycle.code, body.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, criterion: str, indicator: str) -> str:
    match = re.search(rf'<tr data-testid="indicator-{criterion}-{indicator}">(.*?)</tr>',
                      html, re.S)
    assert match, f"{criterion}.{indicator} not shown"
    return match.group(1)


def test_every_indicator_has_annex10_wording_for_both_kinds(assigned, cycle):
    for body in (assigned.registry.ministry, assigned.registry.akimat):
        rows = indicator_rows(cycle, body)
        assert rows and all(row.number and row.name for row in rows), [
            (r.criterion, r.indicator) for r in rows if not r.name]
        assert not any("{" in row.name or "*" in row.name for row in rows)
    names = annex10_names("central")
    assert names[("open_budget", "fs_balance")] == (
        "1.1)", "Размещение консолидированного бухгалтерского баланса")
    assert names[("open_dialogue", "meetings_ngo")][0] == "5.4)"
    local = annex10_names("local")
    assert local[("open_budget", "programme_reports")][0] == "1."  # table 3, not table 2


def test_workspace_shows_names_not_keys_in_russian(assigned, cycle, client):
    html = _page(client, assigned.assessor_other_direction, cycle, assigned.registry.ministry)
    row = _row(html, "open_data", "published")
    assert "Наборы данных по Единому перечню" in row
    assert "Количество публикаций наборов открытых данных согласно Единому перечню" in row
    assert "open_data.published<" not in row and ">published<" not in row
    stimulus = _row(html, "open_data", "api_stimulus")
    assert "максимального значения по критерию (18 баллов)" in stimulus
    assert 'aria-label="Наборы данных по Единому перечню — государственный язык"' in html
    assert 'data-testid="criterion-open_budget"' in html and "Открытый бюджет (P2)" in html
    # the rules, the budget indicators not assessed and the subordinates' penalties
    assert "Государственный аудит в периоде не проводился (п.67)" in html
    assert "> Бухгалтерский баланс</label>" in html
    assert "Нет блога первого руководителя (табл. 11)" in html
    visible = re.sub(r'(name|value|for|id|data-testid|title)="[^"]*"', "", html)
    for key in ("no_state_audit", "fs_balance", "no_blog", "open_data.published"):
        assert key not in visible, key


def test_workspace_in_kazakh_and_english_uses_the_translations(assigned, cycle, client):
    html = _page(client, assigned.assessor_other_direction, cycle, assigned.registry.akimat,
                 language="kk")
    row = _row(html, "open_data", "published")
    assert "Бірыңғай тізбе бойынша деректер жиынтықтары" in row
    assert 'lang="ru"' in row and "Количество публикаций" in row  # annex 10's own wording
    assert "Ашық деректер (P1)" in html
    html = _page(client, assigned.assessor_other_direction, cycle, assigned.registry.akimat,
                 language="en")
    assert "Datasets of the Unified list" in _row(html, "open_data", "published")
