"""What a signatory approves is right and current (issue 13, item 7): drafting waits for the
report, review waits for the text, approval and signature wait for the current scores — each
refusal with its reason on the conclusion's page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments.conclusions import services as svc
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Report
from assessments.scoring.samples import perfect_case
from tests.worlds.conclusion_steps import approved, draft, fresh, logs, submitted, written
from tests.worlds.conclusions import PASSPHRASE, org, reports_accepted


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rescore(w, body, *, late: int) -> None:
    """The body's stored scores change after drafting (a later import, a decision): a new
    scoring input version, scored (the world's bodies have 30 late services of 1000: T1 = 0;
    none gives T1 = 12, one gives T1 = 2)."""
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body

    case = perfect_case(body.kind)
    case["body"] = {"kind": body.kind, "special": []}
    case["services"]["late"] = late
    scoring_input_load_case(cycle=w.cycle, body=body, case=case, actor=None,
                            reason="Импорт ИС «Мониторинг» после формирования заключения")
    score_body(cycle=w.cycle, body=body)


def page(client, user, c) -> str:
    client.force_login(user)
    response = client.get(reverse("conclusions:conclusion_detail", args=[c.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Drafting waits for an accepted (or closed) report ---------------------------------------


def _scored_body(w, name: str):
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body

    body = org(name)
    case = perfect_case("central")
    case["body"] = {"kind": "central", "special": []}
    scoring_input_load_case(cycle=w.cycle, body=body, case=case, actor=None, reason="test")
    score_body(cycle=w.cycle, body=body)
    # Only assessors assigned to the body write its drafts (issue 16).
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    for assessor, direction in ((w.assessor, "services"), (w.committee_assessor, "complaints")):
        AssessorAssignment.objects.create(cycle=w.cycle, body=body, direction=direction,
                                          assessor=assessor, assigned_at=clock.now())
    return body


def test_drafting_is_refused_until_the_directions_report_is_accepted(world, client):
    w = world
    body = _scored_body(w, "Министерство юстиции")
    with pytest.raises(DomainError, match="не поступил") as refused:
        svc.conclusion_draft(cycle=w.cycle, body=body, direction="services", actor=w.assessor)
    assert refused.value.code == "report_not_settled"
    report = Report.objects.create(cycle=w.cycle, body=body, direction="services",
                                   state=Report.State.UNDER_REVIEW)
    with pytest.raises(DomainError, match="«На рассмотрении»"):
        svc.conclusion_draft(cycle=w.cycle, body=body, direction="services", actor=w.assessor)
    assert not Conclusion.objects.filter(body=body).exists()
    # The page's "draft" button says why (the assessor's assignment to this body).
    from assessments.models import AssessorAssignment

    assignment = AssessorAssignment.objects.get(cycle=w.cycle, body=body, direction="services",
                                                assessor=w.assessor)
    client.force_login(w.assessor)
    listing = client.get(reverse("conclusions:conclusion_list")).content.decode()
    assert f'data-testid="draft-waits-{body.pk}-services"' in listing
    assert "«На рассмотрении»" in listing
    response = client.post(reverse("conclusions:conclusion_create"),
                           {"assignment": assignment.pk}, follow=True)
    assert "«На рассмотрении»" in response.content.decode()
    assert not Conclusion.objects.filter(body=body).exists()
    # Another direction's accepted report does not open this one.
    reports_accepted(w.cycle, body, ["openness"])
    with pytest.raises(DomainError, match="«На рассмотрении»"):
        svc.conclusion_draft(cycle=w.cycle, body=body, direction="services", actor=w.assessor)
    Report.objects.filter(pk=report.pk).delete()
    reports_accepted(w.cycle, body, ["services"])
    c = svc.conclusion_draft(cycle=w.cycle, body=body, direction="services", actor=w.assessor)
    assert c.state == "draft"


def test_a_submission_closed_as_not_submitted_lets_the_conclusion_be_drafted(world):
    """The evaluating body's closure of a submission ("не представлен") counts like an
    acceptance: the assessment goes on from what the system holds."""
    w = world
    body = _scored_body(w, "Министерство энергетики")
    Report.objects.create(cycle=w.cycle, body=body, direction="complaints",
                          state="not_submitted")
    c = svc.conclusion_draft(cycle=w.cycle, body=body, direction="complaints",
                             actor=w.committee_assessor)
    assert (c.state, c.annex) == ("draft", 12)


# --- Review waits for the text -----------------------------------------------------------------


def test_review_is_refused_without_the_analysis_and_the_recommendations(world):
    w = world
    c = draft(w, w.ministry, "services")
    with pytest.raises(DomainError, match="Заполните анализ по критериям: K1, K2, K3") as refused:
        svc.conclusion_submit(conclusion=c, actor=w.assessor)
    assert refused.value.code == "incomplete"
    c = svc.conclusion_update(conclusion=c, actor=w.assessor,
                              analysis={"K1": "Высокая.", "K2": "  ", "K3": "Полная."},
                              recommendations="Выводы.", revision=c.revision)
    with pytest.raises(DomainError, match="Заполните анализ по критериям: K2"):
        svc.conclusion_submit(conclusion=c, actor=w.assessor)
    c = svc.conclusion_update(conclusion=c, actor=w.assessor,
                              analysis={"K2": "Нарушения сроков."}, recommendations="",
                              revision=c.revision)
    with pytest.raises(DomainError, match="Выводы и рекомендации"):
        svc.conclusion_submit(conclusion=c, actor=w.assessor)
    assert fresh(c).state == "draft" and logs(c) == []


# --- Approval and signature wait for the current scores ------------------------------------------


def test_approval_is_refused_with_changed_scores_and_the_page_says_why(world, client):
    w = world
    c = submitted(w, draft(w, w.ministry, "services"))
    drafted_final = c.values["final"]
    rescore(w, w.ministry, late=0)
    with pytest.raises(DomainError, match="Баллы органа изменились") as refused:
        svc.conclusion_approve(conclusion=c, actor=w.unit_head)
    assert refused.value.code == "stale_scores"
    assert "T1" in refused.value.message and "final" in refused.value.message
    assert fresh(c).state == "in_review"

    html = page(client, w.unit_head, c)
    assert 'data-testid="stale-scores"' in html and "Баллы органа изменились" in html
    assert 'data-testid="action-approve"' not in html
    assert 'data-testid="action-redraft"' in html
    # The confirmation page refuses the approval too (the button is gone, the URL answers 403).
    client.force_login(w.unit_head)
    assert client.post(reverse("conclusions:conclusion_approve", args=[c.pk])).status_code == 403

    response = client.post(reverse("conclusions:conclusion_redraft", args=[c.pk]))
    assert response.status_code == 302
    c = fresh(c)
    assert c.state == "draft" and c.values["final"] != drafted_final
    assert c.analysis["K1"]  # the text is kept for the assessor to revise
    assert svc.stale_scores_reason(c) == ""
    c = svc.conclusion_approve(conclusion=svc.conclusion_submit(conclusion=c, actor=w.assessor),
                               actor=w.unit_head)
    assert c.state == "approved"
    assert "stale-scores" not in page(client, w.unit_head, c)


def test_signature_is_refused_with_changed_scores_until_redrafted(signing_world, client):
    w = signing_world
    c = approved(w, draft(w, w.akimat, "openness"))  # annex 8: the head of MIOD signs alone
    rescore(w, w.akimat, late=0)  # services changed: the openness conclusion is current
    assert svc.stale_scores_reason(c) == ""
    services = approved(w, draft(w, w.akimat, "services"))  # annex 4
    c = svc.conclusion_sign(conclusion=c, user=w.miod_head, passphrase=PASSPHRASE)
    assert c.state == "signed"

    rescore(w, w.akimat, late=1)
    with pytest.raises(DomainError, match="Баллы органа изменились") as refused:
        svc.conclusion_sign(conclusion=services, user=w.deputy, passphrase=PASSPHRASE)
    assert refused.value.code == "stale_scores"
    services = fresh(services)
    assert services.state == "approved" and services.signed_document is None

    html = page(client, w.deputy, services)
    assert "Баллы органа изменились" in html and 'data-testid="action-sign"' not in html
    client.force_login(w.deputy)
    response = client.get(reverse("conclusions:conclusion_sign", args=[services.pk]))
    assert response.status_code == 403 and "Баллы органа изменились" in response.content.decode()
    queue = client.get(reverse("conclusions:conclusion_signing_queue")).content.decode()
    assert f'data-testid="sign-{services.pk}"' not in queue
    assert "Баллы органа изменились" in queue

    # Redrafted by the head of the unit: back to draft, reviewed and signed again.
    with pytest.raises(PermissionDenied):  # an approved one: the head of the unit's
        svc.conclusion_redraft(conclusion=services, actor=w.assessor)
    services = svc.conclusion_redraft(conclusion=services, actor=w.unit_head)
    assert services.state == "draft"
    assert [log.description for log in logs(services)][-1].startswith("Пересформировано")
    services = approved(w, services)
    for user in (w.deputy, w.unit_head):
        services = svc.conclusion_sign(conclusion=services, user=user, passphrase=PASSPHRASE)
    assert services.state == "signed"


def test_scores_changed_between_two_signatures_stop_the_second(signing_world):
    w = signing_world
    c = approved(w, draft(w, w.akimat, "services"))
    c = svc.conclusion_sign(conclusion=c, user=w.deputy, passphrase=PASSPHRASE)
    rescore(w, w.akimat, late=0)
    with pytest.raises(DomainError, match="Баллы органа изменились"):
        svc.conclusion_sign(conclusion=c, user=w.unit_head, passphrase=PASSPHRASE)
    assert fresh(c).state == "approved"
    c = svc.conclusion_redraft(conclusion=c, actor=w.unit_head)
    assert (c.state, c.signed_document_id, c.rendered_document_id) == ("draft", None, None)


def test_redraft_refused_while_the_scores_are_current(world):
    w = world
    c = written(w, draft(w, w.ministry, "complaints"))
    with pytest.raises(DomainError, match="пересформировывать нечего"):
        svc.conclusion_redraft(conclusion=c, actor=w.committee_assessor)
