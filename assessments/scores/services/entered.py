"""Numbers no source holds, entered by the evaluating body's assessor with their source (p.18).

When a report was closed as not submitted, or an accepted report lacks the section a number comes
from, the assessment goes on from what the system holds; a number that only the report would
give is never a silent zero: the assembly lists it (``Assembled.missing``), the scoring-input
page shows it, and the assessor (or the unit head) of the direction enters it here with its
source ("ИС «Единый учёт обращений», выгрузка Комитета от …"). The assembly then takes it — only
while no report or import gives that path.

    missing_inputs(*, cycle, body) -> list[MissingInput]
    entered_input_set(*, actor, cycle, body, path, value, source) -> EnteredInput
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.models import Cycle, Direction, EnteredInput, Organisation, Role

ENTER_ROLES = (Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD)


@dataclass(frozen=True)
class MissingInput:
    path: str
    direction: str  # the evaluating direction whose people enter it
    label: str


def input_direction(path: str) -> str:
    """Who enters a path: automation's numbers are the digital ministry's (annex 5)."""
    if path.startswith("services.automation."):
        return Direction.AUTOMATION
    return path.split(".", 1)[0]


def missing_inputs(*, cycle: Cycle, body: Organisation) -> list[MissingInput]:
    """The inputs of the body's assessment that no source holds, in the reader's language: what
    the assembly cannot give (``Assembled.missing``) and the stored input does not hold from
    another source."""
    from assessments.scores import selectors
    from assessments.scores.services.assembly import scoring_values
    from assessments.submission.services.reports import body_kind

    labels = selectors.path_labels(body_kind(body), cycle.edition)
    held = _held_elsewhere(cycle, body)
    result = []
    for path in scoring_values(cycle=cycle, body=body).missing:
        if path in held:
            continue
        base = path.rsplit(".", 1)[0] if path.endswith((".kk", ".ru")) else path
        label = labels.get(path) or labels.get(base) or path
        if base != path:
            label = f"{label} ({path.rsplit('.', 1)[1]})"
        result.append(MissingInput(path, input_direction(path), str(label)))
    return result


def _held_elsewhere(cycle: Cycle, body: Organisation) -> set[str]:
    """Paths the body's stored input holds from a source other than a report (an administrator's
    case, a commission's decision …): such a number is not missing, whatever the reports say."""
    from assessments.scores.services.scoring_inputs import (
        flatten,
        full_case,
        scoring_input_current,
        source_of,
    )

    si = scoring_input_current(cycle=cycle, body=body)
    if si is None:
        return set()
    held = set()
    for path in flatten(full_case(si)):
        source = source_of(si.sources or {}, path) or {}
        if source.get("kind") not in (None, "report"):
            held.add(path)
    return held


def can_enter(user, body: Organisation, direction: str) -> bool:
    p = access.principal(user)
    if p.is_admin:
        return True
    return access.evaluates(user, body, direction) and any(
        p.has_role(role, direction=direction) for role in ENTER_ROLES)


@transaction.atomic
def entered_input_set(*, actor, cycle: Cycle, body: Organisation, path: str, value,
                      source: str) -> EnteredInput:
    """Enter (or correct) a number no source holds, with its source; the body's scoring input is
    assembled again. Refused for a path a report or an import gives, for a value that is not a
    whole number ≥ 0, without a source, or for someone who does not evaluate the body on the
    path's direction."""
    from assessments.submission.services.reports import schedule_assembly

    direction = input_direction(path)
    if not can_enter(actor, body, direction):
        raise PermissionDenied
    Organisation.objects.select_for_update().filter(pk=body.pk).first()
    existing = EnteredInput.objects.filter(cycle=cycle, body=body, path=path).first()
    if existing is None and path not in {m.path for m in missing_inputs(cycle=cycle, body=body)}:
        raise DomainError(_("Это значение даёт отчёт или импорт: вносить его вручную не нужно."),
                          code="not_missing")
    source = (source or "").strip()
    if not source:
        raise DomainError(_("Укажите источник значения."), code="source")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise DomainError(_("Введите целое неотрицательное число."), code="value")
    before = existing.value if existing else None
    item, _created = EnteredInput.objects.update_or_create(
        cycle=cycle, body=body, path=path,
        defaults={"value": number, "source": source[:500], "entered_by": actor,
                  "entered_at": clock.now()},
    )
    audit_record(actor=actor, obj=body, action="entered_input",
                 changes={path: (before, number)}, reason=source)
    schedule_assembly(cycle.pk, body.pk)
    return item
