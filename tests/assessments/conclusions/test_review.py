"""Drafting, editing and review of conclusions: each transition's new state, its log row, the
task it queues after commit, and its refusals for the wrong person and the wrong state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from assessments.conclusions import services as svc
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Conclusion, ScoreSheet
from tests.worlds.conclusion_steps import ANALYSIS, draft, fresh, logs, submitted, written
from tests.worlds.conclusions import org, reports_accepted


def test_draft_takes_the_stored_scores_and_the_annex_of_body_and_direction(world):
    w = world
    sheet = ScoreSheet.objects.get(cycle=w.cycle, body=w.ministry, direction="services",
                                   is_current=True)
    c = draft(w, w.ministry, "services")
    assert (c.state, c.version, c.annex, c.evaluator) == ("draft", 1, 3, w.agency)
    assert c.score_sheet == sheet
    assert c.values == sheet.values and c.values["final"] == str(sheet.final)
    assert set(c.analysis) == {"K1", "K2", "K3"}
    assert draft(w, w.akimat, "services").annex == 4
    automation = draft(w, w.ministry, "automation")
    assert automation.annex == 5 and automation.evaluator == w.digital
    assert set(automation.values) == {"T", "V", "C", "P", "D", "S", "K3"}
    assert automation.values["K3"] == c.values["K3"]
    assert draft(w, w.ministry, "openness").annex == 8
    assert draft(w, w.akimat, "complaints").annex == 12
    assert AuditEntry.objects.filter(action="conclusion_draft", object_id=c.pk).exists()


def test_draft_is_idempotent(world):
    first = draft(world, world.ministry, "services")
    assert draft(world, world.ministry, "services") == first
    assert Conclusion.objects.count() == 1


def test_draft_refusals(world):
    w = world
    with pytest.raises(PermissionDenied):  # another direction's assessor
        svc.conclusion_draft(cycle=w.cycle, body=w.ministry, direction="services",
                             actor=w.miod_assessor)
    with pytest.raises(PermissionDenied):
        svc.conclusion_draft(cycle=w.cycle, body=w.ministry, direction="services",
                             actor=w.submitter)
    with pytest.raises(DomainError, match="только у центральных"):
        svc.conclusion_draft(cycle=w.cycle, body=w.akimat, direction="automation",
                             actor=w.digital_assessor)
    unscored = org("Министерство юстиции")
    reports_accepted(w.cycle, unscored, ["openness"])
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    AssessorAssignment.objects.create(cycle=w.cycle, body=unscored, direction="openness",
                                      assessor=w.miod_assessor, assigned_at=clock.now())
    with pytest.raises(DomainError, match="ещё не рассчитана"):
        svc.conclusion_draft(cycle=w.cycle, body=unscored, direction="openness",
                             actor=w.miod_assessor)
    assert not Conclusion.objects.exists()


def test_block_waits_for_three_final_direction_conclusions(world):
    with pytest.raises(DomainError, match="окончательны заключения по всем трём"):
        svc.conclusion_draft(cycle=world.cycle, body=world.ministry, direction="block",
                             actor=world.assessor)


def test_recommendations_start_with_the_reverification_findings(world, monkeypatch):
    from types import SimpleNamespace

    from assessments.conclusions.services import drafting

    facts = [SimpleNamespace(kind="unreliable", description="Срок услуги завышен",
                             report_section="T1"),
             SimpleNamespace(kind="incomplete", description="Нет таблицы 2", report_section="")]
    monkeypatch.setattr(drafting, "findings_for", lambda **kw: facts)
    c = draft(world, world.ministry, "services")
    assert "перепроверки" in c.recommendations
    assert "1. Недостоверные сведения (T1): Срок услуги завышен" in c.recommendations
    assert "2. Неполные сведения: Нет таблицы 2" in c.recommendations


def test_update_saves_analysis_and_detects_a_concurrent_edit(world):
    w = world
    c = draft(w, w.ministry, "services")
    c = svc.conclusion_update(conclusion=c, actor=w.assessor, analysis={"K1": " Хорошо "},
                              recommendations="Выводы", revision=c.revision)
    assert c.analysis == {"K1": "Хорошо", "K2": "", "K3": ""} and c.revision == 2
    assert AuditEntry.objects.filter(action="conclusion_edit", object_id=c.pk).count() == 1
    with pytest.raises(DomainError, match="уже изменено") as exc:
        svc.conclusion_update(conclusion=c, actor=w.unit_head, analysis={"K1": "Чужое"},
                              recommendations="", revision=1)
    assert exc.value.code == "conflict"
    assert fresh(c).analysis["K1"] == "Хорошо"  # nothing overwritten
    with pytest.raises(PermissionDenied):
        svc.conclusion_update(conclusion=c, actor=w.deputy, analysis={}, recommendations="",
                              revision=c.revision)


def test_submit(world, django_capture_on_commit_callbacks):
    w = world
    c = written(w, draft(w, w.ministry, "services"))
    with pytest.raises(PermissionDenied):
        svc.conclusion_submit(conclusion=c, actor=w.miod_assessor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        c = svc.conclusion_submit(conclusion=c, actor=w.assessor)
    assert fresh(c).state == "in_review" and c.submitted_by == w.assessor
    (log,) = logs(c)
    assert (log.transition, log.source_state, log.state, log.by) == (
        "submit", "draft", "in_review", w.assessor)
    assert callbacks, "the reviewer's notification is queued after commit"
    assert [a for m in mail.outbox for a in m.to] == [w.unit_head.email]
    with pytest.raises(DomainError, match="На рассмотрении"):
        svc.conclusion_submit(conclusion=c, actor=w.assessor)


def test_submit_refuses_an_empty_analysis_or_recommendations(world):
    w = world
    c = draft(w, w.ministry, "services")
    with pytest.raises(DomainError, match="K1, K2, K3"):
        svc.conclusion_submit(conclusion=c, actor=w.assessor)
    c = svc.conclusion_update(conclusion=c, actor=w.assessor, analysis=ANALYSIS[3],
                              recommendations="", revision=c.revision)
    with pytest.raises(DomainError, match="Выводы и рекомендации"):
        svc.conclusion_submit(conclusion=c, actor=w.assessor)
    assert fresh(c).state == "draft"


def test_return_with_comments(world, django_capture_on_commit_callbacks):
    w = world
    c = submitted(w, draft(w, w.ministry, "services"))
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):  # the assessor does not review
        svc.conclusion_return(conclusion=c, actor=w.assessor, comments="Нет")
    with pytest.raises(DomainError, match="Укажите замечания"):
        svc.conclusion_return(conclusion=c, actor=w.unit_head, comments="  ")
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.conclusion_return(conclusion=c, actor=w.unit_head, comments="Уточните K2")
    c = fresh(c)
    assert c.state == "draft" and c.review_comments == "Уточните K2"
    log = logs(c)[-1]
    assert (log.transition, log.state, log.by, log.description) == (
        "send_back", "draft", w.unit_head, "Уточните K2")
    assert [a for m in mail.outbox for a in m.to] == [w.assessor.email]
    with pytest.raises(DomainError):
        svc.conclusion_return(conclusion=c, actor=w.unit_head, comments="Ещё")


def test_approve_locks_the_text_and_queues_the_rendering(world, django_capture_on_commit_callbacks,
                                                         monkeypatch):
    from reporting import tasks

    w = world
    c = submitted(w, draft(w, w.ministry, "services"))
    with pytest.raises(PermissionDenied):
        svc.conclusion_approve(conclusion=c, actor=w.deputy)
    queued = []
    monkeypatch.setattr(tasks.render_document, "apply_async",
                        lambda args=(), kwargs=None, **options: queued.append(*args))
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.conclusion_approve(conclusion=c, actor=w.unit_head)
    c = fresh(c)
    assert c.state == "approved" and c.approved_by == w.unit_head
    assert c.rendered_document is not None and not c.rendered_document.draft
    assert queued == [c.rendered_document.pk]
    assert logs(c)[-1].transition == "approve"
    with pytest.raises(DomainError, match="изменить"):
        svc.conclusion_update(conclusion=c, actor=w.assessor, analysis={"K1": "x"},
                              recommendations="x", revision=c.revision)
    with pytest.raises(DomainError):
        svc.conclusion_approve(conclusion=c, actor=w.unit_head)


def test_values_are_a_snapshot(world):
    w = world
    c = draft(w, w.ministry, "services")
    ScoreSheet.objects.filter(pk=c.score_sheet_id).update(final=Decimal("1.00"))
    assert fresh(c).values["final"] != "1.00"
