"""Openness: the body's report (annex 9) and its scores per language column (annex 10)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assessments.scoring import load_edition
from assessments.scoring.exact import parse_exact
from reporting.annexes import openness_report_context, openness_scores_context
from reporting.annexes.labels import ANNEX10_TABLES
from tests.worlds.pdfcheck import fonts_cover

from .conftest import render_text

REPORT = {
    "1": [
        {"indicator": "published",
         "kk": {"links": ["https://data.egov.kz/datasets/view?index=kk_dataset_1"],
                "documents": ["Ашық деректер тізімі.pdf"]},
         "ru": {"links": ["https://data.egov.kz/datasets/view?index=ru_dataset_1",
                          "https://data.egov.kz/datasets/view?index=ru_dataset_2"],
                "documents": [{"name": "Перечень наборов.pdf", "url": "https://example.kz/p"}]},
         "note": "ежеквартально"},
        {"indicator": "api_stimulus", "ru": {"links": ["https://data.egov.kz/api/v4/x"]}},
    ],
    "5-1": [{"indicator": "media_requests", "kk": {"documents": ["БАҚ сұраулары.xlsx"]}}],
    "6": [{"indicator": "website", "ru": {"links": ["https://sub.gov.kz"]}}],
}


def test_annex9_lists_links_and_documents_per_language(central_body):
    ctx = openness_report_context(body=central_body, period=2025, report=REPORT)
    data, text = render_text("annex9", ctx)
    assert 'Отчет по направлению "Открытость государственного органа"' in text
    # bilingual: both names
    assert central_body.name_ru in text and central_body.name_kk in text
    assert [t["number"] for t in ctx["tables"]] == ["1", "2", "4", "5", "5-1", "6"]
    assert 'Таблица 1. Отчетные данные центральных государственных и местных исполнительных ' \
           'органов по критерию "Открытые данные"' in text
    assert "На государственном языке" in text and "На русском языке" in text
    for link in ("kk_dataset_1", "ru_dataset_1", "ru_dataset_2"):
        assert link in text.replace(" ", "")
    assert "Документ: Ашық деректер тізімі.pdf" in text
    assert "Документ: Перечень наборов.pdf" in text
    assert "ежеквартально" in text
    assert "Документ: БАҚ сұраулары.xlsx" in text
    row = ctx["tables"][0]["rows"][0]
    assert row["kk"]["links"] == ["https://data.egov.kz/datasets/view?index=kk_dataset_1"]
    assert ctx["tables"][0]["rows"][1]["reported"] is False  # on_request: not reported
    assert set("ӘҚҰ") & fonts_cover(data) and set("ұқ") <= fonts_cover(data)


def test_annex9_tables_by_kind_of_body(local_body):
    ctx = openness_report_context(body=local_body, period=2025, report={})
    assert [t["number"] for t in ctx["tables"]] == ["1", "3", "4", "5", "5-1"]
    table4 = next(t for t in ctx["tables"] if t["number"] == "4")
    assert [r["indicator"] for r in table4["rows"]] == [
        "drafts_with_notes", "comments", "press_releases"]  # fmt: skip
    _data, text = render_text("annex9", ctx)
    assert "Таблица 3. Отчетные данные местных исполнительных органов" in text
    assert "Таблица 6." not in text
    with pytest.raises(ValueError, match="not for a местный"):
        openness_report_context(body=local_body, period=2025, report={"6": REPORT["6"]})
    with pytest.raises(ValueError, match="no such indicator"):
        openness_report_context(body=local_body, period=2025,
                                report={"4": [{"indicator": "law_concepts"}]})
    with pytest.raises(ValueError, match="has no table 12"):
        openness_report_context(body=local_body, period=2025, report={"12": []})
    with pytest.raises(ValueError, match="unknown keys extra"):
        openness_report_context(body=local_body, period=2025,
                                report={"1": [{"indicator": "published", "kk": {"extra": 1}}]})


def _cells(table):
    return {r["label"][:40]: r["cells"] for r in table["rows"] if not r.get("group")}


def test_annex10_every_indicator_per_column_as_the_engine_scored(central_result, central_body):
    ctx = openness_scores_context(body=central_body, period=2025, result=central_result)
    data, text = render_text("annex10", ctx)
    assert 'Операционная оценка по критериям наполнения портала "Открытого правительства"' in text
    assert central_body.name_kk in text
    assert [t["number"] for t in ctx["tables"]] == ["1", "2", "4", "6", "7"]
    ed = load_edition("2023")
    explain = central_result["explain"]
    for table in ctx["tables"]:
        crit = ed.criteria["central"][ANNEX10_TABLES[table["number"]]["criterion"]]
        inputs = explain["openness." + crit.code]["inputs"]
        keys = [k for _n, k, _l in ANNEX10_TABLES[table["number"]]["rows"] if k]
        rows = [r for r in table["rows"] if not r.get("group")]
        assert len(rows) == len(keys)
        for key, row in zip(keys, rows, strict=True):
            for col, cell in zip(("kk", "ru"), row["cells"], strict=True):
                value = Fraction(*parse_exact(inputs[f"{key}.{col}"]))
                assert Fraction(cell["score"].replace(",", ".")) == value
                assert cell["max"] == crit.maxima[key].text.replace(".", ",")
        assert table["total"] == central_result["openness"][crit.code].replace(".", ",")
        assert table["total_max"] == "18"
    table1 = ctx["tables"][0]
    assert [c["score"] for c in table1["rows"][0]["cells"]] == ["2,50", "2,00"]
    assert "4,50 из 18" in text
    # table 2: no press releases zeroes two indicators (p.67), said next to them
    assert "0 баллов (п. 67)" in text
    # table 6: the blog posts band from the edition and the posts counted
    # worded as the seed's annex 10 words the bands (table 6, row 3)
    assert ("1) при размещении более 50 записей (не менее 1 записи в неделю) — 1,5; "
            "2) при размещении более 25 записей (не менее 2 записей в месяц) — 1; "
            "3) при размещении более 10 записей (не менее 1 записи в месяц) — 0,5; "
            "4) в иных случаях — 0,3") in text
    assert "записей в блоге: 30" in text


def test_annex10_media_columns_recompose_the_engines_p6(central_result, central_body):
    ctx = openness_scores_context(body=central_body, period=2025, result=central_result)
    media = ctx["media"]
    a_kk, a_ru = (c["score"] for c in media["rows"][0]["cells"])
    assert (a_kk, a_ru) == ("1,25", "1,50")  # 10 / 20 × 2.5 and 12 / 20 × 2.5
    assert [c["score"] for c in media["rows"][1]["cells"]] == ["0,88", "0,88"]  # 35 / 40
    assert [c["score"] for c in media["rows"][2]["cells"]] == ["1,00", "1,00"]  # 72 % → 1
    assert media["coefficient"] == "0,85"
    assert media["total"] == "5,83" == central_result["openness"]["P6"].replace(".", ",")
    assert [c["max"] for c in media["rows"][0]["cells"]] == ["2,5", "2,5"]
    _data, text = render_text("annex10", ctx)
    assert "Таблица 7-1." in text and "5,83 из 10" in text
    assert ("свыше 80 % опрошенных удовлетворены — 1,5; от 69 до 79 % опрошенных удовлетворены"
            " — 1; от 58 до 68 % опрошенных удовлетворены — 0,8; от 47 до 57 % опрошенных "
            "удовлетворены — 0,6; от 36 до 46 % опрошенных удовлетворены — 0,4; менее 35 % "
            "опрошенных удовлетворены — 0") in text


def test_annex10_subordinate_organisations_tables(central_result, central_body, local_result,
                                                  local_body):
    ctx = openness_scores_context(body=central_body, period=2025, result=central_result)
    sub = ctx["subordinates"]
    assert sub["applies"]
    assert [t["number"] for t in sub["tables"]] == ["9", "10", "11"]
    website = sub["tables"][0]["rows"][0]["cells"]
    assert [c["score"] for c in website] == ["1,50", "0,00"]  # website_missing: kk only
    assert [c["max"] for c in website] == ["1,5", "1,5"]
    assert [r["max"] for r in sub["summary"]["rows"]] == ["3", "3", "3"]
    assert sub["summary"]["total"] == "1,50" and sub["summary"]["total_max"] == "9"
    _data, text = render_text("annex10", ctx)
    assert "Итого штрафных баллов" in text
    local = openness_scores_context(body=local_body, period=2025, result=local_result)
    assert not local["subordinates"]["applies"]
    assert [t["number"] for t in local["tables"]] == ["1", "3", "5", "6", "7"]
    dialogue = next(t for t in local["tables"] if t["number"] == "6")
    assert all("НКО" not in r["label"] for r in dialogue["rows"])  # MIOs: no NGO meeting
    reception = next(r for r in dialogue["rows"] if "личного приема" in r["label"])
    assert [c["max"] for c in reception["cells"]] == ["1", "1"]  # local maximum (central 0,5)
    npa = next(t for t in local["tables"] if t["number"] == "5")
    comments = next(r for r in npa["rows"] if "Мониторинг" in r["label"])
    assert [c["score"] for c in comments["cells"]] == ["4,00", "4,00"]
    assert comments["note"] == "максимальный балл (п. 71)"
    _data, text = render_text("annex10", local)
    assert "Не оценивается: оценке подлежат подведомственные организации центральных" in text
