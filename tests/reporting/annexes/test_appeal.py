"""Annex 14: the disagreement table."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.annexes import disagreement_table_context

from .conftest import render_text

ROWS = [
    {"subject": "T1 Соблюдение сроков", "evaluator_conclusion": "8,00 из 12: 100 нарушений",
     "objection": "30 нарушений вызваны сбоем ИС, подтвержденным письмом", "decision": "accepted",
     "reasoning": "Сбой подтвержден уполномоченным органом", "note": "письмо № 12"},
    {"subject": "P2 Обжалование", "evaluator_conclusion": "9,52 из 10",
     "objection": "Две жалобы не обоснованы", "decision": "rejected",
     "reasoning": "Жалобы признаны обоснованными решением"},
]  # fmt: skip


def test_the_commissions_table_with_the_overall_after_appeal(central_body):
    ctx = disagreement_table_context(
        body=central_body, direction="services", period=2025, rows=ROWS,
        overall_after_appeal="85.32", decided_on=date(2026, 4, 8),
        signatories=[
            {"role": "commission_chair", "full_name": "Нұрланов Асқар", "position":
             "Председатель специальной комиссии, заместитель Председателя Агентства",
             "signed_at": date(2026, 4, 8)},
            {"role": "body_representative", "full_name": "Өтегенов Ержан Қуатұлы",
             "position": "директор департамента", "signed_at": date(2026, 4, 9)},
        ],
    )  # fmt: skip
    _data, text = render_text("annex14", ctx)
    assert "Таблица разногласий по результатам операционной оценки по направлению" in text
    assert "Качество оказания государственных услуг" in text
    assert central_body.name_ru in text and "(оцениваемый государственный орган)" in text
    for header in ("Заключение уполномоченного на оценку государственного органа",
                   "Возражение оцениваемого государственного органа",
                   "Решение специальной комиссии", "Примечание"):
        assert header in text
    assert "30 нарушений вызваны сбоем ИС" in text
    assert "Возражение принято" in text and "Возражение не принято" in text
    assert "Сбой подтвержден уполномоченным органом" in text
    assert ctx["accepted"] == 1 and ctx["rejected"] == 1
    assert "Общий балл с учетом итогов обжалования составил 85,32." in text
    assert "Решение специальной комиссии принято «08» апреля 2026 г." in text
    assert "г.." not in text
    i_chair = text.index("Председатель комиссии")
    i_ack = text.index("С итогами обжалования ознакомлен:")
    assert i_chair < text.index("Нұрланов Асқар") < i_ack
    assert i_ack < text.index("Представитель государственного органа") < text.index(
        "Өтегенов Ержан Қуатұлы")
    assert "«09» апреля 2026 г." in text


def test_before_the_decision_the_overall_line_is_blank(local_body):
    rows = [{k: v for k, v in ROWS[0].items() if k not in ("decision", "reasoning")}]
    ctx = disagreement_table_context(body=local_body, direction="openness", rows=rows)
    _data, text = render_text("annex14", ctx)
    assert "Общий балл с учетом итогов обжалования составил _____." in text
    assert "Возражение принято" not in text
    with pytest.raises(ValueError, match="needs a decision on every row"):
        disagreement_table_context(body=local_body, direction="openness", rows=rows,
                                   overall_after_appeal="10.00")
    with pytest.raises(ValueError, match="at least one row"):
        disagreement_table_context(body=local_body, direction="openness", rows=[])
    with pytest.raises(ValueError, match="decision must be"):
        disagreement_table_context(body=local_body, direction="openness",
                                   rows=[{**rows[0], "decision": "maybe"}])


def _row_texts(ctx) -> list[tuple[str, str]]:
    return [(r["subject"], r["decision_label"]) for r in ctx["rows"]]


def test_the_seeds_four_columns_criterion_in_the_first_decision_in_the_note(central_body):
    ctx = disagreement_table_context(
        body=central_body, direction="services", period=2025, rows=ROWS,
        overall_after_appeal="85.32", decided_on=date(2026, 4, 8),
    )  # fmt: skip
    _data, text = render_text("annex14", ctx)
    # the header row and the column numbers are the seed's: №, Заключение, Возражение,
    # Примечание — 1 2 3 4, and no column of our own
    header = ("№ Заключение уполномоченного на оценку государственного органа Возражение "
              "оцениваемого государственного органа Примечание 1 2 3 4 1")
    assert header in text
    assert "Оспариваемый критерий" not in text and " 5 6 " not in text
    # the disputed criterion inside column 1, under the row's number, before the conclusion
    first = text.index("1 T1 Соблюдение сроков")
    assert first < text.index("8,00 из 12: 100 нарушений") < text.index("30 нарушений вызваны")
    # the commission's decision and its reasoning inside the note, above the row's own note
    i_decision = text.index("Решение специальной комиссии: Возражение принято")
    assert text.index("30 нарушений вызваны") < i_decision
    assert i_decision < text.index("Сбой подтвержден уполномоченным органом") < text.index(
        "письмо № 12")
    assert "Решение специальной комиссии: Возражение не принято" in text
    assert _row_texts(ctx)[1] == ("P2 Обжалование", "Возражение не принято")


def test_the_table_as_filed_is_signed_by_the_head_as_its_filer(central_body):
    rows = [{k: v for k, v in r.items() if k not in ("decision", "reasoning")} for r in ROWS]
    ctx = disagreement_table_context(
        body=central_body, direction="services", period=2025, rows=rows,
        filer={"full_name": "Өтегенов Ержан Қуатұлы", "position": "Ответственный секретарь",
               "signed_at": date(2026, 3, 27)},
    )  # fmt: skip
    _data, text = render_text("annex14", ctx)
    i_filer = text.index("Таблицу разногласий направил:")
    assert i_filer < text.index("Руководитель оцениваемого государственного органа") < text.index(
        "Ответственный секретарь") < text.index("Өтегенов Ержан Қуатұлы")
    assert "«27» марта 2026 г." in text
    # never in the acknowledgment's slot, which only the acknowledgment after the decision fills
    assert "С итогами обжалования ознакомлен" not in text
    assert "Председатель комиссии" not in text
    assert "Общий балл с учетом итогов обжалования составил _____." in text
    with pytest.raises(ValueError, match="as filed carries neither"):
        disagreement_table_context(body=central_body, direction="services", rows=ROWS,
                                   filer={"full_name": "Өтегенов Ержан Қуатұлы"})
