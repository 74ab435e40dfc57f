"""Direction conclusions (annexes 3, 4, 5, 8, 12) rendered from the engine's result."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from pypdf import PdfReader

from reporting.annexes import (
    automation_conclusion_context,
    complaints_conclusion_context,
    openness_conclusion_context,
    services_conclusion_context,
)
from reporting.annexes.common import services_maxima
from reporting.annexes.formatting import number
from reporting.annexes.samples import (
    AGENCY_SIGNATORIES,
    COMMITTEE_SIGNATORIES,
    MINISTRY_SIGNATORIES,
    MIOD_SIGNATORIES,
    sample_facts,
)
from tests.worlds.pdfcheck import KAZAKH_LETTERS, fonts_cover

from .conftest import flat, render_text

AGENCY_DEPUTY = (
    "Заместитель Председателя Агентства Республики Казахстан по делам государственной службы"
)
UNIT_HEAD = (
    "Руководитель соответствующего структурного подразделения уполномоченного на оценку органа"
)


def comma(printed: str) -> str:
    return printed.replace(".", ",")


def test_annex3_prints_every_score_maximum_penalty_final_and_signatories(
    central_result, central_body
):
    ctx = services_conclusion_context(
        body=central_body, period=2025, result=central_result,
        evaluator="Агентство Республики Казахстан по делам государственной службы",
        facts=sample_facts(3, 0),
        analysis={"K1": "Уровень удовлетворенности ниже ожидаемого.",
                  "K3": "Смартфонизация отстает."},
        recommendations="Обеспечить соблюдение сроков оказания услуг.",
        signatories=AGENCY_SIGNATORIES,
    )  # fmt: skip
    assert ctx["annex"] == 3
    data, text = render_text("annex3", ctx)
    assert (
        "Заключение о результатах операционной оценки качества оказания государственных услуг, "
        "предоставляемых центральными государственными органами" in text
    )
    assert "Приложение 3 к Методике операционной оценки" in text
    assert central_body.name_ru in text
    assert "(наименование центрального государственного органа)" in text
    assert "2025 год" in text and "(отчетный период)" in text
    services = central_result["services"]
    for code, printed in services.items():
        if code == "P":
            assert "−" + comma(printed) in text  # the unavailability penalty is a deduction
        assert comma(printed) in text, code
    assert "84,72" in text and "0,60" in text and "84,12" in text
    for label in ("Общая оценка по критериям", "Вычет штрафных баллов",
                  "Итоговая оценка с учетом вычета штрафных баллов"):
        assert label in text
    # maxima from the edition: criteria 25 / 50 / 25, total 100, penalty cap 5
    maxima = services_maxima("2023", "central")
    assert [maxima[c] for c in ("K1", "K2", "K3", "total", "penalty")] == [25, 50, 25, 100, 5]
    rows = {r["code"]: r for r in ctx["rows"]}
    assert rows["K1"]["max"] == "25" and rows["P1"]["max"] == "15" and rows["T2"]["max"] == "14"
    assert rows["P"]["max"] == "−5" and rows["D"]["max"] == "3" and rows["S"]["max"] == "2"
    assert [s["max"] for s in ctx["summary"]] == ["100", "5", "100"]
    # the source figures from explain
    assert "оказано с нарушением сроков: 100 из 250 000" in text
    # analysis per criterion and the facts in "Выводы и рекомендации" (p.21)
    assert (
        'Анализ эффективности деятельности центрального государственного органа по критериям '
        'операционной оценки:' in text
    )
    assert '1. По критерию "Удовлетворенность услугополучателей качеством оказания' in text
    assert "Уровень удовлетворенности ниже ожидаемого." in text
    assert "Смартфонизация отстает." in text
    assert "Выводы и рекомендации:" in text
    assert "Обеспечить соблюдение сроков оказания услуг." in text
    assert "Выявлены факты представления недостоверной информации (по 0,2 балла" in text
    assert "Сведения отчета не подтверждены документами (факт 3)" in text
    # signature blocks: the Agency's deputy chair, then the head of the unit, names and dates
    i_deputy = text.index(AGENCY_DEPUTY)
    i_unit = text.index(UNIT_HEAD)
    assert i_deputy < text.index("Әбдіқадыров Ғалым Нұрланұлы") < i_unit
    assert i_unit < text.index("Иванова Наталья Петровна")
    assert "Директор Департамента оценки качества государственных услуг" in text
    assert text.count("«18» марта 2026 г.") == 2
    assert text.count("(расшифровка подписи)") == 2
    # the Kazakh letters of the signatory's name are drawn by the embedded font
    assert set("ӘҒіқұ") <= fonts_cover(data)


def test_annex4_for_a_local_body(local_result, local_body):
    ctx = services_conclusion_context(
        body=local_body, period="2025 год", result=local_result,
        facts=sample_facts(1, 1), signatories=AGENCY_SIGNATORIES,
    )  # fmt: skip
    assert ctx["annex"] == 4
    _data, text = render_text("annex4", ctx)
    assert "предоставляемых местными исполнительными органами" in text
    assert "(наименование местного исполнительного органа)" in text
    assert "Анализ эффективности деятельности местного исполнительного органа" in text
    for printed in local_result["services"].values():
        assert comma(printed) in text
    rows = {r["code"]: r for r in ctx["rows"]}
    assert [rows[c]["max"] for c in ("K1", "P1", "P2", "K2", "T1", "T2", "T3", "T4")] == [
        "40", "20", "20", "60", "14", "18", "14", "14"]  # fmt: skip
    assert "K3" not in rows and "Автоматизация государственных услуг" not in text
    assert "Выявлены факты представления неполной информации (по 2 балла" in text
    assert AGENCY_DEPUTY in text


def test_annex4_kazakh_language_prints_the_kazakh_name_first(local_result, local_body):
    ctx = services_conclusion_context(body=local_body, period=2025, result=local_result,
                                      facts=sample_facts(1, 1))
    data, text = render_text("annex4", ctx, language="kk")
    assert text.index(local_body.name_kk) < text.index(local_body.name_ru)
    assert "Жамбыл облысының әкімдігі" in text
    assert set("әңі") <= fonts_cover(data, KAZAKH_LETTERS)


def test_annex5_the_automation_criterion_signed_by_the_ministry(central_result, central_body):
    ctx = automation_conclusion_context(
        body=central_body, period=2025, result=central_result,
        analysis="Степень автоматизации услуг достаточная.", signatories=MINISTRY_SIGNATORIES,
    )  # fmt: skip
    _data, text = render_text("annex5", ctx)
    assert 'государственных услуг по критерию "Автоматизация государственных услуг"' in text
    for code in ("K3", "T", "V", "C", "D", "S"):
        assert comma(central_result["services"][code]) in text
    assert "−1,50" in text and "25" in text
    assert "Степень автоматизации услуг достаточная." in text
    assert text.index("Руководитель государственного органа") < text.index(UNIT_HEAD)
    assert "Мұсин Бағдат Батырбекұлы" in text
    assert "Вычет штрафных баллов" not in text  # the direction's penalty is annex 3's


def test_annex8_openness_signed_by_the_head_of_the_evaluating_body(central_result, central_body):
    ctx = openness_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(0, 1),
        analysis={"P1": "Открытые данные публикуются не полностью."},
        signatories=MIOD_SIGNATORIES,
    )  # fmt: skip
    _data, text = render_text("annex8", ctx)
    assert 'по направлению "Открытость государственного органа"' in text
    for code, printed in central_result["openness"].items():
        assert comma(printed) in text, code
    assert "−1,50" in text  # P7, the subordinate organisations' penalty
    rows = {r["code"]: r for r in ctx["rows"]}
    # the maximum column as the seed's annex 8 prints it: 0 for the subordinates' penalty and
    # for the deduction
    assert [rows[c]["max"] for c in ("P1", "P2", "P3", "P4", "P5", "P6", "P7")] == [
        "18", "18", "18", "18", "18", "10", "0"]  # fmt: skip
    assert [s["max"] for s in ctx["summary"]] == ["100", "0", "100"]
    assert "Открытость подведомственных организаций −1,50 0" in text
    assert "Вычет штрафных баллов 2,00 0" in text
    assert "−9" not in text
    # P1 is open data here, not the services' satisfaction: no satisfaction note on its row
    assert rows["P1"]["inputs"] == ""
    assert "удовлетворенност" not in text
    assert '1) По критерию "Открытые данные";' in text
    assert '7) По критерию "Открытость подведомственных организаций".' in text
    assert "Выявлены факты представления неполной информации" in text
    assert "Руководитель Уполномоченного органа" in text
    assert "Балаева Аида Ғалымқызы" in text
    assert AGENCY_DEPUTY not in text


def test_annex12_complaints(central_result, central_body):
    ctx = complaints_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(30, 0),
        signatories=COMMITTEE_SIGNATORIES,
    )  # fmt: skip
    _data, text = render_text("annex12", ctx)
    assert 'Заключение о результатах операционной оценки по направлению "Качество рассмотрения ' \
           'жалоб и заявлений"' in text
    for code in ("R1", "R2", "R3", "R4", "total", "penalty", "final"):
        assert comma(central_result["complaints"][code]) in text
    rows = {r["code"]: r for r in ctx["rows"]}
    assert [rows[c]["max"] for c in ("R1", "R2", "R3", "R4")] == ["40", "30", "20", "10"]
    assert "Макс. балл" in text
    assert "рассмотрено с нарушением сроков: 30 из 2 000" in text
    assert "5,00" in text and "73,00" in text  # 30 facts × 0.2 = 6, capped at 5 by the engine
    assert "Ахметов Қайрат Серікұлы" in text


def test_corrected_version_and_draft_mark_on_every_page(central_result, central_body):
    ctx = services_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(3, 0),
        version=2, replaces_version=1,
    )  # fmt: skip
    data, text = render_text("annex3", ctx, draft=True)
    assert "Версия 2 — взамен версии 1" in text
    assert "Приложение 3 · версия 2" in text
    pages = PdfReader(__import__("io").BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        assert "ПРОЕКТ" in flat(page.extract_text())
    _data, final_text = render_text("annex3", ctx)
    assert "ПРОЕКТ" not in final_text


def test_unsigned_blocks_print_blank_lines(central_result, central_body):
    ctx = openness_conclusion_context(body=central_body, period=2025, result=central_result,
                                      facts=sample_facts(0, 1))
    _data, text = render_text("annex8", ctx)
    assert "«____» ______________ 20___ г." in text
    assert "(подпись)" in text and "(расшифровка подписи)" in text


def test_a_signed_date_as_a_datetime_is_printed_in_almaty(central_result, central_body):
    from datetime import datetime

    signed = datetime(2026, 3, 18, 20, 30, tzinfo=UTC)  # 19 March in Almaty (UTC+5)
    ctx = openness_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(0, 1),
        signatories=[{"role": "evaluator_head", "full_name": "А. Б.", "signed_at": signed}],
    )  # fmt: skip
    assert ctx["signatures"][0]["date"] == "«19» марта 2026 г."


@pytest.mark.parametrize(
    "builder, body_fixture",
    [(services_conclusion_context, "central_body"), (openness_conclusion_context, "local_body")],
)
def test_the_engine_result_must_be_the_bodys_kind(builder, body_fixture, central_result,
                                                  local_result, request):
    body = request.getfixturevalue(body_fixture)
    other = local_result if body.kind == "central" else central_result
    with pytest.raises(ValueError, match="the engine scored a"):
        builder(body=body, period=2025, result=other)


def test_annex_kind_and_body_kind_must_agree(central_result, local_body):
    from reporting.annexes import direction_conclusion_context

    with pytest.raises(ValueError, match="annex 3 is for центральный"):
        direction_conclusion_context(3, body=local_body, period=2025, scores={})
    with pytest.raises(ValueError, match="annex 5 is for"):
        automation_conclusion_context(body=local_body, period=2025, result=central_result)


def test_facts_must_agree_with_the_engines_penalty(central_result, central_body):
    with pytest.raises(ValueError, match="the facts give a deduction of 0.4"):
        services_conclusion_context(body=central_body, period=2025, result=central_result,
                                    facts=sample_facts(2, 0))


def test_missing_scores_and_unknown_analysis_are_refused(central_body, central_result):
    with pytest.raises(ValueError, match="scores lack"):
        complaints_conclusion_context(body=central_body, period=2025, scores={"R1": "1.00"})
    with pytest.raises(ValueError, match="analysis for unknown criteria: K9"):
        services_conclusion_context(body=central_body, period=2025, result=central_result,
                                    facts=sample_facts(3, 0), analysis={"K9": "?"})


def test_scores_given_apart_from_the_result(central_result, central_body):
    ctx = complaints_conclusion_context(
        body=central_body, period=2025, scores=central_result["complaints"],
        explain=central_result["explain"], facts=sample_facts(30, 0),
        signatories=[{"role": "evaluator_head", "full_name": "А. Б.",
                      "signed_at": date(2026, 4, 1)}],
    )  # fmt: skip
    assert [r["score"] for r in ctx["rows"]] == [
        number(central_result["complaints"][c]) for c in ("R1", "R2", "R3", "R4")]
    assert ctx["signatures"][0]["date"] == "«01» апреля 2026 г."
