"""What the appeal procedures share: the states and the slots' positions, links, the people an
objection concerns (``kernel.people``), the row lock / permission / state refusal with the
appeals' messages (``kernel.transitions``), and the check of a row's proposed value against the
scoring input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from appeals.models import AppealDirection, Objection, Sitting, SpecialCommission
from assessments.kernel.errors import DomainError
from assessments.kernel.people import people
from assessments.kernel.transitions import lock, require, state_refused
from assessments.models import Conclusion, Organisation, Role
from assessments.models.people import BODY_ROLES

# The directions whose final conclusions are handed over and make up the block (p.116–122); an
# objection may also dispute the automation criterion (AppealDirection.AUTOMATION).
DIRECTIONS = (AppealDirection.SERVICES.value, AppealDirection.OPENNESS.value,
              AppealDirection.COMPLAINTS.value)
CHAIR_POSITION = "Председатель специальной комиссии"
BODY_POSITION = "Представитель оцениваемого государственного органа"
HEAD_POSITION = "Руководитель оцениваемого государственного органа"


def _date(day: date | datetime | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _link(o: Objection) -> str:
    return reverse("appeals:objection_detail", args=[o.pk])


def _conclusion_link(c: Conclusion) -> str:
    return reverse("conclusions:conclusion_detail", args=[c.pk])


def _body_staff(body_id: int) -> list:
    return people(body_id, BODY_ROLES)


def _evaluator_people(evaluator_id: int, direction: str) -> list:
    """The evaluating body's assessors and unit heads on the direction, and its signatories."""
    return people(evaluator_id, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                  direction=direction) + people(evaluator_id, [Role.SIGNATORY])


def _coordinators() -> list:
    return people(None, [Role.COORDINATOR])


def _agency() -> Organisation | None:
    return Organisation.objects.filter(evaluator_role=Organisation.EvaluatorRole.AGENCY).first()


def _commission(o: Objection) -> SpecialCommission | None:
    return SpecialCommission.objects.filter(cycle_id=o.cycle_id,
                                            evaluator_id=o.evaluator_id).first()


def _commission_people(o: Objection) -> list:
    commission = _commission(o)
    if commission is not None:
        return [commission.chair, commission.secretary]
    return people(o.evaluator_id, [Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY])


def _lock(o: Objection) -> Objection:
    return lock(o, "cycle", "body", "evaluator", "conclusion")


def _require(user, action: str, obj) -> None:
    require(user, action, obj, message=_("У вас нет права на это действие с возражениями."))


def _state_refused(o: Objection, doing: str) -> DomainError:
    return state_refused(o, doing=doing,
                         message=_("Нельзя %(doing)s: возражения в состоянии «%(state)s»."))


def _sitting(o: Objection) -> Sitting | None:
    return Sitting.objects.filter(objection=o).select_related("commission").first()


# --- A row's proposed value (filing, p.109) and applied value (the decision, p.114) ------------


class ProposedValueError(DomainError):
    """A row's proposed (or applied) value the scoring input would refuse: ``row`` is the row's
    number, ``field_message`` the translated problem to show next to the value's field."""

    def __init__(self, message: str, *, row: int, field_message: str) -> None:
        super().__init__(message, code="proposed_value")
        self.row = row
        self.field_message = field_message


def _show(value: Any) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def value_problem(conclusion: Conclusion, path: str, value: Any) -> str:
    """Why the scoring input would refuse ``value`` at ``path`` for the conclusion's body (the
    engine's schema, checked in memory against the body's current input), translated; ""
    when it would take it."""
    from assessments.scores.fields import error_text
    from assessments.scores.services.scoring_inputs import scoring_input_check
    from assessments.scoring import ScoringError

    if value is None or value == "":
        return str(_("Укажите значение."))
    try:
        scoring_input_check(cycle=conclusion.cycle, body=conclusion.body, values={path: value})
    except ScoringError as error:
        return str(_("Значение «%(value)s» не подходит для «%(path)s»: %(what)s")
                   % {"value": _show(value), "path": path, "what": error_text(error)})
    except ValueError:
        return str(_("Значение «%(value)s» не подходит для «%(path)s».")
                   % {"value": _show(value), "path": path})
    return ""
