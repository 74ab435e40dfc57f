import pytest

from assessments.models import Milestone, PublicService
from tests.factories import MilestoneFactory


@pytest.fixture
def services_register(db):
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


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """These tests call the services; the tasks they queue run in-process even where Redis is
    configured (the real worker is exercised by tests/config/test_celery_worker.py)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _default_language_after():
    """A request in Kazakh or English leaves its language active in the thread; the next test
    (its services translate notes and source labels) starts in the default language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
