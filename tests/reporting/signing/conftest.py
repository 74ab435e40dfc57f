"""Personas and certification authorities of the signing tests.

The demo CA of these tests (``demo_ca_dir``, tests/worlds/fixtures.py) lives in a temporary
directory made once per session (never in ``var/demo-ca``); ``settings.SIGNING_CA_DIR`` /
``SIGNING_TRUST_ROOTS`` point at it for every test. A second, *outside* CA (``outside_ca``) issues
certificates that must come out as untrusted.
"""

from __future__ import annotations

import pytest

from tests.worlds.factories import PASSPHRASE


@pytest.fixture(autouse=True)
def _signing_settings(signing_demo_ca):
    """Every test signs with the session's demo CA."""


@pytest.fixture(scope="session")
def sample_pdf():
    """A rendered sample document (Russian and Kazakh text), rendered once."""
    from reporting.rendering import render_pdf

    return render_pdf("pdf/sample.html", {
        "version": 1, "title_ru": "Акт сверки", "title_kk": "Салыстыру актісі",
        "body_ru": "Факты недостоверных сведений: два.", "body_kk": "Дәйексіз мәліметтер.",
        "kazakh_letters": "Ә Ғ Қ Ң Ө Ұ Ү Һ І",
    })


def _person(username: str, full_name: str, position: str, **extra):
    from assessments.models import User

    # No password: hashing one costs more than the whole signature (views use force_login).
    user = User(username=username, full_name=full_name, position=position, **extra)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def evaluator_rep(db):
    """The evaluating body's representative: signs the reconciliation act first."""
    return _person("assessor", "Иванов Иван Иванович", "Главный эксперт Агентства")


@pytest.fixture
def body_rep(db):
    """The evaluated body's representative: signs second."""
    return _person("body_head", "Сейтқали Әйгерім Нұрланқызы", "Руководитель аппарата акимата")


@pytest.fixture
def outsider(db):
    return _person("outsider", "Посторонний Пётр", "Специалист другого органа")


@pytest.fixture
def staff(db):
    return _person("staff", "Администратор Системы", "Администратор", is_staff=True)


@pytest.fixture
def credential_for():
    """Issue a demo credential (passphrase ``PASSPHRASE``) to a person."""
    from reporting.signing.services import issue_demo_credential

    def issue(user):
        return issue_demo_credential(user, PASSPHRASE)

    return issue


@pytest.fixture
def rendered(db):
    """A rendered (final, not draft) sample document."""
    from reporting.services import document_request

    return document_request(kind="sample", render_now=True)


@pytest.fixture
def act(rendered, evaluator_rep, body_rep, credential_for):
    """A document frozen for the reconciliation act's signature block, both sides credentialed."""
    from reporting.signing.blocks import signature_block
    from reporting.signing.services import signed_document_freeze

    credential_for(evaluator_rep)
    credential_for(body_rep)
    return signed_document_freeze(
        rendered_document=rendered,
        title="Акт сверки",
        signatories=signature_block(1, [evaluator_rep, body_rep]),
        created_by=evaluator_rep,
    )
