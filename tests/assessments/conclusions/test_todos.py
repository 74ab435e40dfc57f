"""The home page's to-dos of the conclusions: assessor, head of unit, signatory, body."""

from __future__ import annotations

from datetime import date

from assessments.kernel.todos import todos_for
from tests.worlds.conclusion_steps import approved, draft, issued, submitted


def titles(user, w) -> dict[str, object]:
    return {t.title: t for t in todos_for(user, w.cycle, date(2026, 3, 19))}


def test_to_dos_follow_the_conclusion(signing_world):
    w = signing_world
    c = draft(w, w.ministry, "complaints")
    assert titles(w.committee_assessor, w)["Заключения в работе: анализ и выводы"].count == 1
    assert "Заключения на рассмотрении" not in titles(w.committee_unit_head, w)
    c = submitted(w, c)
    assert titles(w.committee_unit_head, w)["Заключения на рассмотрении"].count == 1
    assert "Заключения в работе: анализ и выводы" not in titles(w.committee_assessor, w)
    other = approved(w, draft(w, w.akimat, "complaints"))
    assert titles(w.committee_head, w)["Заключения на подписании"].count == 1
    assert "Заключения на подписании" not in titles(w.head, w)
    issued(w, draft(w, w.ministry, "openness"))
    body = titles(w.head, w)
    todo = body["Полученные заключения: возражения или уведомление об их отсутствии"]
    assert todo.count == 1 and todo.due_on == date(2026, 3, 31) and todo.days_left == 12
    assert "Полученные заключения: возражения или уведомление об их отсутствии" not in titles(
        w.local_head, w)
    assert other.state == "approved" and c.state == "in_review"
