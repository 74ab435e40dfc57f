"""Conclusions: drafting from the stored scores, review, signature, issue, and the objection
window's outcomes (p.21, p.109–122; annexes 3, 4, 5, 8, 12, 15).

    conclusion_draft(*, cycle, body, direction, actor) -> Conclusion
    conclusion_update(*, conclusion, actor, analysis, recommendations, revision) -> Conclusion
    conclusion_submit(*, conclusion, actor) -> Conclusion
    conclusion_approve(*, conclusion, actor) -> Conclusion
    conclusion_return(*, conclusion, actor, comments) -> Conclusion
    conclusion_sign(*, conclusion, user, passphrase) -> Conclusion
    conclusion_issue(*, conclusion, actor) -> Conclusion
    conclusion_finalise(*, conclusion, actor=None, reason) -> Conclusion
    conclusion_open_appeal(*, conclusion, actor) -> Conclusion
    conclusion_draft_correction(*, conclusion, actor, reason) -> Conclusion
    conclusion_supersede(*, conclusion, actor, by) -> Conclusion
    conclusion_windows_close(*, today=None) -> list[Conclusion]          (the beat job)
    conclusion_preview(*, conclusion, actor, language="ru") -> RenderedDocument
    objection_window_closes_on(conclusion) -> date | None
    conclusion_actions(user, conclusion) -> frozenset[str]               (what a page offers)

Every write has one shape (EXAMPLES.md §1): ``transaction.atomic()`` → the row locked with
``select_for_update()`` → the actor's permission (``access``; PermissionDenied) and the state and
clock (``DomainError`` with a translated message) → the fsm transition → ``save()`` → the log row
(django-fsm-log ``StateLog`` with who and why; ``audit_record`` for edits) → tasks and e-mails
queued with ``transaction.on_commit``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import (
    Conclusion,
    ConclusionDirection,
    ConclusionState,
    Cycle,
    Membership,
    Organisation,
    Role,
    ScoreSheet,
)
from assessments.models.conclusions import DELIVERED_STATES
from assessments.models.people import BODY_ROLES
from assessments.registry.services.evaluators import evaluator_for
from assessments.reverification.services import findings_for

S = ConclusionState
D = ConclusionDirection

OBJECTION_WINDOW_WORKING_DAYS = 5  # p.109, p.112

# The score-sheet row each conclusion is drafted from (K3 is part of the services sheet).
SHEET_DIRECTION = {
    D.SERVICES: "services", D.AUTOMATION: "services", D.OPENNESS: "openness",
    D.COMPLAINTS: "complaints",
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
SIGNED_OR_LATER = (S.SIGNED, *DELIVERED_STATES)

__all__ = [
    "CRITERIA",
    "OBJECTION_WINDOW_WORKING_DAYS",
    "annex_for",
    "conclusion_actions",
    "conclusion_approve",
    "conclusion_draft",
    "conclusion_draft_correction",
    "conclusion_finalise",
    "conclusion_issue",
    "conclusion_open_appeal",
    "conclusion_preview",
    "conclusion_return",
    "conclusion_sign",
    "conclusion_signature_recorded",
    "conclusion_submit",
    "conclusion_supersede",
    "conclusion_update",
    "conclusion_windows_close",
    "issue_blocker",
    "objection_window_closes_on",
    "sign_blocker",
    "window_is_open",
]


# --- Helpers ---------------------------------------------------------------------------------


def annex_for(direction: str, body: Organisation) -> int:
    """The seed's form for ``direction`` and the body's kind (METHODOLOGY.md §7)."""
    if direction == D.SERVICES:
        return 3 if body.kind == Organisation.Kind.CENTRAL else 4
    if direction == D.AUTOMATION:
        if body.kind != Organisation.Kind.CENTRAL:
            raise DomainError(
                _("Критерий «Автоматизация государственных услуг» оценивается только у "
                  "центральных государственных органов.")
            )
        return 5
    return {D.OPENNESS: 8, D.COMPLAINTS: 12, D.BLOCK: 15}[direction]


def _lock(conclusion: Conclusion) -> Conclusion:
    return (
        Conclusion.objects.select_for_update()
        .select_related("cycle", "body", "evaluator")
        .get(pk=conclusion.pk)
    )


def _date(day: date | datetime | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _state_refused(c: Conclusion, doing: str) -> DomainError:
    return DomainError(
        _("Нельзя %(doing)s: заключение в состоянии «%(state)s».")
        % {"doing": doing, "state": c.get_state_display()},
        code="state",
    )


def _require(actor, action: str, c: Conclusion) -> None:
    if actor is None or not access.can(actor, action, c):
        raise PermissionDenied(
            _("У вас нет права на это действие с заключением.")
        )


def _link(c: Conclusion) -> str:
    return reverse("conclusions:conclusion_detail", args=[c.pk])


def _people(organisation_id: int, roles, *, direction: str | None = None) -> list:
    """Active people holding one of ``roles`` in an organisation (for notifications)."""
    today = clock.today()
    memberships = (
        Membership.objects.filter(organisation_id=organisation_id, role__in=list(roles))
        .exclude(active_from__gt=today)
        .exclude(active_to__lt=today)
        .select_related("user")
    )
    if direction is not None:
        memberships = memberships.filter(direction__in=["", direction])
    users = {m.user_id: m.user for m in memberships}
    return [u for u in users.values() if u.is_active]


def _body_staff(c: Conclusion) -> list:
    return _people(c.body_id, BODY_ROLES)


def _writers(c: Conclusion) -> list:
    return _people(c.evaluator_id, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                   direction=c.work_direction)


def _reviewers(c: Conclusion) -> list:
    return _people(c.evaluator_id, [Role.ASSESSOR_UNIT_HEAD], direction=c.work_direction)


def objection_window_closes_on(conclusion: Conclusion) -> date | None:
    """The last day of the objection window: the 5th working day after the day of receipt
    (p.109; weekends, holidays and transferred days off do not count). None where there is no
    window (annexes 5 and 15, corrected versions) or before receipt."""
    if not conclusion.has_window or conclusion.received_at is None:
        return None
    received_on = clock._aware(conclusion.received_at).date()
    return calendar.add_working_days(received_on, OBJECTION_WINDOW_WORKING_DAYS)


def window_is_open(conclusion: Conclusion, moment: datetime | None = None) -> bool:
    """Whether the window is still open: it closes at the end of its last day (Asia/Almaty)."""
    deadline = conclusion.objection_deadline
    if deadline is None:
        return False
    return (moment or clock.now()) <= clock.end_of_day(deadline)


# --- The scores a conclusion is drafted from -------------------------------------------------


def _current_sheet(cycle: Cycle, body: Organisation, direction: str) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(cycle=cycle, body=body, direction=direction, is_current=True)
        .select_related("scoring_input")
        .first()
    )


def _sheet_for(cycle: Cycle, body: Organisation, direction: str, actor) -> ScoreSheet:
    """The current score sheet the conclusion is drafted from (scored now if missing)."""
    from assessments.scores.services.sheets import score_body

    sheet_direction = SHEET_DIRECTION[direction]
    sheet = _current_sheet(cycle, body, sheet_direction)
    if sheet is None:
        score_body(cycle=cycle, body=body, actor=actor)
        sheet = _current_sheet(cycle, body, sheet_direction)
    if sheet is None or sheet.final is None or not sheet.values:
        raise DomainError(
            _("Оценка органа по этому направлению ещё не рассчитана: заключение формируется "
              "из рассчитанных баллов."),
            code="no_scores",
        )
    return sheet


def _values(direction: str, sheet: ScoreSheet) -> dict:
    if direction == D.AUTOMATION:
        return {code: sheet.values[code] for code in AUTOMATION_CODES if code in sheet.values}
    return dict(sheet.values)


def _block_values(cycle: Cycle, body: Organisation, actor) -> dict:
    """The block's numbers (annex 15): the three directions' final conclusions and the overall
    score the engine computes from them (p.107–108, p.121–122)."""
    from assessments.scores.services.sheets import score_body

    finals = {}
    for direction in CRITERIA[15]:
        latest = (
            Conclusion.objects.filter(cycle=cycle, body=body, direction=direction)
            .order_by("-version")
            .first()
        )
        if latest is None or latest.state != S.FINAL:
            raise DomainError(
                _("Заключение по блоку формируется, когда окончательны заключения по всем трём "
                  "направлениям; нет окончательного заключения по направлению «%(direction)s».")
                % {"direction": D(direction).label},
                code="block_not_ready",
            )
        finals[direction] = latest.values.get("final")
    sheets = score_body(cycle=cycle, body=body, actor=actor)
    overall = sheets.get("overall")
    for direction, final in finals.items():
        sheet = sheets.get(direction)
        if sheet is None or sheet.values.get("final") != final:
            raise DomainError(
                _("Баллы органа изменились после окончательного заключения по направлению "
                  "«%(direction)s»: сначала выпустите скорректированное заключение.")
                % {"direction": D(direction).label},
                code="block_mismatch",
            )
    if overall is None or not overall.values:
        raise DomainError(_("Общая оценка органа ещё не рассчитана."), code="no_scores")
    return {**finals, "overall": overall.values["overall"], "band": overall.values["band"]}


def _recommendations_from_findings(cycle, body, direction) -> str:
    """"Выводы и рекомендации" prefilled with the re-verification facts (p.21)."""
    if direction == D.BLOCK:
        return ""
    lines = []
    for finding in findings_for(cycle=cycle, body=body, direction=direction):
        kind = getattr(finding, "kind", "")
        label = (
            _("Недостоверные сведения") if kind == "unreliable" else _("Неполные сведения")
        )
        section = getattr(finding, "report_section", "") or ""
        text = getattr(finding, "description", "") or str(finding)
        lines.append(f"{label}{f' ({section})' if section else ''}: {text}")
    if not lines:
        return ""
    header = _("По итогам перепроверки выявлены факты представления недостоверной и (или) "
               "неполной отчётной информации (п.17–21 Методики):")
    return "\n".join([header, *(f"{i}. {line}" for i, line in enumerate(lines, start=1))])


# --- Drafting and editing --------------------------------------------------------------------


def conclusion_draft(*, cycle: Cycle, body: Organisation, direction: str, actor) -> Conclusion:
    """Draft version 1 of the body's conclusion on ``direction`` from its stored scores.

    Idempotent: an existing version 1 is returned as it is. The assessor of the evaluating body
    (or the head of its unit) drafts; for the block (annex 15) the Agency's services people,
    once the three direction conclusions are final. "Выводы и рекомендации" start with the
    re-verification findings (p.21).
    """
    direction = D(direction)
    existing = Conclusion.objects.filter(
        cycle=cycle, body=body, direction=direction, version=1
    ).first()
    if existing is not None:
        return existing
    annex = annex_for(direction, body)
    evaluator = evaluator_for(
        body, "services" if direction == D.BLOCK else direction, cycle
    )
    if evaluator is None:
        raise DomainError(_("Этот орган не оценивается по этому направлению."), code="scope")
    probe = Conclusion(cycle=cycle, body=body, direction=direction, evaluator=evaluator,
                       annex=annex)
    _require(actor, "write", probe)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=body.pk).first()
        existing = Conclusion.objects.filter(
            cycle=cycle, body=body, direction=direction, version=1
        ).first()
        if existing is not None:
            return existing
        if direction == D.BLOCK:
            sheet, values = None, _block_values(cycle, body, actor)
        else:
            sheet = _sheet_for(cycle, body, direction, actor)
            values = _values(direction, sheet)
        now = clock.now()
        conclusion = Conclusion.objects.create(
            cycle=cycle, body=body, direction=direction, version=1, annex=annex,
            evaluator=evaluator, score_sheet=sheet, values=values,
            analysis={code: "" for code in CRITERIA[annex]},
            recommendations=_recommendations_from_findings(cycle, body, direction),
            created_by=actor, created_at=now, updated_at=now,
        )
        audit_record(actor=actor, obj=conclusion, action="conclusion_draft",
                     changes={"values": (None, values)},
                     reason=_("Проект заключения сформирован из рассчитанных баллов"))
    return conclusion


def conclusion_update(
    *, conclusion: Conclusion, actor, analysis: dict, recommendations: str, revision: int
) -> Conclusion:
    """Save the assessor's analysis per criterion and "Выводы и рекомендации" (draft only).

    ``revision`` is the one the editor loaded: if someone saved in between, the edit is refused
    (nothing is overwritten) and the page shows the newer text.
    """
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "write", c)
        if c.state != S.DRAFT:
            raise _state_refused(c, _("изменить заключение"))
        if int(revision) != c.revision:
            raise DomainError(
                _("Заключение уже изменено другим пользователем (%(who)s): обновите страницу, "
                  "ваши изменения не сохранены.")
                % {"who": _last_editor(c)},
                code="conflict",
            )
        unknown = sorted(set(analysis) - set(CRITERIA[c.annex]))
        if unknown:
            raise DomainError(_("Неизвестные критерии: %(codes)s") % {"codes": ", ".join(unknown)})
        new_analysis = {code: (analysis.get(code, c.analysis.get(code, "")) or "").strip()
                        for code in CRITERIA[c.annex]}
        new_recommendations = (recommendations or "").strip()
        changes = {}
        if new_analysis != c.analysis:
            changes["analysis"] = (c.analysis, new_analysis)
        if new_recommendations != c.recommendations:
            changes["recommendations"] = (c.recommendations, new_recommendations)
        if not changes:
            return c
        c.analysis = new_analysis
        c.recommendations = new_recommendations
        c.revision += 1
        c.updated_at = clock.now()
        c.save(update_fields=["analysis", "recommendations", "revision", "updated_at"])
        audit_record(actor=actor, obj=c, action="conclusion_edit", changes=changes)
        _discard_previews(c)
    return c


def _last_editor(c: Conclusion) -> str:
    from django.contrib.contenttypes.models import ContentType

    from assessments.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Conclusion), object_id=c.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return str(entry.actor) if entry and entry.actor else "—"


def _discard_previews(c: Conclusion) -> None:
    """Draft previews show the text as it was; after an edit they are rendered anew."""
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    RenderedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Conclusion), subject_id=c.pk, draft=True
    ).delete()


# --- Review -----------------------------------------------------------------------------------


def _missing_analysis(c: Conclusion) -> list[str]:
    return [code for code in CRITERIA[c.annex] if not (c.analysis.get(code) or "").strip()]


def conclusion_submit(*, conclusion: Conclusion, actor) -> Conclusion:
    """draft → in_review: the assessor hands the conclusion to the head of the unit, who is
    notified. Refused while an analysis or "Выводы и рекомендации" is empty."""
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "write", c)
        if c.state != S.DRAFT:
            raise _state_refused(c, _("направить заключение на рассмотрение"))
        missing = _missing_analysis(c)
        if missing:
            raise DomainError(
                _("Заполните анализ по критериям: %(codes)s.") % {"codes": ", ".join(missing)},
                code="incomplete",
            )
        if not c.recommendations.strip():
            raise DomainError(_("Заполните раздел «Выводы и рекомендации»."), code="incomplete")
        c.submit(by=actor, description=_("Направлено на рассмотрение"))
        c.submitted_by = actor
        c.updated_at = clock.now()
        c.save()
        notify(_reviewers(c), _("Заключение ожидает рассмотрения: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_return(*, conclusion: Conclusion, actor, comments: str) -> Conclusion:
    """in_review → draft: the head of the unit returns it with comments (required); the
    assessor is notified."""
    comments = (comments or "").strip()
    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "review", c)
        if c.state != S.IN_REVIEW:
            raise _state_refused(c, _("вернуть заключение на доработку"))
        if not comments:
            raise DomainError(_("Укажите замечания: что нужно доработать."), code="comments")
        c.send_back(by=actor, description=comments)
        c.review_comments = comments
        c.updated_at = clock.now()
        c.save()
        notify([c.submitted_by] if c.submitted_by else _writers(c),
               _("Заключение возвращено на доработку: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_approve(*, conclusion: Conclusion, actor) -> Conclusion:
    """in_review → approved: the head of the unit approves; the content is locked, the final PDF
    is rendered in the background and the signatories are notified."""
    from reporting.tasks import render_document

    with transaction.atomic():
        c = _lock(conclusion)
        _require(actor, "review", c)
        if c.state != S.IN_REVIEW:
            raise _state_refused(c, _("согласовать заключение"))
        c.approve(by=actor, description=_("Согласовано"))
        c.approved_by = actor
        c.review_comments = ""
        c.updated_at = clock.now()
        document = _document(c, draft=False, requested_by=actor, queue=False)
        c.rendered_document = document
        c.save()
        if document.state != document.State.RENDERED:
            transaction.on_commit(lambda: render_document.delay(document.pk))
        notify(_signatories(c), _("Заключение ожидает подписи: %(c)s") % {"c": c}, _link(c))
    return c


# --- Documents --------------------------------------------------------------------------------


def document_kind(c: Conclusion) -> str:
    return f"annex{c.annex}"


def _document(c: Conclusion, *, draft: bool, requested_by, language: str = "ru",
              queue: bool = True, render_now: bool = False):
    from assessments.conclusions import documents as conclusion_documents  # noqa: F401  (registers the providers)
    from reporting.services import document_request

    if queue or render_now:
        return document_request(
            kind=document_kind(c), subject=c, version=c.version, language=language, draft=draft,
            requested_by=requested_by, render_now=render_now,
        )
    # Only the row: the caller queues the task itself.
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    document, _created = RenderedDocument.objects.get_or_create(
        kind=document_kind(c), subject_type=ContentType.objects.get_for_model(c), subject_id=c.pk,
        version=c.version, language=language, draft=draft,
        defaults={"requested_by": requested_by},
    )
    return document


def conclusion_preview(*, conclusion: Conclusion, actor, language: str = "ru"):
    """A preview PDF at any state, marked "проект" on every page; rendered in the background
    (idempotent: the same text gives the same stored file)."""
    _require(actor, "view", conclusion)
    if language not in ("ru", "kk", "en"):
        language = "ru"
    with transaction.atomic():
        return _document(conclusion, draft=True, requested_by=actor, language=language)


# --- Signature --------------------------------------------------------------------------------


def _signatories(c: Conclusion) -> list:
    """The people who may sign ``c``'s block (every holder of each slot's role)."""
    from assessments.conclusions.signing import slot_holders

    people = {}
    for _role, _position, holders in slot_holders(c):
        for user in holders:
            people[user.pk] = user
    return list(people.values())


def _require_automation_signed(c: Conclusion) -> None:
    """Annex 5 feeds criterion 3 of annex 3: annex 3 is signed after annex 5 is, with the same
    K3 (METHODOLOGY.md §7)."""
    automation = (
        Conclusion.objects.filter(cycle=c.cycle, body=c.body, direction=D.AUTOMATION)
        .exclude(state=S.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    if automation is None or automation.state not in SIGNED_OR_LATER:
        raise DomainError(
            _("Заключение по приложению 3 подписывается после подписания заключения по "
              "критерию «Автоматизация государственных услуг» (приложение 5)."),
            code="annex5_first",
        )
    if automation.values.get("K3") != c.values.get("K3"):
        raise DomainError(
            _("Балл по критерию «Автоматизация государственных услуг» (%(here)s) не совпадает "
              "с подписанным заключением по приложению 5 (%(there)s).")
            % {"here": c.values.get("K3"), "there": automation.values.get("K3")},
            code="annex5_mismatch",
        )


def sign_blocker(c: Conclusion) -> str:
    """Why ``c`` may not be signed yet regardless of who asks ("" when nothing blocks it)."""
    if c.annex != 3 or c.state != S.APPROVED:
        return ""
    try:
        _require_automation_signed(c)
    except DomainError as exc:
        return exc.message
    return ""


def conclusion_sign(*, conclusion: Conclusion, user, passphrase: str) -> Conclusion:
    """Add ``user``'s PAdES signature in the seed's order (approved → signed after the last).

    The first signature freezes the approved version's PDF (rendered now if the background
    rendering has not finished); each signature is verified intact and trusted before it is
    stored. Annex 3 waits for its annex 5. Signing errors (``SigningError``) come from the
    signing service with their own messages.
    """
    from reporting.signing.blocks import signature_block
    from reporting.signing.services import signed_document_freeze, signed_document_sign

    with transaction.atomic():
        c = _lock(conclusion)
        _require(user, "sign", c)
        if c.state != S.APPROVED:
            raise _state_refused(c, _("подписать заключение"))
        if c.annex == 3:
            _require_automation_signed(c)
        document = c.signed_document
        if document is None:
            rendered = _document(c, draft=False, requested_by=user, render_now=True)
            document = signed_document_freeze(
                rendered_document=rendered,
                signatories=signature_block(c.annex),
                title=str(c),
                created_by=user,
            )
            c.rendered_document = rendered
            c.signed_document = document
            c.save(update_fields=["rendered_document", "signed_document"])
        # The signing service calls conclusion_signature_recorded (its hook) in this transaction.
        signed_document_sign(
            signed_document=document, user=user, passphrase=passphrase,
            reason=_("Подписание заключения"),
        )
    return Conclusion.objects.get(pk=c.pk)


def conclusion_signature_recorded(*, conclusion: Conclusion, signature, complete: bool) -> None:
    """The signing service's hook, after each signature of a conclusion's document, in its
    transaction (whichever page signed): the conclusion must be approved and, for annex 3, its
    annex 5 signed — otherwise the signature is undone; after the last one, approved → signed."""
    from reporting.signing.errors import SigningRefused

    c = _lock(conclusion)
    try:
        if c.state != S.APPROVED:
            raise _state_refused(c, _("подписать заключение"))
        if c.annex == 3:
            _require_automation_signed(c)
    except DomainError as exc:
        raise SigningRefused(exc.message)
    c.updated_at = clock.now()
    if complete:
        c.complete_signing(by=signature.signer, description=_("Подписано всеми подписантами"))
        c.save()
        notify(_writers(c), _("Заключение подписано и готово к направлению органу: %(c)s")
               % {"c": c}, _link(c))
    else:
        c.save(update_fields=["updated_at"])
        audit_record(actor=signature.signer, obj=c, action="conclusion_signature",
                     changes={"signatures": (signature.order - 1, signature.order)},
                     reason=signature.printed_name)
        notify(_signatories(c), _("Заключение ожидает следующей подписи: %(c)s") % {"c": c},
               _link(c))


# --- Issue and the window --------------------------------------------------------------------


def _recipients(c: Conclusion) -> list:
    """Who receives the issued conclusion: the body (p.109); annex 5 goes to the Agency
    (the services evaluator of the body), p.24."""
    if c.direction == D.AUTOMATION:
        agency = evaluator_for(c.body, "services", c.cycle)
        return _people(agency.pk, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                       direction="services") if agency else []
    return _body_staff(c)


def issue_blocker(c: Conclusion) -> str:
    """Why ``c`` may not be issued yet ("" when it may): a corrected version goes to the body
    together with its objection's completed table, signed by the commission's chair (p.115)."""
    if not c.supersedes_id:
        return ""
    from appeals.services import correction_issue_blocker

    return correction_issue_blocker(c)


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
        if c.state != S.SIGNED:
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
            if old.state == S.UNDER_APPEAL:
                _supersede(old, actor=actor, by=c)
        notify(_recipients(c), text, _link(c))
        if c.supersedes_id:
            # p.115: the completed disagreement table goes to the body with the correction.
            from appeals.services import correction_issued

            correction_issued(correction=c, actor=actor)
    return c


def conclusion_finalise(*, conclusion: Conclusion, actor=None, reason: str) -> Conclusion:
    """issued | under_appeal → final.

    From ``issued``: the body notified that it has no objections (its staff, while the window is
    open, p.112), or the window has closed with none (anyone; ``actor=None`` for the clock,
    p.111). From ``under_appeal``: every disagreement row was rejected (the commission of the
    evaluating body or an administrator; ``actor=None`` for the appeals service's own jobs)."""
    with transaction.atomic():
        c = _lock(conclusion)
        if c.state == S.ISSUED:
            closed = not window_is_open(c)
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
        elif c.state == S.UNDER_APPEAL:
            if actor is not None:
                _require(actor, "decide", c)
        else:
            raise _state_refused(c, _("сделать заключение окончательным"))
        c.finalise(by=actor, description=reason or _("Заключение стало окончательным"))
        c.finalised_at = c.updated_at = clock.now()
        c.save()
        notify(_body_staff(c) + _writers(c),
               _("Заключение стало окончательным: %(c)s") % {"c": c}, _link(c))
    return c


def conclusion_open_appeal(*, conclusion: Conclusion, actor) -> Conclusion:
    """issued → under_appeal: an objection arrived within the window (p.109). After the window
    the objection is not considered (p.111): refused with the closing date."""
    with transaction.atomic():
        c = _lock(conclusion)
        if actor is not None:
            _require(actor, "object", c)
        if c.state != S.ISSUED:
            raise _state_refused(c, _("обжаловать заключение"))
        if not window_is_open(c):
            raise DomainError(
                _("Срок для возражений истёк %(day)s: возражения после него не рассматриваются "
                  "(п.111).") % {"day": _date(c.objection_deadline)},
                code="window_closed",
            )
        c.open_appeal(by=actor, description=_("Поступили возражения"))
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
        if old.state != S.UNDER_APPEAL:
            raise _state_refused(old, _("подготовить скорректированное заключение"))
        if old.direction == D.BLOCK:
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
    old.supersede(by=actor, description=_("Заменено версией %(v)s") % {"v": by.version})
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
        if c.state == S.SUPERSEDED:
            return c
        if actor is not None:
            _require(actor, "correct", c)
        if c.state != S.UNDER_APPEAL:
            raise _state_refused(c, _("заменить заключение"))
        if correction.state not in DELIVERED_STATES:
            raise DomainError(
                _("Заключение заменяется, когда скорректированная версия направлена органу."),
                code="correction_not_issued",
            )
        _supersede(c, actor=actor, by=correction)
    return c


def conclusion_windows_close(*, today: date | None = None) -> list[Conclusion]:
    """The clock's job: issued conclusions whose window's last day has passed become final
    (p.111). Idempotent; each conclusion in its own transaction."""
    today = today or clock.today()
    done = []
    for pk in Conclusion.objects.filter(
        state=S.ISSUED, objection_deadline__lt=today
    ).values_list("pk", flat=True):
        try:
            done.append(conclusion_finalise(
                conclusion=Conclusion(pk=pk), actor=None,
                reason=_("Срок для возражений истёк без возражений (п.111)"),
            ))
        except DomainError:
            continue
    return done


# --- What a page offers -------------------------------------------------------------------------


def conclusion_actions(user, c: Conclusion) -> frozenset[str]:
    """The actions ``user`` may take on ``c`` now (its role and the state), for the pages."""
    from reporting.signing.services import signing_turn

    out = set()
    state = c.state
    if state == S.DRAFT and access.can(user, "write", c):
        out |= {"edit", "submit"}
    if state == S.IN_REVIEW and access.can(user, "review", c):
        out |= {"approve", "return"}
    if state == S.APPROVED and access.can(user, "sign", c) and not sign_blocker(c):
        if c.signed_document_id is None:
            from assessments.conclusions.signing import holds_slot_role
            from reporting.signing.blocks import SIGNATURE_BLOCKS

            if holds_slot_role(user, c, SIGNATURE_BLOCKS[c.annex][0][0]):
                out.add("sign")
        elif signing_turn(signed_document=c.signed_document, user=user).may_sign:
            out.add("sign")
    if state == S.SIGNED and access.can(user, "issue", c) and not issue_blocker(c):
        out.add("issue")
    return frozenset(out)
