"""The demo's signing credentials: one per person from the demo CA, issued once."""

from __future__ import annotations

import pytest

from demo.seed import DEMO_PASSWORD
from demo.signing import seed_demo_signing
from demo.steps import DEMO_STEPS
from reporting.models import SigningCredential
from reporting.signing.pkcs12 import open_pkcs12


def _person(username: str, full_name: str, position: str):
    from assessments.models import User

    # No password: hashing one costs more than the whole credential.
    user = User(username=username, full_name=full_name, position=position)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def evaluator_rep(db):
    return _person("assessor", "Иванов Иван Иванович", "Главный эксперт Агентства")


@pytest.fixture
def body_rep(db):
    return _person("body_head", "Сейтқали Әйгерім Нұрланқызы", "Руководитель аппарата акимата")


@pytest.mark.django_db
def test_demo_data_gives_every_person_a_credential_once(evaluator_rep, body_rep):
    assert seed_demo_signing in DEMO_STEPS
    assert DEMO_STEPS[-1] is seed_demo_signing  # after every step that creates people
    seed_demo_signing()
    seed_demo_signing()
    credentials = SigningCredential.objects.filter(user__in=[evaluator_rep, body_rep])
    assert credentials.count() == 2
    for credential in credentials:
        open_pkcs12(bytes(credential.pkcs12), DEMO_PASSWORD)
