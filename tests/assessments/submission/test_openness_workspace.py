"""The assessors' openness workspace (annex 10) names every indicator: its short name in the
interface's language and annex 10's own wording (Russian) with its number — never the keys of
the scoring contract; the rules and penalties are named the same way."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import OpennessAssessment, OpennessScore
from assessments.submission.services.openness import (
    allowed_flags,
    annex10_names,
    indicator_rows,
    openness_score_set,
)
from assessments.submission.services.reports import EditConflict
from tests.worlds.factories import member

pytestmark = pytest.mark.django_db


def _page(client, user, cycle, body, language="ru") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("submission:openness_workspace", args=[cycle.code, body.pk]))
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


# --- Two assessors splitting the work ---------------------------------------------------------


class _Form(HTMLParser):
    """The workspace form's fields as a browser would post them (checked boxes only)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag != "input" or "name" not in a:
            return
        if a.get("type") == "checkbox" and "checked" not in a:
            return
        self.fields.append((a["name"], a.get("value") or ""))


class _Browser:
    def __init__(self, user, cycle, body):
        self.client = Client()
        self.client.force_login(user)
        self.url = reverse("submission:openness_workspace", args=[cycle.code, body.pk])
        self.fields: list[tuple[str, str]] = []
        self.html = ""

    def load(self, response=None):
        response = response or self.client.get(self.url)
        assert response.status_code == 200
        self.html = response.content.decode()
        form = _Form()
        form.feed(self.html)
        self.fields = form.fields
        return self

    def value(self, name):
        return next(v for n, v in self.fields if n == name)

    def type(self, name, value):
        self.fields = [(n, value if n == name else v) for n, v in self.fields]

    def tick(self, name, value):
        self.fields.append((name, value))

    def save(self):
        data: dict[str, list[str]] = {}
        for n, v in self.fields:
            data.setdefault(n, []).append(v)
        response = self.client.post(self.url, data)
        if response.status_code == 302:
            return self.load()
        return self.load(response)


def _score(body, cell):
    criterion, indicator, column = cell.split(".")
    return OpennessScore.objects.filter(body=body, criterion=criterion, indicator=indicator,
                                        column=column).first()


def test_two_assessors_scoring_different_cells_and_the_same_cell(assigned, cycle, clock):
    body = assigned.registry.ministry
    b_user = member(assigned.registry.miod, "assessor", "assessor_openness_b",
                    direction="openness")
    _assign(b_user, cycle, body)  # only assigned assessors score (issue 16)
    x, y = "open_data.published.kk", "open_data.published.ru"
    a, b = _Browser(assigned.assessor_other_direction, cycle, body).load(), \
        _Browser(b_user, cycle, body).load()
    # B scores X; A, whose page still shows X empty, scores Y: both are kept, no error on X
    b.type(x, "2")
    b.save()
    a.type(y, "1.5")
    a.save()
    assert "Укажите балл" not in a.html and 'role="alert"' not in a.html
    assert _score(body, x).value == Decimal("2") and _score(body, x).scored_by == b_user
    assert _score(body, y).value == Decimal("1.5")
    # both on X: B first, then A from a page loaded before B's save
    a.load(), b.load()
    b.type(x, "1")
    b.save()
    a.type(x, "2.5")
    a.save()
    assert _score(body, x).value == Decimal("1")  # B's value stands
    assert "Этот балл уже изменил(а)" in a.html
    assert a.value(x) == "1.00"  # the input shows B's value …
    assert a.value(f"{x}.version") == str(_score(body, x).version)
    mine = re.search(rf'data-testid="mine-{re.escape(x)}">(.*?)</div>', a.html, re.S)
    assert mine and "2.5" in mine.group(1)  # … and A's own beside it, not in the input
    # saving that page again as is does not replace B's value with A's
    a.save()
    assert _score(body, x).value == Decimal("1") and _score(body, x).scored_by == b_user
    # A types the value again, deliberately: now it is saved
    a.type(x, "2.5")
    a.save()
    assert _score(body, x).value == Decimal("2.5")
    assert _score(body, x).scored_by == assigned.assessor_other_direction


def test_two_assessors_ticking_different_rules_keep_both(assigned, cycle, clock):
    body = assigned.registry.ministry
    b_user = member(assigned.registry.miod, "assessor", "assessor_openness_b",
                    direction="openness")
    _assign(b_user, cycle, body)  # only assigned assessors score (issue 16)
    a, b = _Browser(assigned.assessor_other_direction, cycle, body).load(), \
        _Browser(b_user, cycle, body).load()
    (first_c, first), (second_c, second) = [
        (c, f) for c, items in allowed_flags(cycle, body).items() for f in items][:2]
    b.tick(f"flags.{first_c}", first)
    b.save()
    a.tick(f"flags.{second_c}", second)
    a.tick("penalty.no_blog.kk", "1")
    a.save()
    assert "Отметки уже изменил" not in a.html and 'role="alert"' not in a.html
    assessment = OpennessAssessment.objects.get(cycle=cycle, body=body)
    assert first in assessment.flags[first_c] and second in assessment.flags[second_c]
    assert assessment.subordinate_penalties == {"no_blog": {"kk": True, "ru": False}}
    # B, from its page (which does not show A's ticks), unticks its own: A's stay
    b.fields = [(n, v) for n, v in b.fields if not (n == f"flags.{first_c}" and v == first)]
    b.save()
    assessment.refresh_from_db()
    assert first not in assessment.flags.get(first_c, [])
    assert second in assessment.flags[second_c]
    assert assessment.subordinate_penalties == {"no_blog": {"kk": True, "ru": False}}


def test_two_first_scores_of_one_cell_at_once_give_the_conflict_message(
        assigned, cycle, clock, monkeypatch):
    """The second insert of a cell both read as empty hits the unique constraint: it is told
    who scored it, not shown a server error."""
    from assessments.submission.services import openness

    body = assigned.registry.ministry
    b_user = member(assigned.registry.miod, "assessor", "assessor_openness_b",
                    direction="openness")
    _assign(b_user, cycle, body)  # only assigned assessors score (issue 16)
    cell = {"cycle": cycle, "body": body, "criterion": "open_data", "indicator": "published",
            "column": "kk"}
    openness_score_set(actor=b_user, **cell, value="2")
    real, calls = openness._locked_cell, []

    def read_before_the_other_commit(c):
        calls.append(1)
        return None if len(calls) == 1 else real(c)

    monkeypatch.setattr(openness, "_locked_cell", read_before_the_other_commit)
    with pytest.raises(EditConflict) as conflict:
        openness_score_set(actor=assigned.assessor_other_direction, **cell, value="1",
                           expected_version=0)
    assert "уже изменил(а)" in conflict.value.message and "2" in conflict.value.message
    assert OpennessScore.objects.get(body=body, criterion="open_data", indicator="published",
                                     column="kk").value == Decimal("2")


def _assign(user, cycle, body) -> None:
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    AssessorAssignment.objects.create(cycle=cycle, body=body, direction="openness",
                                      assessor=user, assigned_at=clock.now())
