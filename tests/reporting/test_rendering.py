import pytest

from reporting.models import RenderedDocument
from reporting.rendering import render_pdf
from reporting.services import document_render, document_request
from reporting.tasks import render_document
from tests.worlds.pdfcheck import KAZAKH_LETTERS, embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db


def _glyph_outlines(font, letter):
    """Whether the embedded font draws ``letter``: a glyph with contours, found via cmap or
    via the PDF's ToUnicode-independent route (the glyph's own name or its outline count)."""
    cmap = font.getBestCmap() or {}
    name = cmap.get(ord(letter))
    if not name:
        return False
    glyph = font["glyf"][name] if "glyf" in font else None
    return glyph is not None and glyph.numberOfContours != 0


@pytest.mark.smoke
def test_sample_document_renders_through_the_task_with_kazakh_glyphs():
    document = document_request(kind="sample", language="kk")
    # the task renders it (in-process on the embedded default)
    sha = render_document.apply(args=[document.pk]).get()
    document = RenderedDocument.objects.get(pk=document.pk)
    assert document.state == RenderedDocument.State.RENDERED
    assert document.sha256 == sha and len(sha) == 64
    data = document.file.read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == sha
    text = pdf_text(data)
    assert "Образец документа" in text
    assert "Құжат үлгісі" in text
    for letter in KAZAKH_LETTERS:
        assert letter in text
    fonts = embedded_fonts(data)
    assert fonts, "no embedded font program found"
    for letter in "ӘҒҚҢӨҰҮҺІ":
        assert any(_glyph_outlines(f, letter) for f in fonts), f"no glyph for {letter}"


def test_rendering_is_idempotent_for_the_same_version():
    first = document_request(kind="sample", render_now=True)
    again = document_request(kind="sample", render_now=True)
    assert first.pk == again.pk
    assert again.sha256 == first.sha256
    name = first.file.name
    document_render(document_id=first.pk)
    assert RenderedDocument.objects.get(pk=first.pk).file.name == name
    assert RenderedDocument.objects.count() == 1


def test_a_new_version_is_a_new_document():
    first = document_request(kind="sample", version=1, render_now=True)
    second = document_request(kind="sample", version=2, render_now=True)
    assert first.pk != second.pk
    assert first.sha256 != second.sha256


def test_draft_preview_is_marked_on_every_page():
    from reporting.rendering import render_html

    html = render_html("pdf/sample.html", {"version": 1, "title_ru": "Проба"})
    html = html.replace("</body>", "<div style='page-break-before: always'>2</div></body>")
    from reporting.rendering import html_to_pdf

    data = html_to_pdf(html, draft=True)
    from io import BytesIO

    from pypdf import PdfReader

    pages = PdfReader(BytesIO(data)).pages
    assert len(pages) == 2
    for page in pages:
        assert "ПРОЕКТ" in page.extract_text()


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        document_request(kind="nope")


def test_plain_function_renders_bytes():
    data = render_pdf("pdf/sample.html", {"version": 3, "title_ru": "Т"})
    assert data.startswith(b"%PDF")
