"""Annex 1: the reconciliation act."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.annexes import PenaltyFact, reconciliation_act_context

from .conftest import render_text

EVALUATOR_REP = {"role": "evaluator_representative", "full_name": "Сапарова Гүлнұр Әділқызы",
                 "position": "главный эксперт", "signed_at": date(2026, 3, 2)}
BODY_REP = {"role": "body_representative", "full_name": "Өтегенов Ержан Қуатұлы",
            "position": "директор департамента", "signed_at": date(2026, 3, 3)}


def test_act_numbers_the_facts_with_their_points_and_the_capped_total(central_body):
    facts = [PenaltyFact(f"Недостоверные сведения о сроках (факт {i})", "unreliable", "T1")
             for i in range(1, 6)]
    facts += [PenaltyFact("Отсутствует таблица 5-1", "incomplete", "Таблица 5-1"),
              PenaltyFact("Отсутствует таблица 6", "incomplete", "Таблица 6", points="2")]
    ctx = reconciliation_act_context(
        body=central_body, period=2025, direction="openness", facts=facts,
        evaluator="Министерство информации и общественного развития Республики Казахстан",
        remarks="С фактом 3 не согласны: сведения подтверждены письмом.",
        signatories=[BODY_REP, EVALUATOR_REP],  # given in any order, printed in the seed's
    )  # fmt: skip
    data, text = render_text("annex1", ctx)
    assert "АКТ СВЕРКИ" in text
    assert (
        "по итогам перепроверки данных, содержащихся в отчетной информации оцениваемых "
        "государственных органов" in text
    )
    assert central_body.name_ru in text and "2025 год" in text
    assert 'по направлению "Открытость государственного органа"' in text
    assert [f["number"] for f in ctx["facts"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [f["points"] for f in ctx["facts"]] == ["0,2"] * 5 + ["2", "2"]
    # 5 × 0.2 + 2 × 2 = 5.00: not above the cap; with one more fact it is
    assert "ВСЕГО: 5,00" in text and "ИТОГОВЫЙ ВЫЧЕТ: 5,00 балла." in text
    assert "1. Представлена недостоверная информация." in text
    assert "2. Представлена неполная информация." in text
    assert "Недостоверные сведения о сроках (факт 5) (T1) — 0,2 балла" in text
    assert "Замечания оцениваемого государственного органа:" in text
    assert "С фактом 3 не согласны" in text
    i_eval = text.index("Представитель уполномоченного органа")
    i_body = text.index("Представитель оцениваемого государственного органа")
    assert i_eval < text.index("Сапарова Гүлнұр Әділқызы") < i_body
    assert i_body < text.index("Өтегенов Ержан Қуатұлы")
    assert "главный эксперт" in text and "директор департамента" in text
    assert "«02» марта 2026 г." in text and "«03» марта 2026 г." in text


def test_the_total_deduction_is_capped_at_five_and_the_cap_is_shown(local_body):
    facts = [PenaltyFact(f"Факт {i}", "unreliable") for i in range(1, 31)]
    ctx = reconciliation_act_context(body=local_body, period=2025, direction="complaints",
                                     facts=facts)
    assert ctx["deduction"]["sum"] == "6,00"
    assert ctx["deduction"]["printed"] == "5,00" and ctx["deduction"]["capped"]
    _data, text = render_text("annex1", ctx)
    assert "ВСЕГО: 6,00" in text
    assert "ИТОГОВЫЙ ВЫЧЕТ: 5,00 балла." in text
    assert "Сумма вычитаемых баллов (6,00) превышает предел: вычитается не более 5 баллов" in text


def test_an_act_without_facts(local_body):
    ctx = reconciliation_act_context(body=local_body, period=2025, direction="services")
    _data, text = render_text("annex1", ctx)
    assert "Фактов представления недостоверной или неполной информации не выявлено" in text
    assert "ИТОГОВЫЙ ВЫЧЕТ: 0,00 балла." in text


def test_bad_facts_and_signatories_are_refused(local_body):
    with pytest.raises(ValueError, match="0.3 points given, but the edition gives 0.2"):
        reconciliation_act_context(body=local_body, period=2025, direction="services",
                                   facts=[{"description": "x", "points": "0.3"}])
    with pytest.raises(ValueError, match="kind must be"):
        reconciliation_act_context(body=local_body, period=2025, direction="services",
                                   facts=[{"description": "x", "kind": "false"}])
    with pytest.raises(ValueError, match="has no signatory role 'deputy_chair'"):
        reconciliation_act_context(body=local_body, period=2025, direction="services",
                                   signatories=[{"role": "deputy_chair"}])
    with pytest.raises(ValueError, match="given twice"):
        reconciliation_act_context(body=local_body, period=2025, direction="services",
                                   signatories=[EVALUATOR_REP, EVALUATOR_REP])
    with pytest.raises(ValueError, match="unknown direction"):
        reconciliation_act_context(body=local_body, period=2025, direction="budget")
