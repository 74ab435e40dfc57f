"""Home-page to-dos of re-verification (p.14–19):

* documents requested → the body's staff (due: the earliest open request's date);
* documents received → the assessors working on the direction (due: the schedule's end of
  re-verification);
* an act to sign → the evaluating body's people, then the body's head, each at their turn.

Each provider keeps to a constant number of queries (counts and one list of pending acts).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel.access import Principal
from assessments.kernel.todos import Todo, todo_provider
from assessments.models import Cycle, DocumentRequest, ReconciliationAct, Reverification, Role
from assessments.registry.services.cycles import milestone_due
from assessments.reverification.access import _body_q, _evaluator_q


def _list_url(**params) -> str:
    url = reverse("reverification:reverification_list")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@todo_provider
def _documents_requested(p: Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    if cycle is None or not p.body_ids:
        return []
    row = DocumentRequest.objects.filter(
        _body_q(p, "reverification__"), reverification__cycle=cycle,
        state=DocumentRequest.State.OPEN,
    ).aggregate(due=Min("due_on"), count=Count("pk"))
    if not row["count"]:
        return []
    return [Todo(title=_("Представить документы по запросам перепроверки"),
                 url=_list_url(state=Reverification.State.DOCUMENTS_REQUESTED),
                 count=row["count"], due_on=row["due"])]


@todo_provider
def _documents_received(p: Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    if cycle is None or not p.roles & {Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD}:
        return []
    count = Reverification.objects.filter(
        _evaluator_q(p), cycle=cycle, state=Reverification.State.DOCUMENTS_RECEIVED
    ).count()
    if not count:
        return []
    return [Todo(title=_("Рассмотреть документы, представленные на перепроверку"),
                 url=_list_url(state=Reverification.State.DOCUMENTS_RECEIVED), count=count,
                 due_on=milestone_due(cycle, "reverification"))]


@todo_provider
def _acts_to_sign(p: Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """Acts whose next signature is the user's: the evaluator's people while no one signed, the
    body's head after the evaluator signed."""
    if cycle is None or not (p.evaluator_scopes or p.has_role(Role.BODY_HEAD)):
        return []
    from reporting.models import SignedDocument

    pending = ReconciliationAct.objects.filter(
        reverification__cycle=cycle, reverification__state=Reverification.State.ACT_ISSUED,
        superseded_at__isnull=True,
    )
    evaluator_turn = pending.filter(
        _evaluator_q(p, "reverification__"), signed_document__state=SignedDocument.State.FROZEN
    )
    head_ids = sorted(p.org_ids(Role.BODY_HEAD))
    body_turn = pending.filter(
        reverification__body_id__in=head_ids,
        signed_document__state=SignedDocument.State.PARTIALLY_SIGNED,
    ) if head_ids else pending.none()
    count = evaluator_turn.count() + (body_turn.count() if head_ids else 0)
    if not count:
        return []
    return [Todo(title=_("Подписать акт сверки"), url=_list_url(to_sign=1), count=count,
                 due_on=milestone_due(cycle, "reverification"))]

