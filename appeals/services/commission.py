"""The special commission and its decision (p.113–115; annex 14 completed): the commission, the
sitting and its composition, attendance, the vote and the decision, the chair's signature and
the body's acknowledgement of the completed table (and the signing service's hook for it), and
the corrected conclusion's hooks (``appeals.receivers`` answers the conclusions' events with them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from appeals import rules
from appeals.models import (
    AppealDirection,
    DisagreementRow,
    MemberCapacity,
    Objection,
    ObjectionOutcome,
    ObjectionState,
    RowDecision,
    RowDocument,
    Sitting,
    SittingMember,
    SittingState,
    SpecialCommission,
    Vote,
)
from appeals.services.common import (
    BODY_POSITION,
    CHAIR_POSITION,
    ProposedValueError,
    _body_staff,
    _commission,
    _date,
    _evaluator_people,
    _link,
    _lock,
    _require,
    _sitting,
    _state_refused,
    value_problem,
)
from appeals.services.handover import _after_final
from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.people import memberships_active
from assessments.models import Conclusion, ConclusionState, Organisation, User

# --- The special commission (p.113–115) -----------------------------------------------------


def _is_employee(user, organisation_id: int) -> bool:
    return memberships_active(organisation_id=organisation_id).filter(user=user).exists()


def commission_get_or_create(*, cycle, evaluator, chair, secretary, actor) -> SpecialCommission:
    """The evaluating body's special commission for the cycle (one per cycle × evaluator), with
    its chair and secretary (different people, both employees of the evaluating body). An
    existing commission is returned; a different chair or secretary updates it (audited)."""
    if not access.can(actor, "form_commission", cycle, evaluator=evaluator):
        raise PermissionDenied(_("У вас нет права формировать специальную комиссию."))
    if chair is None or secretary is None or chair.pk == secretary.pk:
        raise DomainError(_("Председатель и секретарь комиссии — разные люди."),
                          code="people")
    for user in (chair, secretary):
        if not _is_employee(user, evaluator.pk):
            raise DomainError(
                _("%(who)s не является сотрудником органа «%(org)s»: специальная комиссия "
                  "создаётся в уполномоченном на оценку органе (п.113).")
                % {"who": user, "org": evaluator}, code="people")
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=evaluator.pk).exists()
        commission = SpecialCommission.objects.filter(cycle=cycle, evaluator=evaluator).first()
        if commission is None:
            commission = SpecialCommission.objects.create(
                cycle=cycle, evaluator=evaluator, chair=chair, secretary=secretary,
                created_by=actor, created_at=clock.now())
            audit_record(actor=actor, obj=commission, action="commission_create",
                         changes={"chair": (None, str(chair)),
                                  "secretary": (None, str(secretary))})
        elif (commission.chair_id, commission.secretary_id) != (chair.pk, secretary.pk):
            changes = {}
            if commission.chair_id != chair.pk:
                changes["chair"] = (str(commission.chair), str(chair))
            if commission.secretary_id != secretary.pk:
                changes["secretary"] = (str(commission.secretary), str(secretary))
            commission.chair, commission.secretary = chair, secretary
            commission.save(update_fields=["chair", "secretary"])
            audit_record(actor=actor, obj=commission, action="commission_update",
                         changes=changes)
        else:
            return commission
        notify([chair, secretary],
               _("Вы включены в специальную комиссию: %(c)s.") % {"c": commission},
               reverse("appeals:commission_detail", args=[commission.pk]))
    return commission


def _composition(o: Objection, day: date | None = None):
    from appeals.composition import CompositionContext

    return CompositionContext(body=o.body, evaluator=o.evaluator, direction=o.direction,
                              cycle=o.cycle, day=day)


def sitting_candidates(objection: Objection, user_ids=None) -> list:
    """The composition rule (p.113) for ``user_ids`` (default: every candidate — the body's
    staff, the evaluating body's staff, the working body) on ``objection``:
    ``[appeals.composition.Eligibility]`` — the group, or the reason of a refusal."""
    context = _composition(objection)
    ids = sorted(context.candidates()) if user_ids is None else list(user_ids)
    return context.check_many(ids)


def sitting_convene(*, objection: Objection, members: list[tuple[Any, str]], held_on: date,
                    actor) -> Sitting:
    """The chair or secretary convenes the sitting on ``objection`` for ``held_on`` with
    ``members`` (``[(user, capacity)]``; the chair must be one of them). Every member must pass
    the composition rule — an ineligible one refuses the whole list with the reason (e.g. the
    assessor who assessed the body) — and there must be at least 5. The group stored is the
    rule's. The objection moves ``filed → under_consideration``. Re-convening a planned sitting
    replaces its members."""
    with transaction.atomic():
        o = _lock(objection)
        _require(actor, "convene", o)
        if o.state not in (ObjectionState.FILED, ObjectionState.UNDER_CONSIDERATION):
            raise _state_refused(o, _("назначить заседание"))
        commission = _commission(o)
        if commission is None:
            raise DomainError(_("Сначала сформируйте специальную комиссию."), code="commission")
        sitting = _sitting(o)
        if sitting is not None and sitting.state != SittingState.PLANNED:
            raise DomainError(_("Заседание уже проведено."), code="state")
        if held_on is None or held_on < clock.today():
            raise DomainError(_("Дата заседания — сегодня или позже."), code="held_on")
        users, seen = [], set()
        for user, _capacity in members:
            if user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
        checks = _composition(o, held_on).check_many([u.pk for u in users])
        refused = [(u, e) for u, e in zip(users, checks, strict=True) if not e.eligible]
        if refused:
            raise DomainError(
                " ".join(f"{u}: {e.reason}" for u, e in refused), code="composition")
        if commission.chair_id not in seen:
            raise DomainError(_("Председатель комиссии (%(chair)s) входит в состав заседания.")
                              % {"chair": commission.chair}, code="chair")
        if len(users) < rules.MIN_PRESENT:
            raise DomainError(
                _("В составе заседания не менее %(n)s членов (п.113); указано %(k)s.")
                % {"n": rules.MIN_PRESENT, "k": len(users)}, code="min_members")
        now = clock.now()
        if sitting is None:
            sitting = Sitting.objects.create(commission=commission, objection=o, held_on=held_on,
                                             convened_by=actor, convened_at=now)
            before = []
        else:
            before = [str(m.user) for m in sitting.members.select_related("user")]
            sitting.members.all().delete()
            sitting.held_on, sitting.convened_by, sitting.convened_at = held_on, actor, now
            sitting.save(update_fields=["held_on", "convened_by", "convened_at"])
        for user, check in zip(users, checks, strict=True):
            SittingMember.objects.create(sitting=sitting, user=user,
                                         capacity=MemberCapacity(check.group))
        if o.state == ObjectionState.FILED:
            o.start_consideration(by=actor, description=_("Заседание назначено на %(day)s")
                                  % {"day": _date(held_on)})
        o.updated_at = now
        o.save()
        audit_record(actor=actor, obj=o, action="sitting_convene",
                     changes={"members": (before, [str(u) for u in users]),
                              "held_on": (None, held_on)})
        notify(users, _("Заседание специальной комиссии по возражениям (%(o)s) — %(day)s.")
               % {"o": o, "day": _date(held_on)}, _link(o))
    return sitting


def sitting_attendance(*, sitting: Sitting, present, actor) -> Sitting:
    """Record who is present (``present``: user ids; every other member is absent), by the chair
    or secretary, while the sitting is planned."""
    present = {int(getattr(p, "pk", p)) for p in present}
    with transaction.atomic():
        s = Sitting.objects.select_for_update().select_related("commission", "objection").get(
            pk=sitting.pk)
        _require(actor, "attendance", s)
        members = list(s.members.select_related("user"))
        unknown = present - {m.user_id for m in members}
        if unknown:
            raise DomainError(_("Отмечены люди, не входящие в состав заседания."),
                              code="outsider")
        changes = {}
        for m in members:
            value = m.user_id in present
            if m.present != value:
                changes[str(m.user)] = (m.present, value)
                m.present = value
                m.save(update_fields=["present"])
        if changes:
            audit_record(actor=actor, obj=s.objection, action="sitting_attendance",
                         changes=changes)
    return s


def _voting_error(row: DisagreementRow, error) -> DomainError:
    names = ", ".join(str(u) for u in User.objects.filter(pk__in=list(error.ids)).order_by("pk"))
    template = {
        "missing": _("Строка %(n)s: не проголосовали: %(who)s."),
        "outsider": _("Строка %(n)s: голосуют только присутствующие члены заседания "
                      "(%(who)s)."),
        "invalid": _("Строка %(n)s: недопустимый голос (%(who)s)."),
        "no_chair": _("Строка %(n)s: председатель комиссии должен присутствовать на "
                      "заседании."),
    }[error.code]
    return DomainError(template % {"n": row.number, "who": names}, code=f"votes_{error.code}")


def _keyed(mapping: dict | None) -> dict:
    return {int(k): v for k, v in (mapping or {}).items()}


def objection_decide(*, objection: Objection, actor, rulings: dict, votes: dict) -> Objection:
    """The collegial decision (p.114), by the chair or secretary on (or after) the sitting day.

    ``votes``: ``{row_id: {user_id: "accept" | "reject"}}`` — every present member on every row;
    ``rulings``: ``{row_id: {"reasoning": str, "applied_value": any | None,
    "no_number_change": bool}}``. An accepted row must change a number — its ``input_path``
    with the applied (or proposed) value — or say explicitly that it changes none
    (``no_number_change``; a row without an input path needs it). Refused unless at
    least 5 are present and more than half of the sitting's members. Each row is decided by
    ``rules.tally`` (majority of the present, the chair breaks a tie). Accepted rows with an
    ``input_path`` change the scoring input (source kind ``decision``; the applied value, or the
    body's proposed one), the engine recomputes, and a corrected conclusion (version 2) is
    drafted (``outcome = "corrected"``); if no accepted row changes a number (every row rejected,
    or accepted with no number change) the conclusion becomes final (``outcome =
    "confirmed"``): a version 2 with the same score would be no correction. The sitting is
    held, the objection ``decided`` with ``decided_on`` = the sitting's day."""
    from assessments.conclusions.services import (
        conclusion_draft_correction,
        conclusion_finalise,
    )
    from assessments.scores.services.scoring_inputs import scoring_input_set
    from assessments.scoring import ScoringError

    votes, rulings = _keyed(votes), _keyed(rulings)
    with transaction.atomic():
        o = _lock(objection)
        _require(actor, "decide", o)
        if o.state != ObjectionState.UNDER_CONSIDERATION:
            raise _state_refused(o, _("принять решение"))
        sitting = Sitting.objects.select_for_update().select_related("commission").get(
            objection=o)
        if sitting.state != SittingState.PLANNED:
            raise DomainError(_("Заседание уже проведено."), code="state")
        checking = RowDocument.objects.filter(
            row__objection=o, check_state=RowDocument.CheckState.QUARANTINE).count()
        if checking:
            # the body's documents filed in time are read before the decision (issue 16): their
            # check ends (accepted, refused or failed) within the probe's timeout
            raise DomainError(
                _("Документы органа к возражению ещё проверяются (%(n)s): решение принимается "
                  "после проверки.") % {"n": checking}, code="documents_checking")
        if clock.today() < sitting.held_on:
            raise DomainError(_("Решение принимается на заседании %(day)s.")
                              % {"day": _date(sitting.held_on)}, code="early")
        members = list(sitting.members.all())
        if any(m.present is None for m in members):
            raise DomainError(_("Сначала отметьте присутствие членов заседания."),
                              code="attendance")
        present = frozenset(m.user_id for m in members if m.present)
        problem = rules.quorum_problem(len(members), len(present))
        if problem == "min_present":
            raise DomainError(
                _("Решение не может быть принято: присутствуют %(k)s, нужно не менее %(n)s "
                  "членов (п.113).") % {"k": len(present), "n": rules.MIN_PRESENT},
                code="min_present")
        if problem == "quorum":
            raise DomainError(
                _("Нет кворума: присутствуют %(k)s из %(m)s членов заседания, нужно больше "
                  "половины.") % {"k": len(present), "m": len(members)}, code="quorum")
        rows = list(o.rows.order_by("number"))
        outcomes = {}
        for row in rows:
            try:
                outcomes[row.pk] = rules.tally(
                    {int(k): v for k, v in (votes.get(row.pk) or {}).items()},
                    present=present, chair_id=sitting.commission.chair_id)
            except rules.VotingError as error:
                raise _voting_error(row, error)
            ruling = rulings.get(row.pk) or {}
            if not (ruling.get("reasoning") or "").strip():
                raise DomainError(_("Строка %(n)s: укажите обоснование решения (п.115).")
                                  % {"n": row.number}, code="reasoning")
        values, sources, accepted = {}, {}, []
        for row in rows:
            result, ruling = outcomes[row.pk], rulings[row.pk]
            for user_id, choice in (votes.get(row.pk) or {}).items():
                Vote.objects.create(sitting=sitting, row=row, member_id=int(user_id),
                                    choice=choice)
            row.decision = (RowDecision.ACCEPTED if result.outcome == rules.ACCEPT
                            else RowDecision.REJECTED)
            row.reasoning = ruling["reasoning"].strip()
            if result.by_chair:
                row.reasoning += " " + _("(при равенстве голосов решающий голос председателя)")
            if row.decision == RowDecision.ACCEPTED:
                accepted.append(row)
                keep_numbers = bool(ruling.get("no_number_change"))
                if not row.input_path and not keep_numbers:
                    raise DomainError(
                        _("Строка %(n)s принята, но в ней не указаны исходные данные: отметьте "
                          "«Без изменения баллов» или отклоните строку (баллы меняются только "
                          "через исходные данные).") % {"n": row.number},
                        code="no_number_change")
                if row.input_path and not keep_numbers:
                    value = ruling.get("applied_value")
                    if value is None:
                        value = row.proposed_value
                    if value is None:
                        raise DomainError(
                            _("Строка %(n)s принята: укажите значение показателя «%(path)s», "
                              "которое применяется.") % {"n": row.number,
                                                         "path": row.input_path},
                            code="applied_value")
                    problem = value_problem(o.conclusion, row.input_path, value)
                    if problem:
                        raise ProposedValueError(
                            _("Строка %(n)s: %(problem)s") % {"n": row.number,
                                                              "problem": problem},
                            row=row.number, field_message=problem)
                    row.applied_value = value
                    values[row.input_path] = value
                    sources[row.input_path] = {
                        "kind": "decision", "ref": f"objection:{o.pk}:row:{row.number}",
                        "label": str(_("Решение специальной комиссии: возражения № %(o)s, "
                                       "строка %(n)s") % {"o": o.pk, "n": row.number}),
                    }
            row.save(update_fields=["decision", "reasoning", "applied_value"])
        sitting.hold(by=actor, description=_("Решение принято"))
        sitting.save()
        reason = str(_("Решение специальной комиссии по возражениям № %(o)s (п.114)")
                     % {"o": o.pk})
        if values:
            try:
                scoring_input_set(cycle=o.cycle, body=o.body, values=values, sources=sources,
                                  actor=actor, reason=reason)
            except ScoringError as error:  # the values together: the engine's error translated
                from assessments.scores.fields import error_text

                raise DomainError(
                    _("Применённые значения не приняты расчётом (%(path)s): %(what)s")
                    % {"path": error.path or "—", "what": error_text(error)}, code="scoring")
        chained = o.direction == AppealDirection.AUTOMATION or o.conclusion.annex == 3
        if chained:
            # Annex 3 (services, central body) and annex 5 (automation) form one chain: the
            # corrected annex 5 first, then one next annex 3 (services_chain_settle).
            o.outcome = (ObjectionOutcome.CORRECTED if values
                         else ObjectionOutcome.CONFIRMED)
            if values and o.direction == AppealDirection.AUTOMATION:
                o.correction = conclusion_draft_correction(conclusion=o.conclusion,
                                                           actor=actor, reason=reason)
            o.overall_after_appeal = _score_now(o)
        elif values:  # an accepted row changes a number: the corrected version
            correction = conclusion_draft_correction(conclusion=o.conclusion, actor=actor,
                                                     reason=reason)
            o.outcome = ObjectionOutcome.CORRECTED
            o.correction = correction
            o.overall_after_appeal = str(correction.values.get("final") or "")
        else:
            conclusion_finalise(
                conclusion=o.conclusion, actor=actor,
                reason=_("Принятые возражения не меняют баллов: заключение подтверждено "
                         "(п.114)") if accepted else _("Возражения не приняты: заключение "
                                                      "подтверждено (п.114)"))
            o.outcome = ObjectionOutcome.CONFIRMED
            o.overall_after_appeal = str(o.conclusion.values.get("final") or "")
        o.decided_on = sitting.held_on
        o.decide(by=actor, description=o.get_outcome_display())
        o.updated_at = clock.now()
        o.save()
        audit_record(actor=actor, obj=o, action="objection_decide",
                     changes={"accepted": (None, [r.number for r in accepted]),
                              "rejected": (None, [r.number for r in rows if r not in accepted]),
                              "overall_after_appeal": (None, o.overall_after_appeal)},
                     reason=reason)
        text = _("Специальная комиссия приняла решение по возражениям (%(o)s): принято строк — "
                 "%(a)s из %(n)s.") % {"o": o, "a": len(accepted), "n": len(rows)}
        notify(_body_staff(o.body_id) + _evaluator_people(o.evaluator_id, o.direction), text,
               _link(o))
        notify([sitting.commission.chair],
               _("Подпишите таблицу разногласий с решением комиссии: %(o)s.") % {"o": o},
               _link(o))
        if chained:
            services_chain_settle(cycle=o.cycle, body=o.body)
            o = Objection.objects.select_related("correction").get(pk=o.pk)
        elif not values:
            _after_final(Conclusion.objects.get(pk=o.conclusion_id))
    return o


# --- One chain: annex 5 corrected first, then the next annex 3 ------------------------------


def _score_now(o: Objection) -> str:
    """The disputed score as the body's stored scores stand after the decision: the automation
    criterion K3 (annex 5) or the services direction's final score — what the completed table
    prints as "Общий балл с учетом итогов обжалования"."""
    from assessments.scores.services.sheets import score_body

    sheets = score_body(cycle=o.cycle, body=o.body)
    sheet = sheets.get("services")
    values = (sheet.values or {}) if sheet is not None else {}
    key = "K3" if o.direction == AppealDirection.AUTOMATION else "final"
    return str(values.get(key) or "")


def _automation_pending(automation: Objection | None) -> bool:
    """Whether the automation objection still holds the body's annex 3: undecided, or accepted
    and its corrected annex 5 not issued yet."""
    if automation is None:
        return False
    if automation.is_open:
        return True
    if automation.outcome != ObjectionOutcome.CORRECTED:
        return False
    return automation.correction is None or not automation.correction.is_delivered


def services_chain_settle(*, cycle, body) -> Conclusion | None:
    """Settle the body's services conclusion (annex 3, version 1) once every objection filed in
    its window is ruled: the Agency's on the services table, and the digital-government
    ministry's on the automation criterion (annex 5). Idempotent; called after each decision,
    when a corrected annex 5 is issued and by the hourly job.

    Nothing happens while version 1's window is open (a table to the other commission may still
    arrive, p.109), while either objection is undecided, or while an accepted automation
    objection's corrected annex 5 is not issued yet: annex 3 prints K3 and is signed after
    annex 5 with the same K3. Then, when either commission accepted a row that changes a
    number, one next version of annex 3 is drafted from the current scores (carrying both
    decisions) and supersedes version 1 on issue; otherwise version 1 becomes final. Returns
    the next version when there is one."""
    from assessments.conclusions.services import (
        conclusion_draft_correction,
        conclusion_finalise,
    )
    from assessments.conclusions.services.common import window_is_open

    v1 = (Conclusion.objects.filter(cycle=cycle, body=body, direction="services", version=1,
                                    annex=3).first())
    if v1 is None:
        return None
    existing = Conclusion.objects.filter(supersedes=v1).order_by("-version").first()
    if existing is not None or v1.state != ConclusionState.UNDER_APPEAL or window_is_open(v1):
        return existing
    services = Objection.objects.lodged().filter(conclusion=v1).first()
    automation = (Objection.objects.lodged().select_related("correction")
                  .filter(cycle=cycle, body=body, direction=AppealDirection.AUTOMATION).first())
    if (services is not None and services.is_open) or _automation_pending(automation):
        return None
    corrected = [o for o in (services, automation)
                 if o is not None and o.outcome == ObjectionOutcome.CORRECTED]
    if corrected:
        reason = str(_("Решения специальных комиссий по возражениям: %(which)s (п.114–115)")
                     % {"which": ", ".join(f"№ {o.pk}" for o in corrected)})
        correction = conclusion_draft_correction(conclusion=v1, actor=None, reason=reason)
        if services is not None and services.outcome == ObjectionOutcome.CORRECTED and (
                services.correction_id is None):
            services.correction = correction
            services.save(update_fields=["correction"])
        return correction
    conclusion_finalise(conclusion=v1, actor=None,
                        reason=_("Возражения не приняты либо не меняют баллов: заключение "
                                 "подтверждено (п.114)"))
    _after_final(Conclusion.objects.get(pk=v1.pk))
    return None


def services_chains_job(*, today: date | None = None) -> dict:
    """Beat job (idempotent, with the objections' reminders): every central body's services
    conclusion (annex 3, version 1) still under appeal after its window closed is settled
    (``services_chain_settle``) — a decision taken while the window was open waited for it.
    Returns ``{"settled": n}``: the conclusions that became final or got their next version."""
    today = today or clock.today()
    settled = 0
    for pk in Conclusion.objects.filter(
            annex=3, version=1, state=ConclusionState.UNDER_APPEAL,
            objection_deadline__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            c = Conclusion.objects.select_related("cycle", "body").get(pk=pk)
            before = Conclusion.objects.filter(supersedes=c).exists()
            services_chain_settle(cycle=c.cycle, body=c.body)
            after = Conclusion.objects.filter(supersedes=c).exists()
            state = Conclusion.objects.values_list("state", flat=True).get(pk=pk)
            settled += (state != ConclusionState.UNDER_APPEAL) or (after and not before)
    return {"settled": settled}


# --- The completed table: the chair's signature, the body's acknowledgement -----------------


def _table_signatories(o: Objection, chair) -> list:
    from appeals.access_rules import BODY_SLOT_ROLE
    from reporting.signing.roles import Signatory

    return [Signatory(user=chair, role="", position=CHAIR_POSITION),
            Signatory(role=BODY_SLOT_ROLE, position=BODY_POSITION)]


def objection_chair_sign(*, objection: Objection, user, passphrase: str) -> Objection:
    """The chair signs the completed table (annex 14, with "Общий балл с учетом итогов
    обжалования"): rendered through the annex registry (kind ``annex14``, version 2), frozen
    with the chair's and the body's representative's slots, PAdES-signed; the signing hook
    moves ``decided → signed_by_chair`` and notifies the body (p.115)."""
    from appeals.documents import COMPLETED_VERSION, DOCUMENT_KIND
    from reporting.services import document_request
    from reporting.signing.services import signed_document_freeze, signed_document_sign

    with transaction.atomic():
        o = _lock(objection)
        _require(user, "chair_sign", o)
        if o.state != ObjectionState.DECIDED:
            raise _state_refused(o, _("подписать таблицу разногласий"))
        document = o.table_document
        if document is None:
            commission = _sitting(o).commission
            rendered = document_request(kind=DOCUMENT_KIND, subject=o,
                                        version=COMPLETED_VERSION, requested_by=user,
                                        render_now=True)
            document = signed_document_freeze(
                rendered_document=rendered,
                signatories=_table_signatories(o, commission.chair),
                title=str(_("Таблица разногласий: %(o)s") % {"o": o}), created_by=user,
            )
            o.table_document = document
            o.save(update_fields=["table_document"])
        signed_document_sign(signed_document=document, user=user, passphrase=passphrase,
                             reason=str(_("Решение специальной комиссии по возражениям")))
    return Objection.objects.get(pk=o.pk)


def objection_acknowledge(*, objection: Objection, user, passphrase: str) -> Objection:
    """The body's head (representative) signs the same document "С итогами обжалования
    ознакомлен": the hook moves ``signed_by_chair → acknowledged``."""
    from reporting.models import SignedDocument
    from reporting.signing.services import signed_document_sign

    with transaction.atomic():
        document_id = Objection.objects.values_list("table_document_id", flat=True).get(
            pk=objection.pk)
        if document_id is not None:  # the signing paths' lock order: the document first
            SignedDocument.objects.select_for_update().filter(pk=document_id).exists()
        o = _lock(objection)
        _require(user, "acknowledge", o)
        if o.state != ObjectionState.SIGNED_BY_CHAIR or o.table_document is None:
            raise _state_refused(o, _("ознакомиться с итогами обжалования"))
        signed_document_sign(signed_document=o.table_document, user=user,
                             passphrase=passphrase,
                             reason=str(_("С итогами обжалования ознакомлен")))
    return Objection.objects.get(pk=o.pk)


def _table_text(o: Objection) -> str:
    """What the body is told with the signed table: the outcome and, for a correction, where
    it stands (p.115: the corrected conclusion goes to the body together with the table)."""
    if o.outcome == ObjectionOutcome.CONFIRMED:
        if o.rows.filter(decision=RowDecision.ACCEPTED).exists():
            return _("Принятые возражения не меняют баллов; заключение подтверждено. Общий балл "
                     "с учетом итогов обжалования: %(score)s.") % {
                "score": o.overall_after_appeal}
        return _("Возражения не приняты; заключение подтверждено. Общий балл с учетом итогов "
                 "обжалования: %(score)s.") % {"score": o.overall_after_appeal}
    correction = o.correction
    if correction is not None and correction.is_delivered:
        return _("Возражения приняты; скорректированное заключение (версия %(v)s) направлено. "
                 "Общий балл с учетом итогов обжалования: %(score)s.") % {
            "v": correction.version, "score": o.overall_after_appeal}
    return _("Возражения приняты; скорректированное заключение будет направлено вместе с "
             "таблицей разногласий. Общий балл с учетом итогов обжалования: %(score)s.") % {
        "score": o.overall_after_appeal}


def objection_signature_recorded(signed_document, signature, *, complete: bool) -> None:
    """The signing service's hook for annex 14, in its transaction, however the table was
    signed: the chair's signature → ``signed_by_chair`` (the body is notified with the outcome);
    the body's → ``acknowledged``. A signature out of the objection's state is refused (undone).
    """
    from reporting.signing.errors import SigningRefused

    o = (Objection.objects.select_for_update(of=("self",)).select_related("correction", "body")
         .filter(table_document_id=signed_document.pk).first())
    if o is None:
        return
    signer = signature.signer
    if signature.order == 1:
        if o.state != ObjectionState.DECIDED:
            raise SigningRefused(_("Таблица разногласий не ожидает подписи председателя."))
        o.sign_by_chair(by=signer, description=_("Подписано председателем комиссии"))
        o.updated_at = clock.now()
        o.save()
        notify(_body_staff(o.body_id),
               _("Таблица разногласий подписана председателем специальной комиссии (%(o)s). "
                 "%(outcome)s Ознакомьтесь и подпишите.") % {"o": o, "outcome": _table_text(o)},
               _link(o))
        return
    if not complete or o.state != ObjectionState.SIGNED_BY_CHAIR:
        raise SigningRefused(_("Таблица разногласий не ожидает подписи органа."))
    o.acknowledge(by=signer, description=_("С итогами обжалования ознакомлен"))
    o.acknowledged_by = signer
    o.updated_at = clock.now()
    o.save()
    commission = _commission(o)
    notify(([commission.chair, commission.secretary] if commission else [])
           + _evaluator_people(o.evaluator_id, o.direction),
           _("Орган ознакомлен с итогами обжалования: %(o)s.") % {"o": o}, _link(o))


# --- The corrected conclusion (p.115) ---------------------------------------------------------


def correction_issue_blocker(correction: Conclusion) -> str:
    """Why the corrected conclusion ``correction`` may not be issued yet ("" when it may):
    p.115 sends it to the body together with the completed disagreement table, so its
    objection's table must be signed by the commission's chair first (``signed_by_chair`` or
    ``acknowledged``). A correction that answers no objection is not held. The answer to
    ``assessments.conclusions.signals.correction_issue_check`` (``appeals.receivers``)."""
    if not correction.supersedes_id:
        return ""
    o = Objection.objects.lodged().filter(conclusion_id=correction.supersedes_id).first()
    if o is None or o.state in (ObjectionState.SIGNED_BY_CHAIR, ObjectionState.ACKNOWLEDGED):
        return ""
    return str(_("Скорректированное заключение направляется органу вместе с таблицей "
                 "разногласий, подписанной председателем специальной комиссии (п.115): "
                 "сначала председатель подписывает таблицу (возражения в состоянии "
                 "«%(state)s»).") % {"state": o.get_state_display()})


def correction_issued(*, correction: Conclusion, actor) -> None:
    """When ``conclusion_issue`` has issued a corrected version (version 1 superseded), inside its
    transaction (``signals.correction_issued``, through ``appeals.receivers``):
    the body receives the completed disagreement table with it (p.115) — a notification linking
    the objection's table — and the corrected conclusion's hand-over is scheduled."""
    o = (Objection.objects.lodged().select_for_update(of=("self",)).select_related("correction")
         .filter(conclusion_id=correction.supersedes_id).first())
    if o is None:  # annex 3's next version after an automation objection alone
        _after_final(correction)
        return
    if o.state not in (ObjectionState.SIGNED_BY_CHAIR,
                       ObjectionState.ACKNOWLEDGED):  # conclusion_issue checks first
        raise DomainError(correction_issue_blocker(correction), code="table_unsigned")
    if o.correction_id is None:
        o.correction = correction
        o.save(update_fields=["correction"])
    notify(_body_staff(o.body_id),
           _("Вместе со скорректированным заключением (версия %(v)s) направляется таблица "
             "разногласий с решением специальной комиссии (п.115): %(o)s. Общий балл с учетом "
             "итогов обжалования: %(score)s.") % {"v": correction.version, "o": o,
                                                   "score": o.overall_after_appeal},
           _link(o))
    _after_final(correction)
    if o.direction == AppealDirection.AUTOMATION:  # then the next annex 3 (one chain)
        services_chain_settle(cycle=correction.cycle, body=correction.body)


# --- What the objection's page offers -----------------------------------------------------------


def objection_action_waits(user, objection: Objection) -> dict[str, str]:
    """The actions ``user`` will be able to take on ``objection`` but not yet, each with when
    (issue 21: recording the decision for a sitting set tomorrow answered a bare 403)."""
    o = objection
    waits: dict[str, str] = {}
    if o.state != ObjectionState.UNDER_CONSIDERATION or not access.can(user, "decide", o):
        return waits
    sitting = _sitting(o)
    if sitting is not None and sitting.state == SittingState.PLANNED and (
            sitting.held_on > clock.today()):
        waits["decide"] = str(_(
            "Решение комиссии оформляется в день заседания или после него: заседание назначено "
            "на %(day)s.") % {"day": sitting.held_on.strftime("%d.%m.%Y")})
    return waits


def objection_actions(user, objection: Objection) -> frozenset[str]:
    """The actions ``user`` may take on ``objection`` now, among ``"documents"`` (attach to rows),
    ``"convene"``, ``"attendance"``, ``"decide"``, ``"chair_sign"``, ``"acknowledge"``, and
    ``"sign_filed"`` (the head signs — and so files — the table they drew up)."""
    from reporting.signing.services import signing_turn

    o = objection
    out = set()
    if access.can(user, "sign_filed", o):
        out.add("sign_filed")
    if access.can(user, "documents", o):
        out.add("documents")
    sitting = _sitting(o) if o.state != ObjectionState.FILED else None
    if o.state in (ObjectionState.FILED, ObjectionState.UNDER_CONSIDERATION) and (
            sitting is None or sitting.state == SittingState.PLANNED) and access.can(
            user, "convene", o):
        out.add("convene")
    if sitting is not None and sitting.state == SittingState.PLANNED and access.can(
            user, "attendance", sitting):
        out.add("attendance")
    if (o.state == ObjectionState.UNDER_CONSIDERATION and sitting is not None
            and sitting.state == SittingState.PLANNED and sitting.held_on <= clock.today()
            and access.can(user, "decide", o)):
        out.add("decide")
    if o.state == ObjectionState.DECIDED and access.can(user, "chair_sign", o) and (
            o.table_document is None
            or signing_turn(signed_document=o.table_document, user=user).may_sign):
        out.add("chair_sign")
    if o.state == ObjectionState.SIGNED_BY_CHAIR and o.table_document is not None and access.can(
            user, "acknowledge", o) and signing_turn(signed_document=o.table_document,
                                                     user=user).may_sign:
        out.add("acknowledge")
    return frozenset(out)
