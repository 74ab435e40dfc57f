"""Review of a conclusion: the assessor submits, the head of the unit returns it with comments or
approves it (the final PDF rendered in the background); a preview at any state.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.conclusions.services.common import (
    _document,
    _link,
    _lock,
    _require,
    _reviewers,
    _signatories,
    _state_refused,
    _writers,
)
from assessments.conclusions.services.guard_analysis import require_text_written
from assessments.conclusions.services.guard_scores import require_current_scores
from assessments.kernel import clock
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import Conclusion, ConclusionState


def conclusion_submit(*, conclusion: Conclusion, actor) -> Conclusion:
    """draft → in_review: the assessor hands the conclusion to the head of the unit, who is
    notified. Refused while an analysis or "Выводы и рекомендации" is empty."""
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "write", c)
        if c.state != ConclusionState.DRAFT:
            raise _state_refused(c, _("направить заключение на рассмотрение"))
        require_text_written(c)
        c.submit(by=actor, description=_("Направлено на рассмотрение"))
        c.submitted_by = actor
        c.updated_at = clock.now()
        c.save()
        notify(_reviewers(c), _("Заключение ожидает рассмотрения: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_return(*, conclusion: Conclusion, actor, comments: str) -> Conclusion:
    """in_review → draft: the head of the unit returns it with comments (required); the
    assessor is notified."""
    comments = (comments or "").strip()
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "review", c)
        if c.state != ConclusionState.IN_REVIEW:
            raise _state_refused(c, _("вернуть заключение на доработку"))
        if not comments:
            raise DomainError(_("Укажите замечания: что нужно доработать."), code="comments")
        c.send_back(by=actor, description=comments)
        c.review_comments = comments
        c.updated_at = clock.now()
        c.save()
        notify([c.submitted_by] if c.submitted_by else _writers(c),
               _("Заключение возвращено на доработку: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_approve(*, conclusion: Conclusion, actor) -> Conclusion:
    """in_review → approved: the head of the unit approves; the content is locked, the final PDF
    is rendered in the background and the signatories are notified. Refused while the body's
    stored scores differ from the ones the conclusion was drafted from."""
    from assessments.kernel.leases import job_enqueue
    from reporting.tasks import render_document

    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "review", c)
        if c.state != ConclusionState.IN_REVIEW:
            raise _state_refused(c, _("согласовать заключение"))
        require_current_scores(c)
        c.approve(by=actor, description=_("Согласовано"))
        c.approved_by = actor
        c.review_comments = ""
        c.updated_at = clock.now()
        document = _document(c, draft=False, requested_by=actor, queue=False)
        c.rendered_document = document
        c.save()
        if document.state != document.State.RENDERED:
            job_enqueue(render_document, document.pk, kind="render_document",
                        subject=document, unique=True)
        notify(_signatories(c), _("Заключение ожидает подписи: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_preview(*, conclusion: Conclusion, actor, language: str = "ru"):
    """A preview PDF at any state, marked "проект" on every page; rendered in the background
    (idempotent: the same text gives the same stored file)."""
    _require(actor, "view", conclusion)
    if language not in ("ru", "kk", "en"):
        language = "ru"
    with transaction.atomic():
        return _document(conclusion, draft=True, requested_by=actor, language=language)
