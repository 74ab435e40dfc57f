"""The conclusion's page labels each printed value by the conclusion's own direction and prints
it as the annex does (decimal comma), so the signatory reads on the page what the PDF says."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.conclusions.selectors import printed
from tests.worlds.conclusion_steps import draft


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def scores_table(client, user, c) -> str:
    client.force_login(user)
    response = client.get(reverse("conclusions:conclusion_detail", args=[c.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="scores"')
    return html[start:html.index("</table>", start)]


def label(table: str, code: str) -> str:
    match = re.search(rf'data-testid="label-{re.escape(code)}">(.*?)</th>', table, re.S)
    assert match, code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_a_services_conclusion_labels_its_own_indicators(world, client):
    w = world
    c = draft(w, w.ministry, "services")
    table = scores_table(client, w.assessor, c)
    assert label(table, "P1") == ("P1 Уровень удовлетворенности качеством оказания "
                                  "государственных услуг")
    assert label(table, "P2") == "P2 Обжалование качества оказания государственных услуг"
    assert label(table, "T1") == "T1 Соблюдение сроков оказания государственных услуг"
    assert label(table, "K3") == "K3 Автоматизация государственных услуг"
    assert label(table, "S").startswith("S Стимулирующий показатель")
    assert label(table, "total") == "Общая оценка по критериям"  # no code "total"
    assert label(table, "final") == "Итоговая оценка с учетом вычета штрафных баллов"
    assert "Открытые данные" not in table and "Открытый бюджет" not in table
    assert ">T1 T1<" not in table and "<code>total</code>" not in table
    # Decimals as printed: comma, never a dot or a raw fraction.
    final = c.values["final"].replace(".", ",")
    assert f'data-testid="score-final">{final}<' in table
    cells = re.sub(r"<[^>]+>", " ", table)
    assert not re.search(r"\d\.\d", cells), "a decimal point on the page"
    assert not re.search(r"\d+/\d+", cells), "a raw fraction on the page"


def test_openness_automation_and_complaints_keep_theirs(world, client):
    w = world
    openness = scores_table(client, w.miod_assessor, draft(w, w.ministry, "openness"))
    assert label(openness, "P1") == "P1 Открытые данные"
    assert label(openness, "P2") == "P2 Открытый бюджет"
    automation = scores_table(client, w.digital_assessor, draft(w, w.ministry, "automation"))
    assert label(automation, "T") == "T Степень автоматизации государственных услуг"
    assert label(automation, "K3") == "K3 Автоматизация государственных услуг"
    complaints = scores_table(client, w.committee_assessor, draft(w, w.akimat, "complaints"))
    assert label(complaints, "R1") == "R1 Соблюдение сроков рассмотрения жалоб и заявлений"


def test_the_page_shows_the_labels_in_the_persons_language(world, client, settings,
                                                         default_language_after):
    w = world
    c = draft(w, w.ministry, "services")
    client.force_login(w.assessor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("conclusions:conclusion_detail", args=[c.pk]))
    html = response.content.decode()
    start = html.index('data-testid="scores"')
    table = html[start:html.index("</table>", start)]
    assert "Compliance with the time limits for rendering public services" in label(table, "T1")


@pytest.mark.parametrize(("value", "shown"), [
    ("84.12", "84,12"), ("0.00", "0,00"), ("12", "12"), ("5/2", "2,5"), ("1/8", "0,125"),
    ("330107/4256", "≈77,56"), ("-3/4", "-0,75"), ("low", "low"),
])
def test_printed_numbers(value, shown):
    assert printed(value) == shown
