"""Reference forms 2, 6, 7, 11, 13: every number comes from the edition's data."""

from __future__ import annotations

import copy

import pytest

from assessments.scoring import load_edition
from assessments.scoring.edition import _build, raw_edition
from reporting.annexes import (
    annex2_context,
    annex6_context,
    annex7_context,
    annex11_context,
    annex13_context,
)
from reporting.annexes import common as annex_common

from .conftest import render_text


def _text(number: str) -> str:
    return number.replace(".", ",")


def test_annex2_criteria_and_values_as_the_edition(central_body):
    ed = load_edition("2023")
    ctx = annex2_context()
    _data, text = render_text("annex2", ctx)
    assert "Критерии для операционной оценки качества оказания государственных услуг" in text
    assert "Центральные государственные органы:" in text
    assert "Местные исполнительные органы:" in text
    central, local = ({r["code"]: r["value"] for r in s["rows"]} for s in ctx["sections"])
    sp = ed.services["central"]
    assert central["P1"] == _text(sp["P1"]["max"].text)
    for code in ("P2", "T1", "T2", "T3", "T4"):
        assert central[code] == _text(sp[code]["k"].text)
        assert local[code] == _text(ed.services["local"][code]["k"].text)
    for code in ("T", "V", "C"):
        assert central[code] == _text(sp[code]["k"].text)
    for code in ("P", "D", "S", "K3"):
        assert central[code] == _text(sp[code]["max"].text)
    # the seed's own sums: 25 / 50 / 25 (central), 40 / 60 (local)
    assert (central["K1"], central["K2"], central["K3"]) == ("25", "50", "25")
    assert (local["K1"], local["K2"]) == ("40", "60")
    assert "K3" not in local
    assert "* — не применяется при получении максимального значения 25 баллов." in text
    assert 'Стимулирующий показатель "Реализация цифровых документов" *' in text


def test_annex6_satisfaction_bands_as_the_edition():
    ctx = annex6_context()
    _data, text = render_text("annex6", ctx)
    assert "Уровень удовлетворенности качеством оказания государственной услуги" in text
    for section, kind in zip(ctx["sections"], ("central", "local"), strict=True):
        p1 = load_edition("2023").services[kind]["P1"]
        points = [_text(pts.text) for _lo, pts in p1["bands"]] + [_text(p1["below"].text)]
        assert [r["value"] for r in section["rows"]] == points
    assert [r["value"] for r in ctx["sections"][0]["rows"]] == ["15", "12", "9", "6", "3", "0"]
    assert [r["value"] for r in ctx["sections"][1]["rows"]] == ["20", "16", "12", "8", "4", "0"]
    assert ("Уровень удовлетворенности качеством от 4,8 балла включительно до 5 баллов "
            "включительно") in text
    assert ("Уровень удовлетворенности качеством от 4,6 балла включительно до 4,79 балла "
            "включительно") in text
    assert ("Уровень удовлетворенности качеством от 4 баллов включительно до 4,19 балла "
            "включительно") in text
    assert "Уровень удовлетворенности качеством ниже 4 баллов" in text


def test_annex7_openness_criteria_and_points():
    ctx = annex7_context()
    _data, text = render_text("annex7", ctx)
    assert ('Операционная оценка эффективности деятельности государственного органа по '
            'направлению "Открытость государственного органа"') in text
    assert [r["value"] for r in ctx["rows"]] == ["18", "18", "18", "18", "18", "10", "−9"]
    ed = load_edition("2023")
    assert ed.subordinates["cap"].text == "9" and ed.raw["openness"]["media"]["max"] == "10"
    assert "Открытость подведомственных организаций" in text and "−9" in text


def test_annex11_complaints_criteria():
    ctx = annex11_context()
    _data, text = render_text("annex11", ctx)
    assert "Критерии операционной оценки качества рассмотрения жалоб и заявлений" in text
    assert [r["value"] for r in ctx["rows"]] == ["40 баллов", "30 баллов", "20 баллов",
                                                 "10 баллов"]
    assert "Итого 100 баллов" in text
    cp = load_edition("2023").complaints
    assert [cp[c]["k"].text for c in ("R1", "R2", "R3")] == ["40", "30", "20"]


def test_annex13_internal_control_bands():
    ctx = annex13_context()
    _data, text = render_text("annex13", ctx)
    assert '"Внутренний контроль за качеством рассмотрения жалоб и заявлений"' in text
    assert [b["range"] for b in ctx["bands"]] == [
        "от 90 % до 100 %", "от 80 % до 89,9 %", "от 70 % до 79,9 %", "от 60 % до 69,9 %",
        "от 50 % до 59,9 %", "менее 49,9 %"]  # fmt: skip
    assert [b["points"] for b in ctx["bands"]] == [
        "10 баллов", "8 баллов", "6 баллов", "4 балла", "1 балл", "0 баллов"]  # fmt: skip
    # the seed's words, as its annex 13 has them
    assert ("если доля количество фактов привлечения к ответственности составляет от 80 % до "
            "89,9 % от общего количества жалоб") in text
    assert "составляет менее 49,9 % от общего количества" in text
    assert "то государственному органу присваиваются 1 балл;" in text
    assert ("В случае отсутствия жалоб и заявлений, рассмотренных и перенаправленных с нарушением "
            "сроков, государственному органу присваиваются 10 баллов.") in text


@pytest.fixture
def tweaked_edition(monkeypatch):
    """An edition whose numbers differ from 2023's: the forms must follow it."""
    raw = copy.deepcopy(raw_edition("2023"))
    raw["edition"] = "tweaked"
    raw["services"]["central"]["P1"]["max"] = "16"
    raw["services"]["central"]["P1"]["bands"][0] = ["4.85", "16"]
    raw["services"]["local"]["T2"]["k"] = "17.5"
    raw["openness"]["media"]["max"] = "11"
    raw["openness"]["subordinates"]["cap"] = "8"
    raw["complaints"]["R1"]["k"] = "45"
    raw["complaints"]["R4"]["bands"][1] = ["75", "7"]
    edition = _build(raw)
    real = annex_common.load_edition

    def fake(name):
        return edition if name == "tweaked" else real(name)

    monkeypatch.setattr(annex_common, "load_edition", fake)
    return "tweaked"


def test_the_forms_follow_another_editions_numbers(tweaked_edition):
    sections = annex2_context(tweaked_edition)["sections"]
    central = {r["code"]: r["value"] for r in sections[0]["rows"]}
    assert central["P1"] == "16" and central["K1"] == "26"
    local = {r["code"]: r["value"] for r in sections[1]["rows"]}
    assert local["T2"] == "17,5" and local["K2"] == "59,5"
    rows6 = annex6_context(tweaked_edition)["sections"][0]["rows"]
    assert rows6[0]["value"] == "16" and "от 4,85 балла" in rows6[0]["label"]
    assert "до 4,84 балла" in rows6[1]["label"]
    assert [r["value"] for r in annex7_context(tweaked_edition)["rows"]][-2:] == ["11", "−8"]
    assert annex11_context(tweaked_edition)["rows"][0]["value"] == "45 баллов"
    bands = annex13_context(tweaked_edition)["bands"]
    assert bands[1]["range"] == "от 75 % до 89,9 %" and bands[1]["points"] == "7 баллов"
    _data, text = render_text("annex2", annex2_context(tweaked_edition))
    assert "26" in text and "17,5" in text
