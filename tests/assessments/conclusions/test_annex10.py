"""Annex 10 — the assessors' scores per indicator and language — is its own PDF beside the
openness conclusion (annex 8): rendered with the final annex 8 of the same version, from the same
score sheet, named by annex 8 as its supporting tables and linked from the conclusion's page."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.conclusions.documents import annex10_context, annex10_document
from assessments.models import ScoreSheet
from assessments.scoring import load_edition
from assessments.scoring.exact import parse_exact
from reporting.annexes.labels import ANNEX10_TABLES
from reporting.models import RenderedDocument
from reporting.signing.services import signed_document_download
from tests.worlds.conclusion_steps import approved, draft, fresh, signed
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def flat(data: bytes) -> str:
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " ")).strip()


def test_annex_10_is_rendered_with_the_final_annex_8_and_named_by_it(signing_world):
    w = signing_world
    c = fresh(signed(w, draft(w, w.ministry, "openness")))
    assert c.annex == 8
    document = annex10_document(c)
    assert document is not None
    assert (document.kind, document.version, document.state, document.draft) == (
        "annex10", c.version, "rendered", False)
    # its subject is the conclusion's score sheet (immutable), its version the conclusion's
    assert document.subject_type == ContentType.objects.get_for_model(ScoreSheet)
    assert document.subject_id == c.score_sheet_id
    assert document.sha256 != c.rendered_document.sha256  # its own file
    with document.file.open("rb") as handle:
        text = flat(handle.read())
    assert 'Операционная оценка по критериям наполнения портала "Открытого правительства"' in text
    assert w.ministry.name_ru in text and "Приложение 10 · версия 1" in text
    assert "На государственном языке" in text and "На русском языке" in text
    for number in ("1", "2", "4", "6", "7", "7-1", "8"):
        assert f"Таблица {number}." in text, number
    # every cell is the score sheet's applied score of that indicator and language column
    ctx = annex10_context(c, draft=False)
    explain = c.score_sheet.explain
    criteria = load_edition(c.cycle.edition).criteria["central"]
    checked = 0
    for table in ctx["tables"]:
        code = criteria[ANNEX10_TABLES[table["number"]]["criterion"]].code
        inputs = explain[f"openness.{code}"]["inputs"]
        assert table["total"] == printed(c.values[code])
        for row in (r for r in table["rows"] if not r.get("group")):
            key = _key(table, row)
            for column, cell in zip(("kk", "ru"), row["cells"], strict=True):
                expected = Fraction(*parse_exact(inputs[f"{key}.{column}"]))
                assert Fraction(cell["score"].replace(",", ".")) == expected
                checked += 1
        assert f"{table['total']} из {table['total_max']}" in text
    assert checked > 40
    # annex 8, as signed, names annex 10 of the same version as its supporting tables
    signed_text = flat(signed_document_download(signed_document=c.signed_document).data)
    assert "(приложение 10 к Методике, версия 1)" in signed_text


def printed(value: str) -> str:
    return value.replace(".", ",")


def _key(table, row) -> str:
    for num, key, _label in ANNEX10_TABLES[table["number"]]["rows"]:
        if num == row["number"] and key:
            return key
    return ""


def test_the_conclusions_page_links_annex_10(client, world, django_capture_on_commit_callbacks):
    w = world
    c = draft(w, w.akimat, "openness")
    client.force_login(w.miod_assessor)
    url = reverse("conclusions:conclusion_annex10", args=[c.pk])
    assert client.get(url).status_code == 404  # nothing approved yet: no final tables
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, c))
    page = client.get(reverse("conclusions:conclusion_detail", args=[c.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == annex10_document(c).sha256
    text = flat(response.content)
    assert w.akimat.name_ru in text
    assert "Таблица 3." in text and "Таблица 5." in text  # a local body's tables
    assert "Не оценивается: оценке подлежат подведомственные организации" in text
    # a services conclusion has no annex 10
    s = draft(w, w.akimat, "services")
    assert client.get(reverse("conclusions:conclusion_annex10", args=[s.pk])).status_code == 404
    assert RenderedDocument.objects.filter(kind="annex10").count() == 1


def test_a_conclusion_redrafted_from_changed_scores_gets_the_tables_of_its_new_sheet(
    signing_world, django_capture_on_commit_callbacks
):
    """An approved openness conclusion whose body's scores change is redrafted (issue 13, item
    7): approved again, its annex 10 is the new sheet's — the earlier tables are kept beside it,
    never served for the redrafted text."""
    from assessments.conclusions import services as svc
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body
    from assessments.scoring.samples import perfect_case

    w = signing_world
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, draft(w, w.akimat, "openness")))
    before = annex10_document(c)
    assert before is not None and before.state == "rendered"
    case = perfect_case("local")
    case["body"] = {"kind": "local", "special": []}
    case["openness"]["open_data"]["scores"]["published"] = {"kk": "0.5", "ru": "0.25"}
    scoring_input_load_case(cycle=w.cycle, body=w.akimat, case=case, actor=None,
                            reason="Эксперт исправил балл по открытым данным")
    score_body(cycle=w.cycle, body=w.akimat)
    c = svc.conclusion_redraft(conclusion=c, actor=w.miod_unit_head)
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, c))
    after = annex10_document(c)
    assert after is not None and after.pk != before.pk and after.state == "rendered"
    assert (after.version, after.subject_id) == (c.version, c.score_sheet_id)
    assert after.sha256 != before.sha256
    with after.file.open("rb") as handle:
        text = flat(handle.read())
    table1 = annex10_context(c, draft=False)["tables"][0]
    assert [cell["score"] for cell in table1["rows"][0]["cells"]] == ["0,50", "0,25"]
    assert f"{table1['total']} из 18" in text
    assert RenderedDocument.objects.filter(kind="annex10").count() == 2  # the earlier one kept
