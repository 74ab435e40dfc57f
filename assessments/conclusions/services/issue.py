"""Issue and the objection window (p.109–115): the signed conclusion delivered to its recipients,
the window's outcomes (final, under appeal), the corrected version and its supersession, and the
clock's job that closes the windows.

A corrected version goes to the body with its objection's completed table: whoever handles the
appeal answers ``signals.correction_issue_check`` (may it be issued?) and hears
``signals.correction_issued`` — conclusions do not know who that is.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.conclusions import signals
from assessments.conclusions.services.common import (
    _body_staff,
    _date,
    _link,
    _lock,
    _require,
    _state_refused,
    _writers,
    objection_window_closes_on,
    window_is_open,
)
from assessments.conclusions.services.drafting import _block_values, _sheet_for, _values
from assessments.kernel import clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.people import people
from assessments.models import (
    Conclusion,
    ConclusionDirection,
    ConclusionState,
    Role,
    WindowOutcome,
)
from assessments.models.conclusions import DELIVERED_STATES
from assessments.registry.services.evaluators import evaluator_for


def _recipients(c: Conclusion) -> list:
    """Who receives the issued conclusion: the body (p.109); annex 5 goes to the Agency
    (the services evaluator of the body), p.24."""
    if c.direction == ConclusionDirection.AUTOMATION:
        agency = evaluator_for(c.body, "services", c.cycle)
        agency_people = people(agency.pk, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                               direction="services") if agency else []
        # A corrected annex 5 answers the body's objection: it goes to the body too (p.115).
        return agency_people + (_body_staff(c) if c.supersedes_id else [])
    return _body_staff(c)


def issue_blocker(c: Conclusion) -> str:
    """Why ``c`` may not be issued yet ("" when it may): a corrected version goes to the body
    together with its objection's completed table, signed by the commission's chair (p.115) —
    the first refusal a receiver of ``signals.correction_issue_check`` gives."""
    if not c.supersedes_id:
        return ""
    for _receiver, refusal in signals.correction_issue_check.send(sender=Conclusion,
                                                                  correction=c):
        if refusal:
            return str(refusal)
    return ""


def conclusion_issue(*, conclusion: Conclusion, actor) -> Conclusion:
    """signed → issued: deliver the conclusion in the system, recording the moment of receipt
    (the clock). Version 1 of a direction opens the objection window — its last day is the 5th
    working day after the day of receipt (p.109); annexes 5, 15 and corrected versions become
    final at once (p.115). Issuing a corrected version supersedes the one under appeal; it waits
    for its objection's table signed by the commission's chair (``issue_blocker``). The
    recipients are notified in the application and by e-mail."""
    from reporting.signing.services import signed_document_verify

    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "issue", c)
        if c.state != ConclusionState.SIGNED:
            raise _state_refused(c, _("направить заключение органу"))
        blocker = issue_blocker(c)
        if blocker:
            raise DomainError(blocker, code="table_unsigned")
        report = signed_document_verify(c.signed_document)
        if not report.is_valid_trusted:
            raise DomainError(
                _("Подписанный документ не прошёл проверку (%(status)s): направление "
                  "невозможно.") % {"status": report.status_text},
                code="not_verified",
            )
        now = clock.now()
        c.received_at = now
        c.issued_by = actor
        c.updated_at = now
        c.issue(by=actor, description=_("Направлено органу в системе"))
        if c.has_window:
            c.objection_deadline = objection_window_closes_on(c)
            text = _("Вам направлено заключение: %(c)s. Возражения принимаются до %(day)s "
                     "включительно (пять рабочих дней, п.109).") % {
                "c": c, "day": _date(c.objection_deadline)}
        else:
            c.finalise(by=actor, description=_("Окончательное при направлении"))
            c.finalised_at = now
            text = _("Вам направлено заключение: %(c)s.") % {"c": c}
        c.save()
        if c.supersedes_id:
            old = Conclusion.objects.select_for_update().get(pk=c.supersedes_id)
            if old.state == ConclusionState.UNDER_APPEAL or (
                    old.state == ConclusionState.FINAL
                    and old.direction == ConclusionDirection.AUTOMATION):
                _supersede(old, actor=actor, by=c)
        notify(_recipients(c), text, _link(c))
        if c.supersedes_id:
            # p.115: the completed disagreement table goes to the body with the correction.
            signals.correction_issued.send(sender=Conclusion, correction=c, actor=actor)
    return c


def conclusion_finalise(*, conclusion: Conclusion, actor=None, reason: str) -> Conclusion:
    """issued | under_appeal → final.

    From ``issued``: the body notified that it has no objections (its staff, while the window is
    open, p.112), or the window has closed with none (anyone; ``actor=None`` for the clock,
    p.111) — a silent window, recorded as such (``window_outcome``, the log). From
    ``under_appeal``: every disagreement row was rejected (the commission of the evaluating body
    or an administrator; ``actor=None`` for the appeals service's own jobs)."""
    with transaction.atomic():
        c = _lock(conclusion)
        silent = False
        if c.state == ConclusionState.ISSUED:
            closed = not window_is_open(c)
            silent = closed and c.has_window
            if actor is not None and not closed:
                _require(actor, "accept", c)
            elif actor is not None:
                _require(actor, "view", c)
            elif not closed:
                raise DomainError(
                    _("Срок для возражений ещё не истёк: он истекает %(day)s.")
                    % {"day": _date(c.objection_deadline)},
                    code="window_open",
                )
        elif c.state == ConclusionState.UNDER_APPEAL:
            if actor is not None:
                _require(actor, "decide", c)
        else:
            raise _state_refused(c, _("сделать заключение окончательным"))
        if silent:
            # Neither an objection (it would be under appeal) nor the notice (it would be final).
            c.window_outcome = WindowOutcome.SILENT
            reason = str(SILENT_WINDOW_REASON) % {"day": _date(c.objection_deadline)}
        elif c.state == ConclusionState.ISSUED and c.has_window:
            c.window_outcome = WindowOutcome.NO_OBJECTIONS
        c.finalise(by=actor, description=reason or _("Заключение стало окончательным"))
        c.finalised_at = c.updated_at = clock.now()
        c.save()
        if silent:
            audit_record(actor=actor, obj=c, action="window_silent",
                         changes={"window_outcome": ("", WindowOutcome.SILENT)}, reason=reason)
        notify(_body_staff(c) + _writers(c),
               (_("Срок для возражений истёк без возражений и без уведомления об их отсутствии: "
                  "заключение стало окончательным: %(c)s") if silent
                else _("Заключение стало окончательным: %(c)s")) % {"c": c}, _link(c))
    return c


def conclusion_open_appeal(*, conclusion: Conclusion, actor) -> Conclusion:
    """issued → under_appeal: an objection arrived within the window (p.109). After the window
    the objection is not considered (p.111): refused with the closing date."""
    with transaction.atomic():
        c = _lock(conclusion)
        if actor is not None:
            _require(actor, "object", c)
        if c.state != ConclusionState.ISSUED:
            raise _state_refused(c, _("обжаловать заключение"))
        if not window_is_open(c):
            raise DomainError(
                _("Срок для возражений истёк %(day)s: возражения после него не рассматриваются "
                  "(п.111).") % {"day": _date(c.objection_deadline)},
                code="window_closed",
            )
        c.open_appeal(by=actor, description=_("Поступили возражения"))
        c.window_outcome = WindowOutcome.OBJECTION
        c.updated_at = clock.now()
        c.save()
        notify(_writers(c), _("На заключение поступили возражения: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_draft_correction(*, conclusion: Conclusion, actor, reason: str) -> Conclusion:
    """A corrected conclusion (version + 1) after the commission accepted objections (p.115):
    a draft from the recomputed scores, superseding ``conclusion``; its analysis and
    recommendations start from the old version's. Idempotent: an existing correction is
    returned. It goes through review and signature like any version and is final on issue."""
    from assessments.scores.services.sheets import score_body

    with transaction.atomic():
        old = _lock(conclusion)
        if actor is not None:
            _require(actor, "correct", old)
        existing = Conclusion.objects.filter(supersedes=old).order_by("-version").first()
        if existing is not None:
            return existing
        # Annex 5 has no window and is final on issue: an objection to the automation criterion
        # (filed in the window of the body's annex 3) corrects the final version.
        correctable = (ConclusionState.FINAL,) if (
            old.direction == ConclusionDirection.AUTOMATION) else (ConclusionState.UNDER_APPEAL,)
        if old.state not in correctable:
            raise _state_refused(old, _("подготовить скорректированное заключение"))
        if old.direction == ConclusionDirection.BLOCK:
            sheet, values = None, _block_values(old.cycle, old.body, actor)
        else:
            score_body(cycle=old.cycle, body=old.body, actor=actor)
            sheet = _sheet_for(old.cycle, old.body, old.direction, actor)
            values = _values(old.direction, sheet)
        top = (
            Conclusion.objects.filter(cycle=old.cycle, body=old.body, direction=old.direction)
            .order_by("-version").values_list("version", flat=True).first()
        )
        now = clock.now()
        correction = Conclusion.objects.create(
            cycle=old.cycle, body=old.body, direction=old.direction, version=top + 1,
            annex=old.annex, evaluator=old.evaluator, score_sheet=sheet, values=values,
            analysis=dict(old.analysis), recommendations=old.recommendations,
            supersedes=old, created_by=actor, created_at=now, updated_at=now,
        )
        audit_record(actor=actor, obj=correction, action="conclusion_correction",
                     changes={"values": (old.values, values)}, reason=reason)
        notify(_writers(old), _("Подготовьте скорректированное заключение: %(c)s")
               % {"c": correction}, _link(correction))
    return correction


def _supersede(old: Conclusion, *, actor, by: Conclusion) -> None:
    description = _("Заменено версией %(v)s") % {"v": by.version}
    if old.state == ConclusionState.FINAL:  # annex 5 (see conclusion_draft_correction)
        old.supersede_final(by=actor, description=description)
    else:
        old.supersede(by=actor, description=description)
    old.updated_at = clock.now()
    old.save()


def conclusion_supersede(*, conclusion: Conclusion, actor, by: Conclusion) -> Conclusion:
    """under_appeal → superseded, once its correction ``by`` is issued (p.115). Idempotent:
    ``conclusion_issue`` of the correction already supersedes it."""
    with transaction.atomic():
        c = _lock(conclusion)
        correction = Conclusion.objects.get(pk=by.pk)
        if correction.supersedes_id != c.pk:
            raise DomainError(_("Это не скорректированная версия данного заключения."))
        if c.state == ConclusionState.SUPERSEDED:
            return c
        if actor is not None:
            _require(actor, "correct", c)
        if c.state != ConclusionState.UNDER_APPEAL and not (
                c.state == ConclusionState.FINAL
                and c.direction == ConclusionDirection.AUTOMATION):
            raise _state_refused(c, _("заменить заключение"))
        if correction.state not in DELIVERED_STATES:
            raise DomainError(
                _("Заключение заменяется, когда скорректированная версия направлена органу."),
                code="correction_not_issued",
            )
        _supersede(c, actor=actor, by=correction)
    return c


SILENT_WINDOW_REASON = gettext_lazy(
    "Срок для возражений истёк %(day)s: ни возражений, ни уведомления об их отсутствии не "
    "поступило (п.111)"
)


def conclusion_windows_close(*, today: date | None = None) -> list[Conclusion]:
    """The clock's job (beat, and on reading a conclusion): issued conclusions whose window's last
    day has passed become final (p.111), each recorded as a silent window (``window_outcome``
    ``silent``, the transition's log and an audit entry). Idempotent: a conclusion already final
    is never touched again; each conclusion in its own transaction."""
    today = today or clock.today()
    done = []
    for pk in Conclusion.objects.filter(
        state=ConclusionState.ISSUED, objection_deadline__lt=today
    ).values_list("pk", flat=True):
        try:
            done.append(conclusion_finalise(conclusion=Conclusion(pk=pk), actor=None, reason=""))
        except DomainError:
            continue
    return done


def conclusion_window_close_if_due(conclusion: Conclusion) -> Conclusion:
    """On reading one conclusion: if its window has passed while it is still issued, record it
    now (the same as the clock's job; idempotent), so the page never shows a stale state."""
    if (conclusion.state == ConclusionState.ISSUED and conclusion.objection_deadline is not None
            and not window_is_open(conclusion)):
        try:
            return conclusion_finalise(conclusion=conclusion, actor=None, reason="")
        except DomainError:
            return Conclusion.objects.get(pk=conclusion.pk)
    return conclusion
