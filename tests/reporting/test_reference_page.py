"""The reference forms (annexes 2, 6, 7, 11, 13) of a cycle: rendered from the cycle's edition
data, stored once (version 1, the cycle as their subject), downloadable from a page that shows
the edition."""

from __future__ import annotations

import copy
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.models import Cycle
from assessments.scoring.edition import _build, raw_edition
from reporting.annexes import common as annex_common
from reporting.models import RenderedDocument
from tests.worlds.factories import CycleFactory
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db

HEADINGS = {
    2: "Критерии для операционной оценки качества оказания государственных услуг",
    6: "Приложение 6 к Методике",
    7: "Приложение 7 к Методике",
    11: "Критерии операционной оценки качества рассмотрения жалоб и заявлений",
    13: '"Внутренний контроль за качеством рассмотрения жалоб и заявлений"',
}


def flat(data: bytes) -> str:
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " ")).strip()


@pytest.fixture
def tweaked(monkeypatch):
    """A second edition whose numbers differ from 2023's (R1 worth 45, an R4 band at 75 %)."""
    raw = copy.deepcopy(raw_edition("2023"))
    raw["edition"] = "tweaked"
    raw["complaints"]["R1"]["k"] = "45"
    raw["complaints"]["R4"]["bands"][1] = ["75", "7"]
    edition = _build(raw)
    real = annex_common.load_edition
    monkeypatch.setattr(annex_common, "load_edition",
                        lambda name: edition if name == "tweaked" else real(name))
    return "tweaked"


def fetch(client, capture, url):
    """The first request finds the form being rendered (a page that refreshes itself); the
    rendering runs after that request's commit; the next request gets the PDF."""
    with capture(execute=True):
        first = client.get(url)
    if first["Content-Type"] == "application/pdf":
        return first
    assert first.status_code == 200 and 'data-testid="document-pending"' in first.content.decode()
    return client.get(url)


def test_the_page_shows_the_edition_and_serves_each_form_once(
    client, personas, cycle, tasks_in_process, django_capture_on_commit_callbacks
):
    cycle.is_current = True
    cycle.save(update_fields=["is_current"])
    assert client.get(reverse("reporting:reference_annexes")).status_code == 302  # log in
    client.force_login(personas.assessor)
    page = client.get(reverse("reporting:reference_annexes")).content.decode()
    assert 'data-testid="edition">2023<' in page
    for number, heading in HEADINGS.items():
        url = reverse("reporting:reference_annex_file", args=[cycle.code, number])
        assert url in page
        response = fetch(client, django_capture_on_commit_callbacks, url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = flat(response.content)
        assert heading in text, number
        assert f"Приложение {number} · версия 1" in text
        again = client.get(url)
        assert again["X-Content-SHA256"] == response["X-Content-SHA256"]
    stored = RenderedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Cycle), subject_id=cycle.pk)
    assert sorted(d.kind for d in stored) == sorted(f"annex{n}" for n in HEADINGS)
    assert {(d.version, d.draft, d.state) for d in stored} == {(1, False, "rendered")}
    # only the reference forms, of a known cycle
    assert client.get(reverse("reporting:reference_annex_file",
                              args=[cycle.code, 3])).status_code == 404
    assert client.get(reverse("reporting:reference_annex_file",
                              args=["nope", 2])).status_code == 404


def test_each_cycle_prints_its_own_editions_numbers(
    client, personas, cycle, tweaked, tasks_in_process, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    other = CycleFactory(code="2026-tweaked", year=2026, edition=tweaked)
    client.force_login(personas.assessor)
    page = client.get(reverse("reporting:reference_annexes") + "?cycle=2026-tweaked")
    assert 'data-testid="edition">tweaked<' in page.content.decode()
    assert f"?cycle={cycle.code}" in page.content.decode()  # the other cycle, listed
    text11 = flat(fetch(client, capture, reverse("reporting:reference_annex_file",
                                                 args=[other.code, 11])).content)
    text13 = flat(fetch(client, capture, reverse("reporting:reference_annex_file",
                                                 args=[other.code, 13])).content)
    assert "45 баллов" in text11
    assert "составляет от 75 % до 89,9 %" in text13
    base11 = flat(fetch(client, capture, reverse("reporting:reference_annex_file",
                                                 args=[cycle.code, 11])).content)
    assert "45 баллов" not in base11 and "40 баллов" in base11
