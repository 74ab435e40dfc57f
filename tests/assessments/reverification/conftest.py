"""Fixtures of the re-verification tests: the personas (tests/factories.py) in a 2025 cycle played
in February 2026 (inside the schedule's re-verification window), signing credentials from the
tests' throwaway demo CA (tests/conftest.py), an outside CA, PDFs with and without a "ДСП" stamp."""

from __future__ import annotations

import pytest

from reporting.signing import ca

PASSPHRASE = "sign-pass-2026"


@pytest.fixture(scope="session")
def outside_ca(tmp_path_factory):
    return ca.demo_ca(tmp_path_factory.mktemp("reverification-outside-ca"))


@pytest.fixture
def when(clock):
    """Monday 2 February 2026: the 2025 cycle's re-verification runs until 27 February."""
    clock.set_now("2026-02-02T10:00:00")
    return clock


@pytest.fixture
def cycle2025(personas, when):
    from assessments.registry.services.cycles import cycle_create, cycle_set_current

    cycle = cycle_create(actor=None, code="2025", year=2025, edition="2023")
    cycle_set_current(actor=None, cycle=cycle)
    return cycle


@pytest.fixture
def credentials(personas):
    """Signing credentials for both sides of the act (the evaluator's assessor, the body's head)."""
    from reporting.signing.services import issue_demo_credential

    for user in (personas.assessor, personas.head, personas.unit_head, personas.local_head):
        issue_demo_credential(user, PASSPHRASE)
    return PASSPHRASE


def pdf_bytes(text: str = "Протокол заседания рабочей группы") -> bytes:
    """A small real PDF whose text is ``text`` (rendered through the reporting service)."""
    from reporting.rendering import render_pdf

    return render_pdf("pdf/sample.html", {
        "version": 1, "title_ru": text, "title_kk": "Құжат", "body_ru": text, "body_kk": "",
        "kazakh_letters": "Ә",
    })


@pytest.fixture(scope="session")
def clean_pdf():
    return pdf_bytes()


@pytest.fixture(scope="session")
def stamped_pdf():
    return pdf_bytes("Для служебного пользования. Отчёт о проверках")


def upload(data: bytes, name: str = "protocol.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def selected(personas, cycle2025):
    """The ministry picked for re-verification on services by the Agency's assessor."""
    from assessments.reverification.services import reverification_select

    return reverification_select(
        actor=personas.assessor, cycle=cycle2025, body=personas.registry.ministry,
        direction="services", evaluator=personas.registry.agency, reason="",
    )


def record(rv, actor, kind="unreliable", n=1, section="Таблица 1"):
    from assessments.reverification.services import finding_record

    return [
        finding_record(actor=actor, reverification=rv, kind=kind,
                       description=f"Факт {kind} № {i + 1}: сведения не соответствуют "
                                   f"документам", report_section=section)
        for i in range(n)
    ]

