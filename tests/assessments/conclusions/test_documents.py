"""Every conclusion annex (3, 4, 5, 8, 12) rendered through a ``Conclusion``: the PDF's text holds
the heading, the body's name, each score and the signature block; its fonts carry the Kazakh
letters; each signature verifies intact and trusted; rendering is idempotent."""

from __future__ import annotations

import re

import pytest

from assessments.conclusions import services as svc
from reporting.models import RenderedDocument
from reporting.services import document_render
from reporting.signing.services import signed_document_download
from tests.worlds.conclusion_steps import draft, fresh, issued, people, signed
from tests.worlds.pdfcheck import KAZAKH_LETTERS, fonts_cover, pdf_text

HEADINGS = {
    3: "предоставляемых центральными государственными органами",
    4: "предоставляемых местными исполнительными органами",
    5: 'по критерию "Автоматизация государственных услуг"',
    8: 'по направлению "Открытость государственного органа"',
    12: 'по направлению "Качество рассмотрения жалоб и заявлений"',
}
SIGNATURE_TEXT = {
    3: ["Заместитель Председателя", "Руководитель соответствующего структурного подразделения"],
    4: ["Заместитель Председателя", "Руководитель соответствующего структурного подразделения"],
    5: ["Руководитель государственного органа",
        "Руководитель соответствующего структурного подразделения"],
    8: ["Руководитель Уполномоченного органа"],
    12: ["Руководитель Уполномоченного органа"],
}


def flat(text: str) -> str:
    """PDF text with line breaks and repeated spaces folded (long headings wrap)."""
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip()


def printed(value: str) -> str:
    """Scores as the annexes print them (decimal comma)."""
    return value.replace(".", ",")


@pytest.fixture
def all_signed(signing_world):
    """Annexes 5, 3, 4, 8, 12 signed by their signatories in order (5 before 3)."""
    w = signing_world
    out = {}
    for body, direction in ((w.ministry, "automation"), (w.ministry, "services"),
                            (w.akimat, "services"), (w.ministry, "openness"),
                            (w.akimat, "complaints")):
        c = signed(w, draft(w, body, direction))
        out[c.annex] = fresh(c)
    return out


def test_every_conclusion_annex_renders_through_the_conclusion(all_signed, signing_world):
    w = signing_world
    for annex, c in sorted(all_signed.items()):
        download = signed_document_download(signed_document=c.signed_document)
        assert download.report.status.value == "valid_trusted", annex
        assert len(download.report.signatures) == len(people(w, c)[2]), annex
        text = flat(pdf_text(download.data))
        assert HEADINGS[annex] in text, annex
        assert flat(c.body.name_ru) in text, annex
        codes = svc.CRITERIA[annex] if annex != 5 else ("K3", "T", "V", "C")
        for code in codes:
            assert printed(c.values[code]) in text, (annex, code, c.values[code])
        if annex != 5:
            for code in ("total", "penalty", "final"):
                assert printed(c.values[code]) in text, (annex, code)
        for label in SIGNATURE_TEXT[annex]:
            assert label in text, (annex, label)
        assert "Выводы и рекомендации" in text
        assert "Рекомендуется сократить сроки" in text
        assert "ПРОЕКТ" not in text, annex  # the signed version is not a draft
        assert flat(c.body.name_kk) in text, annex  # the state-language name, too
        used = set(text) & set(KAZAKH_LETTERS)
        assert len(used) >= 3, (annex, used)
        assert used <= fonts_cover(download.data), annex  # drawn by the embedded font


def test_the_frozen_source_is_the_approved_rendering_and_rendering_is_idempotent(all_signed):
    c = all_signed[12]
    rendered = c.rendered_document
    assert rendered.sha256 == c.signed_document.source_sha256
    again = document_render(document_id=rendered.pk)
    assert again.sha256 == rendered.sha256 and again.file.name == rendered.file.name
    assert RenderedDocument.objects.filter(subject_id=c.pk, draft=False).count() == 1


def test_a_preview_is_marked_draft_on_every_page(world, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    w = world
    c = draft(w, w.akimat, "openness")
    with django_capture_on_commit_callbacks(execute=True):
        document = svc.conclusion_preview(conclusion=c, actor=w.miod_assessor)
    document = RenderedDocument.objects.get(pk=document.pk)
    assert document.state == "rendered" and document.draft and len(document.sha256) == 64
    with document.file.open("rb") as handle:
        data = handle.read()
    pages = PdfReader(io.BytesIO(data)).pages
    assert all("ПРОЕКТ" in (page.extract_text() or "") for page in pages)
    assert flat(w.akimat.name_kk) in flat(pdf_text(data)) or flat(w.akimat.name_ru) in flat(
        pdf_text(data))


def test_the_block_conclusion_renders_through_the_conclusion(signing_world):
    w = signing_world
    for direction in ("services", "openness", "complaints"):
        c = issued(w, draft(w, w.akimat, direction))
        svc.conclusion_finalise(conclusion=c, actor=w.local_head, reason="Возражений нет")
    block = fresh(issued(w, draft(w, w.akimat, "block")))
    download = signed_document_download(signed_document=block.signed_document)
    assert download.report.status.value == "valid_trusted"
    text = flat(pdf_text(download.data))
    assert 'по блоку "Взаимодействие государственного органа' in text
    assert flat(w.akimat.name_ru) in text
    for key in ("services", "openness", "complaints", "overall"):
        assert printed(block.values[key]) in text, key
    assert "Заместитель Председателя" in text
