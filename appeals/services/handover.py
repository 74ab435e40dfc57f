"""After the decision (p.110, p.114, p.116–122): the hand-over of final direction conclusions to
the Agency, the body's block conclusion once its three directions are final, the clock's jobs
(decision reminders and escalation, hand-over reminders), and checks of individual results.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from appeals import rules
from appeals.models import (
    LODGED_STATES,
    Handover,
    Objection,
    ObjectionState,
    ResultCheck,
    ResultCheckState,
    Sitting,
)
from appeals.services.common import (
    DIRECTIONS,
    _agency,
    _body_staff,
    _commission_people,
    _conclusion_link,
    _coordinators,
    _date,
    _evaluator_people,
    _link,
    _lock,
    _require,
)
from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.people import people
from assessments.kernel.transitions import lock
from assessments.models import Conclusion, ConclusionState, Organisation, Role

# --- Hand-over (p.116–121) and the block ------------------------------------------------------


def handover_route(conclusion: Conclusion) -> tuple[str, bool] | None:
    """``(route text, due after the sitting)`` of a final direction conclusion's hand-over to the
    Agency, or None when the Agency issued it itself (p.121: its own service conclusions feed
    the block conclusion directly)."""
    role = conclusion.evaluator.evaluator_role
    if role == Organisation.EvaluatorRole.AGENCY:
        return None
    if role == Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION:
        return (_("Администрация Президента передаёт окончательное заключение в Агентство для "
                  "формирования заключения по блоку (п.116–117)."), False)
    if role == Organisation.EvaluatorRole.PRIME_MINISTER_OFFICE:
        return (_("Канцелярия Премьер-Министра передаёт окончательное заключение в Агентство "
                  "для формирования заключения по блоку (п.118)."), False)
    if conclusion.direction == "openness":
        return (_("Окончательное заключение по направлению «Открытость государственного "
                  "органа» передаётся в Агентство в течение пяти рабочих дней после заседания "
                  "специальной комиссии (п.119)."), True)
    if conclusion.direction == "complaints":
        return (_("Окончательное заключение по направлению «Качество рассмотрения жалоб и "
                  "заявлений» передаётся в Агентство в течение пяти рабочих дней после "
                  "заседания специальной комиссии (п.120)."), True)
    return (_("Окончательное заключение передаётся в Агентство для формирования заключения по "
              "блоку (п.116–121)."), True)


def _sitting_day(conclusion: Conclusion) -> date | None:
    original = conclusion.supersedes_id or conclusion.pk
    return (Sitting.objects.filter(objection__conclusion_id=original,
                                   objection__state__in=LODGED_STATES)
            .values_list("held_on", flat=True).first())


def _handover_ensure(conclusion: Conclusion) -> Handover | None:
    """The hand-over row of a final direction conclusion (idempotent). Its due date follows the
    route (``handover_route``): the 5th working day after the commission's sitting (p.119–120);
    without a sitting (no objection), our reading: the 5th working day after the day it became
    final. The Presidential Administration's and the Prime Minister's Office's routes
    (p.116–118) state no term: no due date (no reminder, never overdue), tracked until
    recorded."""
    if conclusion.direction not in DIRECTIONS or conclusion.state != ConclusionState.FINAL:
        return None
    existing = Handover.objects.filter(conclusion=conclusion).first()
    if existing is not None:
        return existing
    route = handover_route(conclusion)
    agency = _agency()
    if route is None or agency is None:
        return None
    text, due_after_sitting = route
    due = None  # p.116–118: the seed states no term — tracked without a due date
    if due_after_sitting:
        held_on = _sitting_day(conclusion)
        start = held_on or (clock.aware(conclusion.finalised_at).date()
                            if conclusion.finalised_at else clock.today())
        due = rules.handover_due(start)
    handover = Handover.objects.create(conclusion=conclusion, to=agency, route=text, due_on=due,
                                       created_at=clock.now())
    if due is not None:
        text = _("Передайте окончательное заключение в Агентство до %(day)s: %(c)s. %(route)s") % {
            "day": _date(due), "c": conclusion, "route": text}
    else:
        text = _("Передайте окончательное заключение в Агентство: %(c)s. %(route)s") % {
            "c": conclusion, "route": text}
    notify(_evaluator_people(conclusion.evaluator_id, conclusion.direction), text,
           _conclusion_link(conclusion), key=f"appeals:handover:{handover.pk}:created")
    return handover


def _after_final(conclusion: Conclusion) -> None:
    """What follows a direction conclusion becoming final: its hand-over, and the Agency told
    once the body's block conclusion may be drafted."""
    _handover_ensure(conclusion)
    if block_ready(conclusion.cycle, conclusion.body):
        _notify_block_ready(conclusion.cycle, conclusion.body)


def _latest(cycle, body, direction: str) -> Conclusion | None:
    return (Conclusion.objects.filter(cycle=cycle, body=body, direction=direction)
            .order_by("-version").first())


def block_ready(cycle, body) -> bool:
    """Whether the body's three direction conclusions (services, openness, complaints) are final
    (their latest versions) — the Agency may draft the block conclusion (annex 15,
    ``conclusion_draft(direction="block")``)."""
    for direction in DIRECTIONS:
        latest = _latest(cycle, body, direction)
        if latest is None or latest.state != ConclusionState.FINAL:
            return False
    return True


def _notify_block_ready(cycle, body) -> None:
    agency = _agency()
    if agency is None:
        return
    if Conclusion.objects.filter(cycle=cycle, body=body, direction="block").exists():
        return
    notify(people(agency.pk, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD], direction="services")
           + _coordinators(),
           _("Заключения по трём направлениям окончательны: можно сформировать заключение по "
             "блоку (приложение 15) — %(body)s, %(cycle)s.") % {"body": body,
                                                                 "cycle": cycle.year},
           "/conclusions/", key=f"appeals:block-ready:{cycle.pk}:{body.pk}")


def handover_record(*, handover: Handover, actor) -> Handover:
    """Record that the final conclusion was handed over to the Agency (p.116–121) — the
    evaluating body's people or the coordinator; idempotent. When the body's three directions
    are final, the Agency is told the block conclusion may be drafted."""
    with transaction.atomic():
        h = Handover.objects.select_for_update().select_related(
            "conclusion", "conclusion__cycle", "conclusion__body").get(pk=handover.pk)
        _require(actor, "record", h)
        if h.handed_at is not None:
            return h
        h.handed_at, h.handed_by = clock.now(), actor
        h.save(update_fields=["handed_at", "handed_by"])
        c = h.conclusion
        audit_record(actor=actor, obj=c, action="conclusion_handover",
                     changes={"handed_at": (None, h.handed_at)}, reason=h.route)
        notify(_coordinators(), _("Окончательное заключение передано в Агентство: %(c)s.")
               % {"c": c}, _conclusion_link(c))
        if block_ready(c.cycle, c.body):
            _notify_block_ready(c.cycle, c.body)
    return h


# --- The clock's jobs -------------------------------------------------------------------------


def objections_due_job(*, today: date | None = None) -> dict:
    """Beat job (idempotent): reminds the commission's chair and secretary on
    ``rules.reminder_days(decision_due)`` and, once an undecided objection is past its due
    date, escalates it to the Agency's coordinator (once: ``escalated_at``). Returns counts."""
    today = today or clock.today()
    reminded = escalated = 0
    for pk in Objection.objects.filter(
        state__in=[ObjectionState.FILED, ObjectionState.UNDER_CONSIDERATION]
    ).values_list("pk", flat=True):
        with transaction.atomic():
            o = _lock(Objection(pk=pk))
            if not o.is_open:
                continue
            due = o.decision_due
            people = _commission_people(o)
            if today <= due:
                passed = [d for d in rules.reminder_days(due) if d <= today]
                if passed:
                    day = max(passed)
                    sent = notify(
                        people,
                        _("Срок решения специальной комиссии по возражениям (%(o)s) — %(day)s "
                          "(15 календарных дней, п.114).") % {"o": o, "day": _date(due)},
                        _link(o), key=f"appeals:due:{o.pk}:{day.isoformat()}")
                    reminded += bool(sent)
            elif o.escalated_at is None:
                o.escalated_at = clock.now()
                o.save(update_fields=["escalated_at"])
                text = _("Просрочено решение специальной комиссии по возражениям (%(o)s): срок "
                         "истёк %(day)s (п.114).") % {"o": o, "day": _date(due)}
                notify(_coordinators() + people, text, _link(o),
                       key=f"appeals:overdue:{o.pk}")
                audit_record(actor=None, obj=o, action="objection_escalate",
                             changes={"escalated_at": (None, o.escalated_at)}, reason=text)
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def handovers_job(*, today: date | None = None, cycle=None) -> dict:
    """Beat job (idempotent): creates the missing hand-overs of final direction conclusions
    (a window that closed with no objection), reminds those who hand a conclusion over on the
    working day before ``due_on`` and on it, tells the coordinator once it is overdue, and the
    Agency once a body's block conclusion may be drafted. ``cycle`` limits it to one cycle
    (the demo's run touches no other cycle)."""
    from assessments.kernel import calendar

    today = today or clock.today()
    created = reminded = overdue = 0
    finals = (Conclusion.objects.filter(direction__in=DIRECTIONS, state=ConclusionState.FINAL,
                                        handover__isnull=True)
              .exclude(evaluator__evaluator_role=Organisation.EvaluatorRole.AGENCY)
              .select_related("cycle", "body", "evaluator"))
    pending = Handover.objects.filter(handed_at__isnull=True)
    final_bodies = Conclusion.objects.filter(direction__in=DIRECTIONS, state=ConclusionState.FINAL)
    if cycle is not None:
        finals = finals.filter(cycle=cycle)
        pending = pending.filter(conclusion__cycle=cycle)
        final_bodies = final_bodies.filter(cycle=cycle)
    for c in finals:
        with transaction.atomic():
            if _handover_ensure(c) is not None:
                created += 1
    for h in pending.select_related("conclusion", "conclusion__evaluator"):
        c = h.conclusion
        people = _evaluator_people(c.evaluator_id, c.direction)
        if h.due_on is None:
            continue
        with transaction.atomic():
            if today <= h.due_on:
                day_before = h.due_on
                while True:  # the working day before the due date
                    day_before -= timedelta(days=1)
                    if calendar.is_working_day(day_before):
                        break
                for day in (day_before, h.due_on):
                    if day == today:
                        reminded += bool(notify(
                            people, _("Срок передачи окончательного заключения в Агентство — "
                                      "%(day)s: %(c)s.") % {"day": _date(h.due_on), "c": c},
                            _conclusion_link(c), key=f"appeals:handover:{h.pk}:{day}"))
            else:
                overdue += bool(notify(
                    _coordinators() + people,
                    _("Просрочена передача окончательного заключения в Агентство (срок — "
                      "%(day)s): %(c)s.") % {"day": _date(h.due_on), "c": c},
                    _conclusion_link(c), key=f"appeals:handover-overdue:{h.pk}"))
    ready = set()
    for cycle_id, body_id in final_bodies.values_list("cycle_id", "body_id").distinct():
        ready.add((cycle_id, body_id))
    for cycle_id, body_id in sorted(ready):
        c = Conclusion.objects.filter(cycle_id=cycle_id, body_id=body_id).select_related(
            "cycle", "body").first()
        if block_ready(c.cycle, c.body):
            with transaction.atomic():
                _notify_block_ready(c.cycle, c.body)
    return {"created": created, "reminded": reminded, "overdue": overdue}


# --- Checks of individual results (p.110) ---------------------------------------------------


def appeals_ended_on(cycle, body, direction: str = "") -> date | None:
    """The day the body's appeal procedures ended (on ``direction``, or on all three): the day
    the last of its direction conclusions became final; None while one is not final yet."""
    days = []
    for d in ([direction] if direction else DIRECTIONS):
        latest = _latest(cycle, body, d)
        if latest is None or latest.state != ConclusionState.FINAL or latest.finalised_at is None:
            return None
        days.append(clock.aware(latest.finalised_at).date())
    return max(days)


def result_check_open(*, cycle, body, actor, text: str, lodged_on: date | None = None,
                      direction: str = "") -> ResultCheck:
    """The Commission's working body opens a check of individual results on the body's
    complaint lodged on ``lodged_on`` (default today) — refused while the appeal procedures
    run, and after ``rules.check_complaint_last_day`` of the day they ended (p.110)."""
    if not access.can(actor, "result_check", cycle):
        raise PermissionDenied(_("Проверку результатов начинает рабочий орган Комиссии."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Изложите содержание жалобы органа."), code="text")
    if direction and direction not in DIRECTIONS:
        raise DomainError(_("Неизвестное направление."), code="direction")
    today = clock.today()
    lodged_on = lodged_on or today
    if lodged_on > today:
        raise DomainError(_("Дата жалобы не может быть в будущем."), code="lodged_on")
    ended = appeals_ended_on(cycle, body, direction)
    if ended is None:
        raise DomainError(_("Процедуры обжалования по органу ещё не завершены: проверка "
                            "результатов проводится после них (п.110)."), code="appeals_running")
    last_day = rules.check_complaint_last_day(ended)
    if lodged_on > last_day:
        raise DomainError(
            _("Жалоба подана %(lodged)s, позже пяти рабочих дней после завершения процедур "
              "обжалования (последний день — %(day)s, п.110).")
            % {"lodged": _date(lodged_on), "day": _date(last_day)}, code="late")
    with transaction.atomic():
        check = ResultCheck.objects.create(
            cycle=cycle, body=body, direction=direction, lodged_on=lodged_on,
            last_day=last_day, text=text, opened_by=actor, opened_at=clock.now())
        audit_record(actor=actor, obj=check, action="result_check_open",
                     changes={"lodged_on": (None, lodged_on)}, reason=text[:500])
        notify(_body_staff(body.pk),
               _("Рабочий орган Комиссии начал проверку индивидуальных результатов по жалобе "
                 "органа (п.110)."),
               reverse("appeals:result_check", args=[check.pk]))
    return check


def result_check_close(*, check: ResultCheck, actor, outcome: str) -> ResultCheck:
    """The working body records the outcome: ``open → closed``."""
    outcome = (outcome or "").strip()
    with transaction.atomic():
        ch = lock(check)
        if ch.state != ResultCheckState.OPEN:
            raise DomainError(_("Проверка уже завершена."), code="state")
        _require(actor, "close", ch)
        if not outcome:
            raise DomainError(_("Укажите итог проверки."), code="outcome")
        ch.outcome, ch.closed_by, ch.closed_at = outcome, actor, clock.now()
        ch.close(by=actor, description=outcome[:200])
        ch.save()
        audit_record(actor=actor, obj=ch, action="result_check_close",
                     changes={"outcome": ("", outcome)})
        notify(_body_staff(ch.body_id),
               _("Проверка индивидуальных результатов завершена: %(outcome)s")
               % {"outcome": outcome[:300]},
               reverse("appeals:result_check", args=[ch.pk]))
    return ch
