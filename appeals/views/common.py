"""What the appeal pages share: the objection through ``access`` (404 for outsiders), its
sitting and commission, the actions the service offers, dates as the pages print them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import formats

from appeals import services as svc
from appeals.models import Objection, SpecialCommission
from assessments.kernel import access


def _date(day: date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _objections(user, cycle):
    """The filed objections ``user`` sees (a table not filed shows on its conclusion's row)."""
    qs = (access.visible(user, Objection).lodged()
          .select_related("body", "evaluator", "conclusion"))
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return list(qs.order_by("decision_due", "pk"))


def _objection(request, pk: int) -> Objection:
    return access.get_visible_or_404(
        request.user,
        Objection.objects.select_related("cycle", "body", "evaluator", "conclusion", "filed_by",
                                         "correction", "table_document", "filed_document",
                                         "filed_signed_document"),
        pk=pk,
    )


def _sitting(objection: Objection):
    from appeals.models import Sitting

    return Sitting.objects.filter(objection=objection).select_related("commission").first()


def _commission(objection: Objection) -> SpecialCommission | None:
    return SpecialCommission.objects.filter(
        cycle=objection.cycle_id, evaluator=objection.evaluator_id
    ).select_related("chair", "secretary").first()


def _require_action(request, objection: Objection, action: str) -> frozenset[str]:
    actions = svc.objection_actions(request.user, objection)
    if action not in actions:
        # Not yet possible: say when it will be (shown on the 403 page).
        raise PermissionDenied(svc.objection_action_waits(request.user, objection).get(action, ""))
    return actions
