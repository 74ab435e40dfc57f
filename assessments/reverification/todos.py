"""Home-page to-dos of re-verification (p.14–19):

* documents requested → the body's staff (due: the earliest open request's date);
* documents received → the assessors working on the direction (due: the schedule's end of
  re-verification);
* an act to sign → the evaluating body's people, then the body's head, each at their turn (the
  body's head: due on the body's term);
* an act waiting for the body → the evaluating body's people, with the body's term; once it
  passed, "close the act without the body's signature".

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
    """Acts whose next signature is the user's: the evaluator's people while no one signed (due:
    the schedule's end of re-verification), the body's head after the evaluator signed (due: the
    body's term, p.19–20)."""
    if cycle is None or not (p.evaluator_scopes or p.has_role(Role.BODY_HEAD)):
        return []
    from reporting.models import SignedDocument

    pending = ReconciliationAct.objects.filter(
        reverification__cycle=cycle, reverification__state=Reverification.State.ACT_ISSUED,
        superseded_at__isnull=True,
    )
    todos = []
    if p.evaluator_scopes:
        count = pending.filter(
            _evaluator_q(p, "reverification__"),
            signed_document__state=SignedDocument.State.FROZEN,
        ).count()
        if count:
            todos.append(Todo(title=_("Подписать акт сверки"), url=_list_url(to_sign=1),
                              count=count, due_on=milestone_due(cycle, "reverification")))
    head_ids = sorted(p.org_ids(Role.BODY_HEAD))
    if head_ids:
        row = pending.filter(
            reverification__body_id__in=head_ids,
            signed_document__state=SignedDocument.State.PARTIALLY_SIGNED,
        ).aggregate(count=Count("pk"), due=Min("body_sign_due_on"))
        if row["count"]:
            todos.append(Todo(title=_("Подписать акт сверки или внести замечания"),
                              url=_list_url(to_sign=1), count=row["count"], due_on=row["due"]))
    return todos


@todo_provider
def _acts_awaiting_body(p: Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The evaluating body's people see the body's term of each act waiting for the body: still
    running (due: the earliest term), or passed (close the act as not signed by the body)."""
    if cycle is None or not p.roles & {Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD, Role.SIGNATORY}:
        return []
    from reporting.models import SignedDocument

    waiting = ReconciliationAct.objects.filter(
        _evaluator_q(p, "reverification__"),
        reverification__cycle=cycle, reverification__state=Reverification.State.ACT_ISSUED,
        superseded_at__isnull=True, body_sign_due_on__isnull=False,
        signed_document__state=SignedDocument.State.PARTIALLY_SIGNED,
    )
    running = waiting.filter(body_sign_due_on__gte=today).aggregate(
        count=Count("pk"), due=Min("body_sign_due_on"))
    passed = waiting.filter(body_sign_due_on__lt=today).aggregate(
        count=Count("pk"), due=Min("body_sign_due_on"))
    todos = []
    if running["count"]:
        todos.append(Todo(title=_("Акт сверки ожидает подписи органа (срок органа)"),
                          url=_list_url(state=Reverification.State.ACT_ISSUED),
                          count=running["count"], due_on=running["due"]))
    if passed["count"]:
        todos.append(Todo(title=_("Закрыть акт сверки без подписи органа: срок истёк"),
                          url=_list_url(state=Reverification.State.ACT_ISSUED),
                          count=passed["count"], due_on=passed["due"]))
    return todos
