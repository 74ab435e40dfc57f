"""The fixtures several test folders share, registered for the whole suite by ``pytest_plugins``
in tests/conftest.py. None is autouse: a folder that wants one for every test says so in its own
conftest (a thin autouse fixture requesting it), a module with ``pytest.mark.usefixtures``.

Set-up
    fast_passwords        MD5 password hashing (the production hasher takes a second a user)
    tasks_in_process      Celery runs queued tasks in this process (``task_always_eager``)
    default_language_after  the default language active again after the test
    demo_ca_dir           the tests' demo CA, made once per session (never ``var/demo-ca``)
    signing_demo_ca       ``SIGNING_CA_DIR`` / ``SIGNING_TRUST_ROOTS`` point at that CA
    outside_ca            a second CA, untrusted

Worlds (builders in tests/worlds/)
    registry, personas    the registry and one person per role (factories.py)
    cycle                 the 2025 cycle (edition 2023)
    scores_cycle          the current 2025 cycle, made straight in the table
    current_cycle         the 2025 cycle made current through the services, with its schedule
    root                  a superuser logged in through ``client``
    services_register, schedule, assigned   the services register, the submission deadline,
                          assessors assigned to the ministry and the akimat
    world, signing_world  the conclusions world (conclusions.py), with credentials
    aw                    the appeals world (appeals.py)
    when, cycle2025, credentials, selected, clean_pdf, stamped_pdf   the re-verification world
"""

from __future__ import annotations

import pytest

from tests.worlds.factories import PASSPHRASE, CycleFactory, Personas, Registry

# --- set-up -----------------------------------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    """Hashing a password the production way takes a second; tests make dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tasks_in_process():
    """The tasks a test queues (renderings, e-mails, scoring) run in this process when their
    transaction commits, whatever the broker (each test still checks what was queued; the real
    worker is exercised by tests/config/test_celery_worker.py)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def default_language_after():
    """A request in Kazakh or English leaves its language active in the thread; the next test
    (its services translate notes and source labels) starts in the default language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def demo_ca_dir(tmp_path_factory):
    from reporting.signing import ca

    directory = tmp_path_factory.mktemp("demo-ca")
    ca.demo_ca(directory)
    return directory


@pytest.fixture
def signing_demo_ca(settings, demo_ca_dir):
    """Sign with the session's demo CA and trust its root."""
    from reporting.signing import ca

    settings.SIGNING_CA_DIR = demo_ca_dir
    settings.SIGNING_TRUST_ROOTS = [str(demo_ca_dir / ca.ROOT_CERT)]
    return demo_ca_dir


@pytest.fixture(scope="session")
def outside_ca(tmp_path_factory):
    """A certification authority nobody trusts."""
    from reporting.signing import ca

    return ca.demo_ca(tmp_path_factory.mktemp("outside-ca"))


# --- the registry and its people --------------------------------------------------------------


@pytest.fixture
def registry(db) -> Registry:
    return Registry.build()


@pytest.fixture
def personas(registry) -> Personas:
    return Personas.build(registry)


@pytest.fixture
def cycle(db):
    return CycleFactory(code="2025", year=2025, edition="2023")


@pytest.fixture
def scores_cycle(db):
    """The current 2025 cycle, made straight in the table (the scores' and the demo's tests)."""
    from assessments.models import Cycle

    return Cycle.objects.create(code="2025", year=2025, edition="2023", is_current=True)


@pytest.fixture
def current_cycle(personas, clock):
    """The 2025 cycle made the current one through the services (its schedule from the calendar),
    at the frozen clock's default day."""
    from assessments.registry.services.cycles import cycle_create, cycle_set_current

    cycle = cycle_create(actor=None, code="2025", year=2025, edition="2023")
    cycle_set_current(actor=None, cycle=cycle)
    return cycle


@pytest.fixture
def root(client):
    """A superuser, logged in through ``client`` (the admin's tests)."""
    from tests.worlds.factories import UserFactory

    user = UserFactory(username="root-admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


# --- submission: the register, the deadline, the assessors ------------------------------------


@pytest.fixture
def services_register(db):
    from assessments.models import PublicService

    return {
        "monitored": PublicService.objects.create(code="00101001", name_ru="Регистрация",
                                                  name_kk="Тіркеу", monitored=True),
        "monitored2": PublicService.objects.create(code="00201002", name_ru="Справка",
                                                   name_kk="Анықтама", monitored=True),
        "own": PublicService.objects.create(code="00601006", name_ru="Учёт нуждающихся",
                                            name_kk="Есепке қою", monitored=False),
    }


@pytest.fixture
def schedule(cycle):
    """The submission deadline of the 2025 cycle: 20 January 2026 (a Tuesday)."""
    from datetime import date

    from assessments.models import Milestone
    from tests.worlds.factories import MilestoneFactory

    return MilestoneFactory(cycle=cycle, code=Milestone.Code.SUBMISSION, due_on=date(2026, 1, 20))


@pytest.fixture
def assigned(personas, cycle):
    """Assessors assigned to the ministry and the akimat on their directions."""
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    r = personas.registry
    for assessor, direction, bodies in (
        (personas.assessor, "services", (r.ministry, r.akimat)),
        (personas.assessor_other_direction, "openness", (r.ministry, r.akimat)),
        (personas.committee_assessor, "complaints", (r.ministry, r.akimat)),
        (personas.digital_assessor, "automation", (r.ministry,)),
    ):
        for body in bodies:
            AssessorAssignment.objects.create(cycle=cycle, body=body, direction=direction,
                                              assessor=assessor, assigned_at=clock.now())
    return personas


# --- conclusions and appeals ------------------------------------------------------------------


@pytest.fixture
def world(db, clock):
    from tests.worlds.conclusions import build_world

    return build_world()


@pytest.fixture
def signing_world(world):
    world.credentials()
    return world


@pytest.fixture
def aw(db, clock):
    from tests.worlds.appeals import build_appeal_world

    return build_appeal_world()


# --- re-verification --------------------------------------------------------------------------


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


@pytest.fixture(scope="session")
def clean_pdf():
    from tests.worlds.reverification import pdf_bytes

    return pdf_bytes()


@pytest.fixture(scope="session")
def stamped_pdf():
    from tests.worlds.reverification import pdf_bytes

    return pdf_bytes("Для служебного пользования. Отчёт о проверках")


@pytest.fixture
def selected(personas, cycle2025):
    """The ministry picked for re-verification on services by the Agency's assessor."""
    from assessments.reverification.services import reverification_select

    return reverification_select(
        actor=personas.assessor, cycle=cycle2025, body=personas.registry.ministry,
        direction="services", evaluator=personas.registry.agency, reason="",
    )
