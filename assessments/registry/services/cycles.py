"""The assessment cycle and its schedule (График, p.4): create, make current, edit milestones.

The schedule is approved by the Presidential Administration (p.4); the Agency's coordinator keeps
it in the system. Every change of a date is audited with its reason, and every page that depends
on a date reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import audit_record, changes_between, snapshot
from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock
from assessments.models import Cycle, Direction, Milestone


@dataclass(frozen=True)
class MilestoneSpec:
    code: str
    name_ru: str
    name_kk: str
    month: int
    day: int
    direction: str = ""
    note: str = ""


# A typical schedule, in the year after the reporting period; the coordinator edits the dates.
# Each date is moved to the next working day if it falls on a day off.
DEFAULT_SCHEDULE: tuple[MilestoneSpec, ...] = (
    MilestoneSpec(
        Milestone.Code.SUBMISSION,
        "Представление отчётной информации оцениваемыми органами",
        "Бағаланатын органдардың есептік ақпаратты ұсынуы",
        1,
        20,
    ),
    MilestoneSpec(
        Milestone.Code.MONITORING_DATA,
        "Передача Министерством данных ИС «Мониторинг» в Агентство (п.39)",
        "Министрліктің «Мониторинг» АЖ деректерін Агенттікке беруі (39-т.)",
        2,
        15,
    ),
    MilestoneSpec(
        Milestone.Code.REVERIFICATION,
        "Завершение перепроверки отчётной информации",
        "Есептік ақпаратты қайта тексеруді аяқтау",
        2,
        27,
    ),
    MilestoneSpec(
        Milestone.Code.AUTOMATION_CONCLUSION,
        "Направление в Агентство заключений по автоматизации (прил. 5)",
        "Автоматтандыру бойынша қорытындыларды Агенттікке жіберу (5-қосымша)",
        3,
        6,
        Direction.AUTOMATION,
    ),
    MilestoneSpec(
        Milestone.Code.CONCLUSIONS,
        "Направление заключений оцениваемым органам",
        "Қорытындыларды бағаланатын органдарға жіберу",
        3,
        19,
    ),
    MilestoneSpec(
        Milestone.Code.APPEALS,
        "Завершение рассмотрения возражений",
        "Қарсылықтарды қарауды аяқтау",
        4,
        17,
    ),
    MilestoneSpec(
        Milestone.Code.BLOCK_CONCLUSIONS,
        "Заключения по блоку (прил. 15)",
        "Блок бойынша қорытындылар (15-қосымша)",
        5,
        15,
    ),
)


def _require(actor, action_name: str, obj) -> None:
    if actor is not None:
        access.require(actor, action_name, obj)


@transaction.atomic
def cycle_create(
    *,
    actor,
    code: str,
    year: int,
    edition: str,
    title: str = "",
    schedule: tuple[MilestoneSpec, ...] | None = DEFAULT_SCHEDULE,
    reason: str = "",
) -> Cycle:
    """A new cycle for reporting ``year`` scored by ``edition``, with its schedule."""
    if actor is not None and not (
        access.principal(actor).is_admin or access.principal(actor).is_coordinator
    ):
        raise PermissionDenied
    cycle = Cycle(code=code, year=year, edition=edition, title=title)
    cycle.full_clean()
    cycle.save()
    audit_record(
        actor=actor,
        obj=cycle,
        action="create",
        changes={"year": (None, year), "edition": (None, edition)},
        reason=reason,
    )
    for spec in schedule or ():
        due_on = calendar.next_working_day(date(year + 1, spec.month, spec.day))
        milestone_add(
            actor=None,
            cycle=cycle,
            code=spec.code,
            name_ru=spec.name_ru,
            name_kk=spec.name_kk,
            due_on=due_on,
            direction=spec.direction,
            note=spec.note,
        )
    return cycle


@transaction.atomic
def cycle_set_current(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """Make ``cycle`` the current one (the one pages show by default)."""
    _require(actor, "edit_schedule", cycle)
    previous = Cycle.objects.select_for_update().filter(is_current=True).exclude(pk=cycle.pk)
    for other in previous:
        other.is_current = False
        other.save(update_fields=["is_current"])
        audit_record(
            actor=actor,
            obj=other,
            action="update",
            changes={"is_current": (True, False)},
            reason=reason,
        )
    if not cycle.is_current:
        cycle.is_current = True
        cycle.save(update_fields=["is_current"])
        audit_record(
            actor=actor,
            obj=cycle,
            action="update",
            changes={"is_current": (False, True)},
            reason=reason,
        )
    return cycle


@transaction.atomic
def milestone_add(
    *,
    actor,
    cycle: Cycle,
    code: str,
    name_ru: str,
    name_kk: str,
    due_on: date,
    direction: str = "",
    note: str = "",
    reason: str = "",
) -> Milestone:
    """Add a milestone to the cycle's schedule."""
    _require(actor, "edit_schedule", cycle)
    if (
        code != Milestone.Code.OTHER
        and Milestone.objects.filter(cycle=cycle, code=code, direction=direction).exists()
    ):
        raise DomainError(_("Такой этап в графике уже есть."))
    milestone = Milestone(
        cycle=cycle,
        code=code,
        name_ru=name_ru,
        name_kk=name_kk,
        due_on=due_on,
        direction=direction,
        note=note,
        updated_by=actor,
    )
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        obj=milestone,
        action="create",
        changes={"due_on": (None, due_on)},
        reason=reason,
    )
    return milestone


MILESTONE_EDITABLE = ("due_on", "name_ru", "name_kk", "note")


@transaction.atomic
def milestone_change(*, actor, milestone: Milestone, reason: str, **changes) -> Milestone:
    """Change a milestone's date (or names, note); the reason is required and recorded."""
    _require(actor, "change", milestone)
    unknown = set(changes) - set(MILESTONE_EDITABLE)
    if unknown:
        raise DomainError(_("Эти поля не изменяются: %(fields)s.") % {"fields": ", ".join(unknown)})
    if not (reason or "").strip():
        raise DomainError(_("Укажите основание изменения графика."))
    milestone = lock(milestone)
    before = snapshot(milestone, changes)
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    diff = changes_between(before, milestone, changes)
    if diff:
        milestone.updated_by = actor
        milestone.save()
        audit_record(actor=actor, obj=milestone, action="update", changes=diff, reason=reason)
    return milestone


def current_cycle() -> Cycle | None:
    """The cycle marked current, else the latest one."""
    return Cycle.objects.filter(is_current=True).first() or Cycle.objects.order_by("-year").first()


def milestone_due(cycle: Cycle, code: str, direction: str = "") -> date | None:
    """The date of a schedule milestone (a direction's own, else the cycle-wide one)."""
    rows = dict(
        Milestone.objects.filter(cycle=cycle, code=code, direction__in=[direction, ""]).values_list(
            "direction", "due_on"
        )
    )
    return rows.get(direction) or rows.get("")


@dataclass(frozen=True)
class ScheduleRow:
    milestone: Milestone
    days_left: int
    working_days_left: int

    @property
    def is_past(self) -> bool:
        return self.days_left < 0

    @property
    def is_today(self) -> bool:
        return self.days_left == 0


def cycle_milestones(
    cycle: Cycle, *, today: date | None = None, upcoming_only: bool = False,
    limit: int | None = None,
) -> list[Milestone]:
    """The cycle's milestones in date order (one query)."""
    today = today or clock.today()
    milestones = Milestone.objects.filter(cycle=cycle).order_by("due_on", "code")
    if upcoming_only:
        milestones = milestones.filter(due_on__gte=today)
    if limit:
        milestones = milestones[:limit]
    return list(milestones)


def schedule_rows(milestones: list[Milestone], *, today: date,
                  window: calendar.Window | None = None) -> list[ScheduleRow]:
    """The milestones with calendar and working days left; the working days from ``window``
    (one overrides query for all of them: a window up to the last milestone is made when none
    is given)."""
    if window is None:
        window = calendar.Window(today, max([today] + [m.due_on for m in milestones]))
    return [
        ScheduleRow(
            milestone=m,
            days_left=(m.due_on - today).days,
            working_days_left=(
                window.working_days_between(today, m.due_on) if m.due_on > today else 0
            ),
        )
        for m in milestones
    ]


def cycle_schedule(
    cycle: Cycle,
    *,
    today: date | None = None,
    upcoming_only: bool = False,
    limit: int | None = None,
) -> list[ScheduleRow]:
    """The cycle's milestones with calendar and working days left (two queries: the
    milestones, the overrides over their dates)."""
    today = today or clock.today()
    milestones = cycle_milestones(cycle, today=today, upcoming_only=upcoming_only, limit=limit)
    return schedule_rows(milestones, today=today)
