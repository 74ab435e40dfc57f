"""Shared pieces: formatting, signature blocks, facts and deduction, the engine's rules in words,
and builders that never fail on the engine's own random cases."""

from __future__ import annotations

import random
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from assessments.scoring import score_case_dict
from assessments.scoring.samples import random_case
from reporting.annexes import openness_scores_context
from reporting.annexes.common import deduction, fact_rows, rule_notes, signature_block
from reporting.annexes.formatting import (
    count,
    decimal_text,
    long_date,
    number,
    period_text,
    points_word,
)
from reporting.annexes.inputs import Body
from reporting.annexes.samples import conclusion_contexts
from reporting.signing.blocks import SIGNATURE_BLOCKS

from .conftest import example_case


def test_numbers_are_printed_with_a_decimal_comma():
    assert number("84.12") == "84,12"
    assert number("0.00", negative=True) == "0,00"
    assert number("1.50", negative=True) == "−1,50"
    assert number(Fraction(5, 2)) == "2,5"
    assert number(Fraction(-9)) == "−9"
    assert decimal_text(Fraction(1, 8)) == "0.125"
    with pytest.raises(ValueError):
        decimal_text(Fraction(1, 3))
    assert count(250000) == "250\u00a0000" and count("12") == "12"
    assert period_text(2025) == "2025 год" and period_text("I полугодие 2025") == "I полугодие 2025"
    assert long_date(date(2026, 3, 9)) == "«09» марта 2026 г."
    new_year = datetime(2026, 1, 1, 2, tzinfo=ZoneInfo("Asia/Almaty"))
    assert long_date(new_year) == "«01» января 2026 г."
    assert long_date(None) == ""
    words = [points_word(Fraction(n)) for n in (1, 4, 10, 11, 21, 22)]
    assert words == ["балл", "балла", "баллов", "баллов", "балл", "балла"]
    assert points_word(Fraction(479, 100)) == "балла"
    assert [points_word(Fraction(n), genitive=True) for n in (1, 4, 5)] == [
        "балла", "баллов", "баллов"]  # fmt: skip


@pytest.mark.parametrize("annex", sorted(SIGNATURE_BLOCKS))
def test_signature_blocks_follow_the_signing_services_order(annex):
    roles = [role for role, _position in SIGNATURE_BLOCKS[annex]]
    given = [{"role": role, "full_name": f"Подписант {i}"} for i, role in enumerate(roles)]
    block = signature_block(annex, reversed(given))
    assert [s["role"] for s in block] == roles
    assert [s["full_name"] for s in block] == [f"Подписант {i}" for i in range(len(roles))]
    assert all(s["label"] for s in block)


def test_seed_labels_of_the_blocks():
    labels = [s["label"] for s in signature_block(3)]
    assert labels == [
        "Заместитель Председателя Агентства Республики Казахстан по делам государственной службы",
        "Руководитель соответствующего структурного подразделения уполномоченного на оценку "
        "органа",
    ]
    assert [s["label"] for s in signature_block(5)][0] == "Руководитель государственного органа"
    assert [s["label"] for s in signature_block(12)] == ["Руководитель Уполномоченного органа"]
    assert [s["label"] for s in signature_block(14)] == [
        "Председатель комиссии", "Представитель государственного органа"]  # fmt: skip
    # a position that only repeats the block's text is not printed twice
    block = signature_block(3, [{"role": "deputy_chair", "position": "Заместитель Председателя"}])
    assert block[0]["position"] == ""


def test_deduction_is_the_engines():
    rows = fact_rows([{"description": f"ф{i}"} for i in range(3)]
                     + [{"description": "нет таблицы", "kind": "incomplete"}], "2023")
    d = deduction(rows, kind="central", edition="2023")
    assert (d["unreliable"], d["incomplete"], d["value"], d["capped"]) == (3, 1, "2.60", False)
    assert d["sum"] == "2,60" and d["printed"] == "2,60" and d["cap"] == "5"
    rows = fact_rows([{"description": "x", "kind": "incomplete"}] * 3, "2023")
    d = deduction(rows, kind="local", edition="2023")
    assert (d["sum"], d["printed"], d["capped"]) == ("6,00", "5,00", True)


def _entry(result, key):
    return result["explain"][key]


def test_the_engines_rules_in_words():
    """Pins the engine's wording that ``rule_notes`` recognises."""
    case = example_case()
    case["services"]["automation"].update(
        kinds_total=10, partially_automated=0, fully_automated=10, electronic_volume=5,
        total_volume=5, automated_paper_volume=0, automated_total_volume=5, mobile_available=10,
        unavailability_hours="0",
    )  # fmt: skip
    case["services"]["rendered"] = 0
    for key in ("justified_complaints", "late", "unjustified_refusals", "incomplete_package",
                "extra_documents"):
        case["services"][key] = 0
    case["complaints"].update(handled=10, handled_late=10, court_upheld=0, redirected_late=0,
                              disciplinary_actions=0, excused=10)
    result = score_case_dict(case)
    assert rule_notes(_entry(result, "services.K3")) == [
        "стимулирующие показатели не учтены: критерий имеет максимальное значение без них"]
    assert rule_notes(_entry(result, "services.T1")) == [
        "нулевая база: присвоен максимальный балл"]
    assert rule_notes(_entry(result, "complaints.R1")) == [
        "отрицательный результат принят равным 0"]
    assert rule_notes(_entry(result, "complaints.R2")) == [
        "жалоб, удовлетворенных судом, нет: максимальный балл (п. 100)"]
    assert rule_notes(_entry(result, "complaints.R4")) == [
        "нарушений сроков нет: максимальный балл (приложение 13)"]
    case["services"]["automation"]["mobile_available"] = 9
    result = score_case_dict(case)
    assert rule_notes(_entry(result, "services.K3")) == [
        "стимулирующие показатели учтены в пределах максимального значения"]
    case["openness"]["open_data"]["scores"] = {
        k: {"kk": m, "ru": m} for k, m in (("published", "2.5"), ("on_request", "1"),
                                           ("timeliness", "3"), ("correctness", "2"),
                                           ("needs_events", "0.5"), ("api_stimulus", "1"))}
    result = score_case_dict(case)
    assert rule_notes(_entry(result, "openness.P1")) == [
        "стимулирующий показатель не учтен: критерий имеет максимальное значение без него"]


def test_builders_handle_the_engines_random_cases():
    rng = random.Random(20250101)
    for i in range(120):
        case = random_case(rng)
        kind = case["body"]["kind"]
        body = Body(f"Орган {i}", kind, f"Орган {i} (қаз.)")
        contexts = conclusion_contexts(body, case)
        expected = {"annex3" if kind == "central" else "annex4", "annex8", "annex12", "annex15"}
        if kind == "central":
            expected.add("annex5")
        assert set(contexts) == expected
        result = score_case_dict(case)
        ctx = openness_scores_context(body=body, period=2025, result=result)
        d_values = {c["score"] for c in ctx["media"]["rows"][2]["cells"]}
        assert len(d_values) == 1 and d_values <= {"1,50", "1,00", "0,80", "0,60", "0,40", "0,00"}
        assert ctx["media"]["total"] == number(result["openness"]["P6"])
