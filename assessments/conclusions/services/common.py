"""What the conclusions' services share: the annexes and their criteria, the objection window's
arithmetic, the row lock / permission / state refusal with the conclusions' messages, the people
a conclusion concerns, and the conclusion's documents (p.21, p.109; annexes 3, 4, 5, 8, 12, 15).
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from assessments.kernel import calendar, clock
from assessments.kernel.errors import DomainError
from assessments.kernel.people import people
from assessments.kernel.transitions import lock, require, state_refused
from assessments.models import Conclusion, ConclusionDirection, ConclusionState, Organisation, Role
from assessments.models.conclusions import DELIVERED_STATES
from assessments.models.people import BODY_ROLES

OBJECTION_WINDOW_WORKING_DAYS = 5  # p.109, p.112

# The score-sheet row each conclusion is drafted from (K3 is part of the services sheet).
SHEET_DIRECTION = {
    ConclusionDirection.SERVICES: "services", ConclusionDirection.AUTOMATION: "services",
    ConclusionDirection.OPENNESS: "openness",
    ConclusionDirection.COMPLAINTS: "complaints",
}
# The criteria whose analysis the assessor writes, per annex (the seed's forms).
CRITERIA: dict[int, tuple[str, ...]] = {
    3: ("K1", "K2", "K3"),
    4: ("K1", "K2"),
    5: ("K3",),
    8: ("P1", "P2", "P3", "P4", "P5", "P6", "P7"),
    12: ("R1", "R2", "R3", "R4"),
    15: ("services", "openness", "complaints"),
}
# The printed values of annex 5 (the automation criterion and its indicators).
AUTOMATION_CODES = ("T", "V", "C", "P", "D", "S", "K3")
SIGNED_OR_LATER = (ConclusionState.SIGNED, *DELIVERED_STATES)


def annex_for(direction: str, body: Organisation) -> int:
    """The seed's form for ``direction`` and the body's kind (METHODOLOGY.md §7)."""
    if direction == ConclusionDirection.SERVICES:
        return 3 if body.kind == Organisation.Kind.CENTRAL else 4
    if direction == ConclusionDirection.AUTOMATION:
        if body.kind != Organisation.Kind.CENTRAL:
            raise DomainError(
                _("Критерий «Автоматизация государственных услуг» оценивается только у "
                  "центральных государственных органов.")
            )
        return 5
    return {ConclusionDirection.OPENNESS: 8, ConclusionDirection.COMPLAINTS: 12,
            ConclusionDirection.BLOCK: 15}[direction]


def _lock(conclusion: Conclusion) -> Conclusion:
    return lock(conclusion, "cycle", "body", "evaluator")


def _date(day: date | datetime | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _state_refused(c: Conclusion, doing: str) -> DomainError:
    return state_refused(c, doing=doing,
                         message=_("Нельзя %(doing)s: заключение в состоянии «%(state)s»."))


def _require(actor, action: str, c: Conclusion) -> None:
    require(actor, action, c, message=_("У вас нет права на это действие с заключением."))


def _link(c: Conclusion) -> str:
    return reverse("conclusions:conclusion_detail", args=[c.pk])


def _body_staff(c: Conclusion) -> list:
    return people(c.body_id, BODY_ROLES)


def _writers(c: Conclusion) -> list:
    return people(c.evaluator_id, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                  direction=c.work_direction)


def _reviewers(c: Conclusion) -> list:
    return people(c.evaluator_id, [Role.ASSESSOR_UNIT_HEAD], direction=c.work_direction)


def _signatories(c: Conclusion) -> list:
    """The people who may sign ``c``'s block (every holder of each slot's role)."""
    from assessments.conclusions.signing import slot_holders

    people = {}
    for _role, _position, holders in slot_holders(c):
        for user in holders:
            people[user.pk] = user
    return list(people.values())


def objection_window_closes_on(conclusion: Conclusion) -> date | None:
    """The last day of the objection window: the 5th working day after the day of receipt
    (p.109; weekends, holidays and transferred days off do not count). None where there is no
    window (annexes 5 and 15, corrected versions) or before receipt."""
    if not conclusion.has_window or conclusion.received_at is None:
        return None
    received_on = clock.aware(conclusion.received_at).date()
    return calendar.add_working_days(received_on, OBJECTION_WINDOW_WORKING_DAYS)


def window_is_open(conclusion: Conclusion, moment: datetime | None = None) -> bool:
    """Whether the window is still open: it closes at the end of its last day (Asia/Almaty)."""
    deadline = conclusion.objection_deadline
    if deadline is None:
        return False
    return (moment or clock.now()) <= clock.end_of_day(deadline)


# --- Documents --------------------------------------------------------------------------------


def document_kind(c: Conclusion) -> str:
    return f"annex{c.annex}"


def _document(c: Conclusion, *, draft: bool, requested_by, language: str = "ru",
              queue: bool = True, render_now: bool = False):
    from assessments.conclusions.documents import content_key
    from reporting.services import document_request

    key = content_key(c)  # a redrafted conclusion is rendered anew, never from the stored file
    if not draft and c.annex == 8 and c.score_sheet_id:
        # annex 10, the openness conclusion's supporting tables: its own PDF of the same version
        from assessments.conclusions.documents import annex10_request

        annex10_request(c, requested_by=requested_by, render_now=render_now)
    if queue or render_now:
        return document_request(
            kind=document_kind(c), subject=c, version=c.version, language=language, draft=draft,
            requested_by=requested_by, render_now=render_now, content_key=key,
        )
    # Only the row: the caller queues the task itself.
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    document, _created = RenderedDocument.objects.get_or_create(
        kind=document_kind(c), subject_type=ContentType.objects.get_for_model(c), subject_id=c.pk,
        version=c.version, language=language, draft=draft, content_key=key,
        defaults={"requested_by": requested_by},
    )
    return document
