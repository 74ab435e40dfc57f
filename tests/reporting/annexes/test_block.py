"""Annex 15: the block conclusion — the three finals, the weights, the overall score, the band."""

from __future__ import annotations

import pytest

from assessments.scoring import load_edition
from reporting.annexes import block_conclusion_context
from reporting.annexes.samples import AGENCY_SIGNATORIES

from .conftest import render_text


def test_block_conclusion_from_the_engine_result(central_result, central_body):
    ctx = block_conclusion_context(
        body=central_body, period=2025, result=central_result, signatories=AGENCY_SIGNATORIES,
        analysis={"services": "Итоговая оценка по направлению 84,12 балла."},
        recommendations="Повысить открытость.",
    )  # fmt: skip
    _data, text = render_text("annex15", ctx)
    assert (
        'Заключение о результатах операционной оценки эффективности деятельности '
        'государственных органов по блоку "Взаимодействие государственного органа с физическими '
        'и юридическими лицами"' in text
    )
    assert central_body.name_ru in text and "2025 год" in text
    for direction, final in (("services", "84,12"), ("openness", "8,83"),
                             ("complaints", "73,00")):
        assert final == central_result[direction]["final"].replace(".", ",")
        assert final in text
    assert "Итоговая оценка" in text and "65,73" in text
    # the weights are the edition's, in the seed's formula for a central body (p.107)
    weights = load_edition("2023").overall["weights"]
    assert [w.text for w in weights.values()] == ["0.5", "0.2", "0.3"]
    assert "O = 0,5 × U + 0,2 × D + 0,3 × H" in text
    assert "По результатам оценки: Низкая степень эффективности (от 50 до 69,99 балла)." in text
    assert '1. Оценка по направлению "Качество оказания государственных услуг";' in text
    assert "Итоговая оценка по направлению 84,12 балла." in text
    assert "Повысить открытость." in text
    assert text.index("Заместитель Председателя Агентства") < text.index(
        "Руководитель соответствующего структурного подразделения")


@pytest.mark.parametrize(
    "overall, band, wording",
    [
        ("95.10", "high", "Высокая степень эффективности (от 90 до 100 баллов)"),
        ("89.99", "medium", "Средняя степень эффективности (от 70 до 89,99 балла)"),
        ("50.00", "low", "Низкая степень эффективности (от 50 до 69,99 балла)"),
        ("49.99", "ineffective",
         "Деятельность государственного органа признается неэффективной (менее 50 баллов)"),
    ],
)
def test_each_band_in_the_seeds_words(overall, band, wording, local_body):
    ctx = block_conclusion_context(
        body=local_body, period=2025, overall=overall, band=band,
        finals={"services": "90.00", "openness": "80.00", "complaints": "70.00"},
    )  # fmt: skip
    _data, text = render_text("annex15", ctx)
    assert f"По результатам оценки: {wording}." in text
    assert overall.replace(".", ",") in text
    assert "A = 0,5 × T + 0,2 × F + 0,3 × H" in text  # a local body's symbols (p.107)
    assert "Анализ эффективности деятельности местного исполнительного органа" in text
    current = [b for b in ctx["bands"] if b["current"]]
    assert [b["band"] for b in current] == [band]


def test_the_block_needs_every_direction(central_body, central_result):
    partial = {**central_result, "openness": None}
    with pytest.raises(ValueError, match="needs all three directions"):
        block_conclusion_context(body=central_body, period=2025, result=partial)
    with pytest.raises(ValueError, match="unknown band"):
        block_conclusion_context(
            body=central_body, period=2025, overall="10.00", band="excellent",
            finals={"services": "1.00", "openness": "1.00", "complaints": "1.00"},
        )  # fmt: skip
    with pytest.raises(ValueError, match="either the engine's result"):
        block_conclusion_context(body=central_body, period=2025, result=central_result,
                                 overall="1.00")
