"""No dead ends in the appeals (issue 21): after an objection arrives and before the commission
is formed, whoever forms it is asked to and the commission's people are told it is the next
step; recording a decision before the sitting's day says when it becomes possible (not a bare
403); the body's head never gets a link to a corrected conclusion it may not open yet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from appeals import services as svc
from assessments.kernel.todos import todos_for
from tests.appeals.test_pages import _commission, _file, _five, pw  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _titles(user, cycle, today):
    return {t.title: t for t in todos_for(user, cycle, today)}


def test_the_commission_to_form_is_the_next_step_after_an_objection(pw, clock):  # noqa: F811
    _file(pw)
    today = clock.today()
    secretary = _titles(pw.secretary, pw.cycle, today)
    assert any(t.startswith("Поступили возражения: следующий шаг — сформировать") for t in
               secretary), secretary
    coordinator = _titles(pw.coordinator, pw.cycle, today)
    todo = coordinator["Сформировать специальную комиссию: поступили возражения"]
    assert todo.url == reverse("appeals:commission_list") and todo.count == 1
    _commission(pw)
    assert not any("сформировать" in t.lower() for t in _titles(pw.secretary, pw.cycle, today))


def test_a_decision_before_the_sitting_says_when_it_will_be_possible(client, pw, clock):  # noqa: F811
    objection = _file(pw)
    _commission(pw)
    tomorrow = clock.today() + timedelta(days=1)
    svc.sitting_convene(objection=objection, members=_five(pw), held_on=tomorrow,
                        actor=pw.secretary)
    client.force_login(pw.secretary)
    response = client.get(reverse("appeals:objection_decide", args=[objection.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert tomorrow.strftime("%d.%m.%Y") in html and 'data-testid="error-reason"' in html
    page = client.get(reverse("appeals:objection_detail", args=[objection.pk])).content.decode()
    assert 'data-testid="wait-decide"' in page and tomorrow.strftime("%d.%m.%Y") in page
