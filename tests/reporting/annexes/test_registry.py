"""The annexes as document kinds: renderers, context providers, the rendering task."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reporting import renderers
from reporting.annexes import (
    ANNEX_KINDS,
    annex_context_providers,
    context_for,
    provide_context,
    render_annex,
    services_conclusion_context,
)
from reporting.annexes.samples import sample_facts
from reporting.models import RenderedDocument
from reporting.services import document_render, document_request
from reporting.tasks import render_document
from tests.worlds.pdfcheck import fonts_cover, pdf_text

from .conftest import flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers():
    """Providers registered by a test are removed after it."""
    saved = dict(annex_context_providers)
    yield annex_context_providers
    annex_context_providers.clear()
    annex_context_providers.update(saved)


def test_every_annex_is_a_document_kind():
    assert sorted(ANNEX_KINDS, key=lambda k: int(k[5:])) == [f"annex{n}" for n in range(1, 16)]
    for kind, spec in ANNEX_KINDS.items():
        assert kind in renderers.kinds()
        assert spec.template == f"pdf/annex_{spec.number:02d}.html"


def test_a_provided_conclusion_renders_through_the_task(providers, central_result,
                                                        central_body):
    seen = []

    @provide_context("annex3")
    def _provider(document):
        seen.append(document.pk)
        return services_conclusion_context(
            body=central_body, period=2025, result=central_result, facts=sample_facts(3, 0),
        )  # fmt: skip

    document = document_request(kind="annex3", version=2, language="ru")
    sha = render_document.apply(args=[document.pk]).get()
    document = RenderedDocument.objects.get(pk=document.pk)
    assert seen == [document.pk]
    assert document.state == RenderedDocument.State.RENDERED and document.sha256 == sha
    text = flat(pdf_text(document.file.read()))
    assert "Заключение о результатах операционной оценки качества оказания" in text
    assert "84,12" in text
    assert "Приложение 3 · версия 2" in text  # the version is the document's
    assert "ПРОЕКТ" not in text


def test_a_draft_document_is_marked_on_every_page(providers, central_result, central_body):
    providers["annex3"] = lambda document: services_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(3, 0),
    )  # fmt: skip
    document = document_request(kind="annex3", draft=True, render_now=True)
    with document.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    assert len(pages) >= 2
    assert all("ПРОЕКТ" in page.extract_text() for page in pages)


def test_a_kind_without_provider_fails_with_a_clear_message(providers):
    providers.pop("annex12", None)
    document = document_request(kind="annex12")
    with pytest.raises(LookupError, match=r"provide_context\('annex12'\)"):
        document_render(document_id=document.pk)
    document = RenderedDocument.objects.get(pk=document.pk)
    assert document.state == RenderedDocument.State.FAILED
    assert "no context provider registered" in document.error


def test_a_provider_returning_another_annex_is_refused(providers, central_result,
                                                       central_body):
    providers["annex4"] = lambda document: services_conclusion_context(
        body=central_body, period=2025, result=central_result, facts=sample_facts(3, 0),
    )  # fmt: skip
    document = document_request(kind="annex4")
    with pytest.raises(ValueError, match="returned the context of annex 3"):
        context_for("annex4", document)


def test_reference_forms_need_no_provider(providers):
    document = document_request(kind="annex7", render_now=True)
    assert document.state == RenderedDocument.State.RENDERED
    text = flat(pdf_text(document.file.read()))
    assert "Открытые данные 18" in text


def test_render_annex_checks_kind_and_context(central_result, central_body):
    ctx = services_conclusion_context(body=central_body, period=2025, result=central_result,
                                      facts=sample_facts(3, 0))
    with pytest.raises(ValueError, match="not annex4's"):
        render_annex("annex4", ctx)
    with pytest.raises(LookupError):
        render_annex("annex16", ctx)
    with pytest.raises(LookupError):
        provide_context("annex16")


def test_kazakh_letters_are_embedded(central_result, central_body):
    from reporting.annexes import openness_scores_context

    ctx = openness_scores_context(body=central_body, period=2025, result=central_result)
    data = render_annex("annex10", ctx)
    letters = {ch for ch in central_body.name_kk if ch in "ӘҒҚҢӨҰҮҺІәғқңөұүһі"}
    assert letters and letters <= fonts_cover(data)
