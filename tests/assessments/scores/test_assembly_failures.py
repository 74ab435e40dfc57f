"""An assembly the engine refuses (here: inspection violations above the services rendered) is
not silent: nothing is stored, the refusal is recorded and shown on the body's scoring-input
page in the reader's language, the body's assessors are notified once, and the next good
assembly clears it."""

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import Notification
from assessments.scores.services.assembly import assembly_failure, scoring_input_assemble
from assessments.scores.services.scoring_inputs import scoring_input_current
from tests.worlds.submission_steps import INSPECTIONS_HEADER, accept, load

# As in tests/assessments/submission/: queued tasks run in this process, the default language
# active again after each test.
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("tasks_in_process", "default_language_after")]



def test_engine_refusal_is_recorded_shown_translated_notified_and_cleared(
        clock, assigned, cycle, schedule, services_register, client,
        django_capture_on_commit_callbacks):
    p, r = assigned, assigned.registry
    body, cap = r.akimat, django_capture_on_commit_callbacks
    rows = [{"service": "00601006", "basis": "own_records", "rendered": 10, "late": 0,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0}]
    with cap(execute=True):
        accept(p, cycle, body, "services", p.local_head, p.assessor,
               override={"services": {"rows": rows}})
    first = scoring_input_current(cycle=cycle, body=body)
    assert first is not None and first.case["services"]["late"] == 0
    assert assembly_failure(cycle=cycle, body=body) is None
    before = Notification.objects.filter(user=p.assessor).count()
    # 50 late cases found by an inspection of a service the body says it rendered 10 times
    load(p.assessor, cycle, "inspections", [
        INSPECTIONS_HEADER, ["П-1", body.bin, "00601006", "2025-09-30", 50, 0, 0, 0]], cap)
    assert scoring_input_current(cycle=cycle, body=body).pk == first.pk  # nothing stored
    failure = assembly_failure(cycle=cycle, body=body)
    assert failure is not None and failure.result["path"] == "services.late"
    notes = Notification.objects.filter(user=p.assessor).order_by("-id")
    assert notes.count() == before + 1
    assert "services.late" in notes[0].text
    assert notes[0].link == reverse("scores:scoring_input_page", args=[cycle.code, body.pk])
    # the openness assessor is not concerned by a services failure
    assert not Notification.objects.filter(user=p.assessor_other_direction,
                                           text__contains="services.late").exists()
    # the same refusal again (another run) does not notify again
    with cap(execute=True):
        assert scoring_input_assemble(cycle=cycle, body=body) is None
    assert Notification.objects.filter(user=p.assessor).count() == before + 1
    # the page shows it in the reader's language
    client.force_login(p.assessor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = client.get(reverse("scores:scoring_input_page", args=[cycle.code,
                                                                 body.pk])).content.decode()
    assert 'data-testid="assembly-failure"' in html
    assert "Мән рұқсат етілгеннен үлкен." in html  # "the value is larger than allowed"
    assert "Мерзімі бұзылып көрсетілген қызметтер (a)" in html  # the field's label
    assert "services.late" in html
    # the inspection corrected: the next assembly stores and clears the failure
    load(p.assessor, cycle, "inspections", [
        INSPECTIONS_HEADER, ["П-1", body.bin, "00601006", "2025-09-30", 5, 0, 0, 0]], cap)
    current = scoring_input_current(cycle=cycle, body=body)
    assert current.pk != first.pk and current.case["services"]["late"] == 5
    assert assembly_failure(cycle=cycle, body=body) is None
    html = client.get(reverse("scores:scoring_input_page", args=[cycle.code,
                                                                 body.pk])).content.decode()
    assert 'data-testid="assembly-failure"' not in html
