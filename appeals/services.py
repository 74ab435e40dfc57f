"""The appeal procedure (chapter 7, p.109–122; annex 14): objections, the special commission's
sittings and decisions, the completed disagreement table, hand-over, checks of results.

    objection_window(conclusion, moment=None) -> dict
    evaluator_conclusion_for(conclusion, subject_or_path) -> str
    objection_file(*, conclusion, actor, rows, passphrase, documents=None) -> Objection
    objection_late_refuse(*, conclusion, actor) -> str              (a POST after the window)
    row_document_add(*, row, actor, upload, original_name, classification) -> RowDocument
    no_objection_notify(*, conclusion, actor) -> NoObjectionNotice
    commission_get_or_create(*, cycle, evaluator, chair, secretary, actor) -> SpecialCommission
    sitting_candidates(objection, user_ids) -> list[Eligibility]
    sitting_convene(*, objection, members, held_on, actor) -> Sitting
    sitting_attendance(*, sitting, present, actor) -> Sitting
    objection_decide(*, objection, actor, rulings, votes) -> Objection
    objection_chair_sign(*, objection, user, passphrase) -> Objection
    objection_acknowledge(*, objection, user, passphrase) -> Objection
    objections_due_job(*, today=None) -> dict                       (beat)
    handovers_job(*, today=None, cycle=None) -> dict                (beat)
    handover_record(*, handover, actor) -> Handover
    block_ready(cycle, body) -> bool
    result_check_open(*, cycle, body, actor, text, lodged_on=None, direction="") -> ResultCheck
    result_check_close(*, check, actor, outcome) -> ResultCheck
    objection_actions(user, objection) -> frozenset[str]            (what a page offers)
    conclusion_appeal_actions(user, conclusion) -> frozenset[str]   (the conclusion's page)
    objection_signature_recorded(signed_document, signature, complete)  (annex 14's hook)
    correction_issue_blocker(correction) -> str                     (conclusion_issue's check)
    correction_issued(*, correction, actor)                         (called by conclusion_issue)

Every write: ``transaction.atomic()`` → lock → permission (``assessments.kernel.access``; the rules
are in ``appeals/access_rules.py``) → state and clock (``DomainError`` with a translated
message) → the fsm transition (django-fsm-log with by/description) → audit → notifications and
tasks on commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from appeals import rules
from appeals.models import (
    AppealDirection,
    DisagreementRow,
    Handover,
    MemberCapacity,
    NoObjectionNotice,
    Objection,
    ObjectionOutcome,
    ObjectionRefusal,
    ObjectionState,
    ResultCheck,
    ResultCheckState,
    RowDecision,
    RowDocument,
    Sitting,
    SittingMember,
    SittingState,
    SpecialCommission,
    Vote,
)
from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import Conclusion, ConclusionState, Membership, Organisation, Role, User
from assessments.models.people import BODY_ROLES

__all__ = [
    "ProposedValueError",
    "block_ready",
    "commission_get_or_create",
    "conclusion_appeal_actions",
    "correction_issue_blocker",
    "correction_issued",
    "evaluator_conclusion_for",
    "handover_record",
    "handovers_job",
    "no_objection_notify",
    "objection_acknowledge",
    "objection_actions",
    "objection_chair_sign",
    "objection_decide",
    "objection_file",
    "objection_late_refuse",
    "objection_signature_recorded",
    "objection_window",
    "objections_due_job",
    "result_check_close",
    "result_check_open",
    "row_document_add",
    "sitting_attendance",
    "sitting_candidates",
    "sitting_convene",
    "value_problem",
]

OS = ObjectionState
CS = ConclusionState
DIRECTIONS = tuple(AppealDirection.values)
CHAIR_POSITION = "Председатель специальной комиссии"
BODY_POSITION = "Представитель оцениваемого государственного органа"
HEAD_POSITION = "Руководитель оцениваемого государственного органа"


# --- Helpers ----------------------------------------------------------------------------------


def _date(day: date | datetime | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _url(name: str, pk: int, fallback: str) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


def _link(o: Objection) -> str:
    return _url("appeals:objection_detail", o.pk, f"/appeals/objections/{o.pk}/")


def _conclusion_link(c: Conclusion) -> str:
    return _url("conclusions:conclusion_detail", c.pk, f"/conclusions/{c.pk}/")


def _people(organisation_id: int | None, roles: Iterable[str], *,
            direction: str | None = None) -> list:
    """Active people holding one of ``roles`` in an organisation (any organisation: None)."""
    today = clock.today()
    memberships = (
        Membership.objects.filter(role__in=list(roles))
        .exclude(active_from__gt=today).exclude(active_to__lt=today)
    )
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    if direction is not None:
        memberships = memberships.filter(direction__in=["", direction])
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
                .order_by("pk"))


def _body_staff(body_id: int) -> list:
    return _people(body_id, BODY_ROLES)


def _body_heads(body_id: int) -> list:
    return _people(body_id, [Role.BODY_HEAD])


def _evaluator_people(evaluator_id: int, direction: str) -> list:
    """The evaluating body's assessors and unit heads on the direction, and its signatories."""
    return _people(evaluator_id, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD],
                   direction=direction) + _people(evaluator_id, [Role.SIGNATORY])


def _coordinators() -> list:
    return _people(None, [Role.COORDINATOR])


def _agency() -> Organisation | None:
    return Organisation.objects.filter(evaluator_role=Organisation.EvaluatorRole.AGENCY).first()


def _commission(o: Objection) -> SpecialCommission | None:
    return SpecialCommission.objects.filter(cycle_id=o.cycle_id,
                                            evaluator_id=o.evaluator_id).first()


def _commission_people(o: Objection) -> list:
    commission = _commission(o)
    if commission is not None:
        return [commission.chair, commission.secretary]
    return _people(o.evaluator_id, [Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY])


def _lock(o: Objection) -> Objection:
    return (Objection.objects.select_for_update()
            .select_related("cycle", "body", "evaluator", "conclusion").get(pk=o.pk))


def _require(user, action: str, obj) -> None:
    if user is None or not access.can(user, action, obj):
        raise PermissionDenied(_("У вас нет права на это действие с возражениями."))


def _state_refused(o: Objection, doing: str) -> DomainError:
    return DomainError(
        _("Нельзя %(doing)s: возражения в состоянии «%(state)s».")
        % {"doing": doing, "state": o.get_state_display()},
        code="state",
    )


def _sitting(o: Objection) -> Sitting | None:
    return Sitting.objects.filter(objection=o).select_related("commission").first()


# --- The window (p.109, p.111, p.112) ---------------------------------------------------------


def objection_window(conclusion: Conclusion, moment: datetime | None = None) -> dict[str, Any]:
    """The objection window of ``conclusion``: ``{"last_day", "closes_at", "open",
    "time_left"}`` (``rules.TimeLeft``). Only version 1 of a direction conclusion has one,
    from its receipt (issue): annexes 5 and 15 and corrected versions have none (p.115) —
    then every value is None / False."""
    last_day = conclusion.objection_deadline
    if last_day is None or not conclusion.has_window:
        return {"last_day": None, "closes_at": None, "open": False, "time_left": None}
    left = rules.time_left(last_day, moment)
    return {"last_day": last_day, "closes_at": left.closes_at, "open": left.is_open,
            "time_left": left}


# Which criterion a scoring-input path belongs to (the seed's criteria; prefill only).
PATH_CRITERIA: dict[str, tuple[tuple[str, str], ...]] = {
    "services": (
        ("satisfaction_levels", "K1"), ("justified_complaints", "K1"), ("late", "K2"),
        ("unjustified_refusals", "K2"), ("incomplete_package", "K2"),
        ("extra_documents", "K2"), ("automation", "K3"),
    ),
    "openness": (
        ("open_data", "P1"), ("open_budget", "P2"), ("open_npa", "P3"),
        ("open_dialogue", "P4"), ("website", "P5"), ("media", "P6"), ("subordinate", "P7"),
    ),
    "complaints": (
        ("handled_late", "R1"), ("handled", "R1"), ("court_upheld", "R2"),
        ("redirected_late", "R3"), ("disciplinary_actions", "R4"), ("excused", "R4"),
    ),
}
_CODE = re.compile(r"(?<![A-Za-z0-9])([KPR][1-7]|K3)(?![0-9])")


def _criterion_of(conclusion: Conclusion, text: str) -> str | None:
    codes = set((conclusion.analysis or {}).keys()) | {
        k for k in (conclusion.values or {}) if _CODE.fullmatch(k)}
    text = (text or "").strip()
    prefix = f"{conclusion.direction}."
    if text.startswith(prefix):
        rest = text[len(prefix):]
        for key, code in PATH_CRITERIA.get(conclusion.direction, ()):
            if (rest == key or rest.startswith(key + ".") or rest.startswith(key + "[")) and (
                    code in codes):
                return code
    for match in _CODE.finditer(text):
        if match.group(1) in codes:
            return match.group(1)
    return None


def evaluator_conclusion_for(conclusion: Conclusion, subject_or_path: str) -> str:
    """The evaluator's conclusion on what a row disputes, to prefill the row: the analysis of
    the criterion named in ``subject_or_path`` (a criterion code such as ``K2``, or a scoring
    input path under it) with its printed score; the direction's score otherwise."""
    from reporting.annexes import labels

    values = conclusion.values or {}
    code = _criterion_of(conclusion, subject_or_path)
    if code is None:
        final = values.get("final") or conclusion.headline_score
        return _("Итоговая оценка по направлению: %(score)s.") % {"score": final} if final else ""
    names = {**labels.SERVICES_LABELS, **labels.OPENNESS_LABELS, **labels.COMPLAINTS_LABELS}
    name = names.get(code, code)
    text = f"{code}. {name}"
    if values.get(code) not in (None, ""):
        text += " — " + _("%(score)s балла") % {"score": values[code]}
    analysis = ((conclusion.analysis or {}).get(code) or "").strip()
    return f"{text}. {analysis}" if analysis else f"{text}."


# --- Filing ------------------------------------------------------------------------------------


class _Late(Exception):
    def __init__(self, deadline: date | None) -> None:
        super().__init__("late")
        self.deadline = deadline


def _late_message(deadline: date | None) -> str:
    return _("Срок для возражений истёк: последний день — %(day)s (до конца дня по времени "
             "Алматы). Возражения после него не рассматриваются (п.111).") % {
        "day": _date(deadline)}


def _record_refusal(conclusion: Conclusion, actor, deadline: date | None, message: str) -> None:
    """Kept in its own transaction: the filing failed, the refusal stays (p.111)."""
    with transaction.atomic():
        refusal = ObjectionRefusal.objects.create(
            conclusion=conclusion, attempted_by=actor if getattr(actor, "pk", None) else None,
            attempted_at=clock.now(), deadline=deadline, message=message,
        )
        audit_record(actor=actor, obj=conclusion, action="objection_refused",
                     changes={"refusal": (None, refusal.pk)}, reason=message)


def objection_late_refuse(*, conclusion: Conclusion, actor) -> str:
    """Record a filing attempted after the window (p.111) — whatever was posted, complete or
    not — and return the refusal's message (with the last day). Refused (``DomainError``)
    while the window is open."""
    c = Conclusion.objects.get(pk=conclusion.pk)
    _require(actor, "file_objection", c)
    if c.objection_deadline is None or rules.is_open(c.objection_deadline):
        raise DomainError(_("Срок для возражений не истёк."), code="window_open")
    message = _late_message(c.objection_deadline)
    _record_refusal(c, actor, c.objection_deadline, message)
    return message


_PATH = re.compile(r"^[a-z_]+(\.[A-Za-z0-9_]+|\[\d+\])+$")


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


def _clean_rows(conclusion: Conclusion, rows: list[dict]) -> list[dict]:
    if not rows:
        raise DomainError(_("Таблица разногласий должна содержать хотя бы одну строку."),
                          code="rows")
    cleaned = []
    for number, row in enumerate(rows, start=1):
        subject = (row.get("subject") or "").strip()
        text = (row.get("objection_text") or "").strip()
        path = (row.get("input_path") or "").strip()
        if not subject or not text:
            raise DomainError(
                _("Строка %(n)s: укажите критерий (показатель) и суть возражения.")
                % {"n": number}, code="rows")
        if path and (not _PATH.match(path) or not (
                path.startswith(f"{conclusion.direction}.")
                or path.startswith(f"penalties.{conclusion.direction}."))):
            raise DomainError(
                _("Строка %(n)s: показатель «%(path)s» не относится к направлению заключения.")
                % {"n": number, "path": path}, code="rows")
        proposed = row.get("proposed_value")
        if path and proposed is not None:
            problem = value_problem(conclusion, path, proposed)
            if problem:
                raise ProposedValueError(
                    _("Строка %(n)s: %(problem)s") % {"n": number, "problem": problem},
                    row=number, field_message=problem)
        prefill = row.get("evaluator_conclusion")
        if prefill is None or not str(prefill).strip():
            prefill = evaluator_conclusion_for(conclusion, path or subject)
        cleaned.append({
            "number": number, "subject": subject, "objection_text": text, "input_path": path,
            "proposed_value": proposed,
            "evaluator_conclusion": str(prefill).strip(),
        })
    return cleaned


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if hasattr(upload, "chunks"):
        return b"".join(upload.chunks())
    return upload.read()


def _check_document(*, actor, obj, upload, original_name: str, classification: str):
    """The evidence rules (p.16); a refusal is audited on ``obj`` and raised."""
    from assessments.submission.services.evidence import DocumentRefused, document_check

    try:
        return document_check(_read(upload), classification=classification)
    except DocumentRefused as refusal:
        with transaction.atomic():
            audit_record(actor=actor, obj=obj, action="appeal_document_refused",
                         changes={"file": (None, (original_name or "")[:255])},
                         reason=refusal.message)
        raise


def _store_document(row: DisagreementRow, checked, *, actor, original_name: str,
                    classification: str) -> RowDocument:
    document = RowDocument(
        row=row, original_name=(original_name or "document")[:255],
        file_type=checked.file_type, size=checked.size, sha256=checked.sha256,
        classification=classification, uploaded_by=actor, uploaded_at=clock.now(),
    )
    name = document.file.field.upload_to(document, original_name)
    if document.file.storage.exists(name):
        document.file.name = name  # the same bytes are stored already: never rewrite them
    else:
        document.file.save(name, ContentFile(checked.content), save=False)
    document.save()
    return document


def _sign_filed_table(objection: Objection, actor, passphrase: str):
    """Annex 14 version 1 as filed: rendered, frozen with the filing head's slot and
    PAdES-signed by them (issue item 2: "signed and filed by the body's head"); the signature
    must verify as intact and trusted."""
    from appeals.documents import DOCUMENT_KIND, FILED_VERSION
    from reporting.services import document_request
    from reporting.signing.roles import Signatory
    from reporting.signing.services import (
        signed_document_freeze,
        signed_document_sign,
        signed_document_verify,
    )

    rendered = document_request(kind=DOCUMENT_KIND, subject=objection, version=FILED_VERSION,
                                requested_by=actor, render_now=True)
    document = signed_document_freeze(
        rendered_document=rendered,
        signatories=[Signatory(user=actor, role="", position=HEAD_POSITION)],
        title=str(_("Таблица разногласий (как направлена органом): %(o)s") % {"o": objection}),
        created_by=actor,
    )
    signed_document_sign(signed_document=document, user=actor, passphrase=passphrase,
                         reason=str(_("Возражения на заключение (п.109)")))
    document.refresh_from_db()
    report = signed_document_verify(document)
    if not report.is_valid_trusted:
        raise DomainError(
            _("Подписанная таблица разногласий не прошла проверку (%(status)s): возражения не "
              "направлены.") % {"status": report.status_text}, code="not_verified")
    return rendered, document


def objection_file(*, conclusion: Conclusion, actor, rows: list[dict], passphrase: str,
                   documents: list[dict] | None = None) -> Objection:
    """The body's head files objections to version 1 of a direction conclusion within its window
    (p.109): the disagreement table's ``rows`` (``subject``, ``objection_text``, optional
    ``input_path``, ``proposed_value``, ``evaluator_conclusion`` — prefilled from the conclusion
    when not given) and supporting ``documents`` (``[{"row": number, "upload": bytes | file,
    "original_name", "classification"}]``, each checked like evidence). The conclusion goes
    under appeal (``conclusion_open_appeal``); the evaluating body is notified; the decision is
    due 15 calendar days after the day of arrival. The table as filed (annex 14, version 1) is
    frozen and PAdES-signed by the filing head with ``passphrase`` (their signing credential);
    a wrong passphrase or a missing credential refuses the filing (``SigningError``), nothing
    is kept.

    After the window (p.111) the filing is refused with the closing date in the message, and the
    refusal is recorded (``ObjectionRefusal`` and an audit entry) in its own transaction, so it
    stays although the filing failed."""
    from assessments.conclusions.services import conclusion_open_appeal

    c = Conclusion.objects.select_related("cycle", "body", "evaluator").get(pk=conclusion.pk)
    _require(actor, "file_objection", c)
    if not c.has_window:
        raise DomainError(
            _("На это заключение возражения не подаются: окно для возражений есть только у "
              "первой версии заключения по направлению (п.109, п.115)."), code="no_window")
    cleaned = _clean_rows(c, rows)
    documents = list(documents or [])
    for doc in documents:
        if not 1 <= int(doc.get("row", 0)) <= len(cleaned):
            raise DomainError(_("Документ приложен к несуществующей строке."), code="rows")
    try:
        if c.objection_deadline is not None and not rules.is_open(c.objection_deadline):
            raise _Late(c.objection_deadline)
        # Documents are checked before the transaction: a refusal is audited and stays.
        checked = [
            (doc, _check_document(actor=actor, obj=c, upload=doc["upload"],
                                  original_name=doc.get("original_name", ""),
                                  classification=doc.get("classification", "")))
            for doc in documents
        ]
        with transaction.atomic():
            c = Conclusion.objects.select_for_update().get(pk=c.pk)
            if Objection.objects.filter(conclusion=c).exists():
                raise DomainError(_("Возражения на это заключение уже поданы."), code="exists")
            if NoObjectionNotice.objects.filter(conclusion=c).exists():
                raise DomainError(
                    _("Орган уже уведомил об отсутствии возражений: заключение окончательное."),
                    code="no_objection")
            if c.state not in (CS.ISSUED, CS.FINAL) or c.objection_deadline is None:
                raise DomainError(
                    _("Возражения подаются на направленное органу заключение."), code="state")
            if not rules.is_open(c.objection_deadline):
                raise _Late(c.objection_deadline)
            conclusion_open_appeal(conclusion=c, actor=actor)
            now = clock.now()
            today = clock.today()
            objection = Objection.objects.create(
                cycle=c.cycle, body=c.body, direction=c.direction, conclusion=c,
                evaluator=c.evaluator, filed_at=now, filed_on=today, filed_by=actor,
                decision_due=rules.decision_due(today), updated_at=now,
            )
            made = {}
            for row in cleaned:
                made[row["number"]] = DisagreementRow.objects.create(objection=objection, **row)
            for doc, check in checked:
                _store_document(made[int(doc["row"])], check, actor=actor,
                                original_name=doc.get("original_name", ""),
                                classification=doc["classification"])
            audit_record(actor=actor, obj=objection, action="objection_file",
                         changes={"rows": (None, len(cleaned)),
                                  "documents": (None, len(checked))},
                         reason=_("Возражения поступили; решение — до %(day)s (п.114)")
                         % {"day": _date(objection.decision_due)})
            objection.filed_document, objection.filed_signed_document = _sign_filed_table(
                objection, actor, passphrase)
            objection.save(update_fields=["filed_document", "filed_signed_document"])
            text = _("Поступили возражения на заключение: %(c)s. Решение специальной комиссии — "
                     "до %(day)s (п.114).") % {"c": c, "day": _date(objection.decision_due)}
            notify(_evaluator_people(c.evaluator_id, c.direction) + _commission_people(objection),
                   text, _link(objection))
            notify(_body_staff(c.body_id),
                   _("Возражения приняты к рассмотрению: %(c)s.") % {"c": c}, _link(objection))
            return objection
    except _Late as late:
        message = _late_message(late.deadline)
        _record_refusal(c, actor, late.deadline, message)
        raise DomainError(message, code="window_closed")


def row_document_add(*, row: DisagreementRow, actor, upload, original_name: str,
                     classification: str) -> RowDocument:
    """Attach a supporting document to a row while the objection is ``filed`` (the body's
    staff). Checked by ``assessments.submission.services.evidence.document_check``: type by
    content, size, declared classification and stamps ("ДСП"/secret refused, p.16); a refusal is
    audited."""
    row = DisagreementRow.objects.select_related("objection").get(pk=row.pk)
    _require(actor, "documents", row.objection)
    checked = _check_document(actor=actor, obj=row.objection, upload=upload,
                              original_name=original_name, classification=classification)
    with transaction.atomic():
        o = _lock(row.objection)
        _require(actor, "documents", o)
        document = _store_document(row, checked, actor=actor, original_name=original_name,
                                   classification=classification)
        audit_record(actor=actor, obj=o, action="objection_document",
                     changes={f"row.{row.number}": (None, f"{document.original_name} "
                                                          f"{checked.sha256[:12]}")})
    return document


def no_objection_notify(*, conclusion: Conclusion, actor) -> NoObjectionNotice:
    """The body notifies that it has no objections (p.112) while the window is open: the
    notice is recorded, the evaluating body is notified and the conclusion becomes final."""
    from assessments.conclusions.services import conclusion_finalise

    with transaction.atomic():
        c = Conclusion.objects.select_for_update().select_related("cycle", "body").get(
            pk=conclusion.pk)
        _require(actor, "file_objection", c)
        if not c.has_window:
            raise DomainError(_("У этого заключения нет срока для возражений (п.115)."),
                              code="no_window")
        if NoObjectionNotice.objects.filter(conclusion=c).exists():
            raise DomainError(_("Уведомление об отсутствии возражений уже направлено."),
                              code="exists")
        if c.state != CS.ISSUED:
            raise DomainError(
                _("Уведомление направляется на заключение, ожидающее возражений; заключение в "
                  "состоянии «%(state)s».") % {"state": c.get_state_display()}, code="state")
        if not rules.is_open(c.objection_deadline):
            raise DomainError(_late_message(c.objection_deadline), code="window_closed")
        notice = NoObjectionNotice.objects.create(conclusion=c, body=c.body, sent_by=actor,
                                                  sent_at=clock.now())
        conclusion_finalise(conclusion=c, actor=actor,
                            reason=_("Орган уведомил об отсутствии возражений (п.112)"))
        audit_record(actor=actor, obj=c, action="no_objection_notice",
                     changes={"notice": (None, notice.pk)})
        notify(_evaluator_people(c.evaluator_id, c.direction),
               _("Орган уведомил об отсутствии возражений на заключение: %(c)s (п.112).")
               % {"c": c}, _conclusion_link(c))
        _after_final(Conclusion.objects.select_related("cycle", "body", "evaluator").get(
            pk=c.pk))
    return notice


# --- The special commission (p.113–115) -----------------------------------------------------


def _is_employee(user, organisation_id: int) -> bool:
    today = clock.today()
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exclude(
        active_from__gt=today).exclude(active_to__lt=today).exists()


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
               _url("appeals:commission_detail", commission.pk,
                    f"/appeals/commissions/{commission.pk}/"))
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
        if o.state not in (OS.FILED, OS.UNDER_CONSIDERATION):
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
        if o.state == OS.FILED:
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
        if o.state != OS.UNDER_CONSIDERATION:
            raise _state_refused(o, _("принять решение"))
        sitting = Sitting.objects.select_for_update().select_related("commission").get(
            objection=o)
        if sitting.state != SittingState.PLANNED:
            raise DomainError(_("Заседание уже проведено."), code="state")
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
        if values:  # an accepted row changes a number: the corrected version
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
        if not values:
            _after_final(Conclusion.objects.get(pk=o.conclusion_id))
    return o


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
        if o.state != OS.DECIDED:
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
        if o.state != OS.SIGNED_BY_CHAIR or o.table_document is None:
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
        if o.state != OS.DECIDED:
            raise SigningRefused(_("Таблица разногласий не ожидает подписи председателя."))
        o.sign_by_chair(by=signer, description=_("Подписано председателем комиссии"))
        o.updated_at = clock.now()
        o.save()
        notify(_body_staff(o.body_id),
               _("Таблица разногласий подписана председателем специальной комиссии (%(o)s). "
                 "%(outcome)s Ознакомьтесь и подпишите.") % {"o": o, "outcome": _table_text(o)},
               _link(o))
        return
    if not complete or o.state != OS.SIGNED_BY_CHAIR:
        raise SigningRefused(_("Таблица разногласий не ожидает подписи органа."))
    o.acknowledge(by=signer, description=_("С итогами обжалования ознакомлен"))
    o.acknowledged_by = signer
    o.updated_at = clock.now()
    o.save()
    commission = _commission(o)
    notify(([commission.chair, commission.secretary] if commission else [])
           + _evaluator_people(o.evaluator_id, o.direction),
           _("Орган ознакомлен с итогами обжалования: %(o)s.") % {"o": o}, _link(o))


def correction_issue_blocker(correction: Conclusion) -> str:
    """Why the corrected conclusion ``correction`` may not be issued yet ("" when it may):
    p.115 sends it to the body together with the completed disagreement table, so its
    objection's table must be signed by the commission's chair first (``signed_by_chair`` or
    ``acknowledged``). A correction that answers no objection is not held."""
    if not correction.supersedes_id:
        return ""
    o = Objection.objects.filter(conclusion_id=correction.supersedes_id).first()
    if o is None or o.state in (OS.SIGNED_BY_CHAIR, OS.ACKNOWLEDGED):
        return ""
    return str(_("Скорректированное заключение направляется органу вместе с таблицей "
                 "разногласий, подписанной председателем специальной комиссии (п.115): "
                 "сначала председатель подписывает таблицу (возражения в состоянии "
                 "«%(state)s»).") % {"state": o.get_state_display()})


def correction_issued(*, correction: Conclusion, actor) -> None:
    """Called by ``conclusion_issue`` when a corrected version is issued (version 1 superseded):
    the body receives the completed disagreement table with it (p.115) — a notification linking
    the objection's table — and the corrected conclusion's hand-over is scheduled."""
    o = (Objection.objects.select_for_update(of=("self",)).select_related("correction")
         .filter(conclusion_id=correction.supersedes_id).first())
    if o is None:
        return
    if o.state not in (OS.SIGNED_BY_CHAIR, OS.ACKNOWLEDGED):  # conclusion_issue checks first
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


# --- Hand-over (p.116–121) and the block ------------------------------------------------------


def handover_route(conclusion: Conclusion) -> tuple[str, bool] | None:
    """``(route text, due after the sitting)`` of a final direction conclusion's hand-over to the
    Agency, or None when the Agency issued it itself (p.121: its own service conclusions feed
    the block conclusion directly)."""
    R = Organisation.EvaluatorRole
    role = conclusion.evaluator.evaluator_role
    if role == R.AGENCY:
        return None
    if role == R.PRESIDENTIAL_ADMINISTRATION:
        return (_("Администрация Президента передаёт окончательное заключение в Агентство для "
                  "формирования заключения по блоку (п.116–117)."), False)
    if role == R.PRIME_MINISTER_OFFICE:
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
    return (Sitting.objects.filter(objection__conclusion_id=original)
            .values_list("held_on", flat=True).first())


def _handover_ensure(conclusion: Conclusion) -> Handover | None:
    """The hand-over row of a final direction conclusion (idempotent). Its due date follows the
    route (``handover_route``): the 5th working day after the commission's sitting (p.119–120);
    without a sitting (no objection), our reading: the 5th working day after the day it became
    final. The Presidential Administration's and the Prime Minister's Office's routes
    (p.116–118) state no term: no due date (no reminder, never overdue), tracked until
    recorded."""
    if conclusion.direction not in DIRECTIONS or conclusion.state != CS.FINAL:
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
        start = held_on or (clock._aware(conclusion.finalised_at).date()
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
        if latest is None or latest.state != CS.FINAL:
            return False
    return True


def _notify_block_ready(cycle, body) -> None:
    agency = _agency()
    if agency is None:
        return
    if Conclusion.objects.filter(cycle=cycle, body=body, direction="block").exists():
        return
    notify(_people(agency.pk, [Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD], direction="services")
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
        state__in=[OS.FILED, OS.UNDER_CONSIDERATION]
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
    finals = (Conclusion.objects.filter(direction__in=DIRECTIONS, state=CS.FINAL,
                                        handover__isnull=True)
              .exclude(evaluator__evaluator_role=Organisation.EvaluatorRole.AGENCY)
              .select_related("cycle", "body", "evaluator"))
    pending = Handover.objects.filter(handed_at__isnull=True)
    final_bodies = Conclusion.objects.filter(direction__in=DIRECTIONS, state=CS.FINAL)
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
        if latest is None or latest.state != CS.FINAL or latest.finalised_at is None:
            return None
        days.append(clock._aware(latest.finalised_at).date())
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
               _url("appeals:result_check", check.pk, f"/appeals/checks/{check.pk}/"))
    return check


def result_check_close(*, check: ResultCheck, actor, outcome: str) -> ResultCheck:
    """The working body records the outcome: ``open → closed``."""
    outcome = (outcome or "").strip()
    with transaction.atomic():
        ch = ResultCheck.objects.select_for_update().get(pk=check.pk)
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
               _url("appeals:result_check", ch.pk, f"/appeals/checks/{ch.pk}/"))
    return ch


# --- What a page offers -----------------------------------------------------------------------


def objection_actions(user, objection: Objection) -> frozenset[str]:
    """The actions ``user`` may take on ``objection`` now, among ``"documents"`` (attach to rows),
    ``"convene"``, ``"attendance"``, ``"decide"``, ``"chair_sign"``, ``"acknowledge"``."""
    from reporting.signing.services import signing_turn

    o = objection
    out = set()
    if access.can(user, "documents", o):
        out.add("documents")
    sitting = _sitting(o) if o.state != OS.FILED else None
    if o.state in (OS.FILED, OS.UNDER_CONSIDERATION) and (
            sitting is None or sitting.state == SittingState.PLANNED) and access.can(
            user, "convene", o):
        out.add("convene")
    if sitting is not None and sitting.state == SittingState.PLANNED and access.can(
            user, "attendance", sitting):
        out.add("attendance")
    if (o.state == OS.UNDER_CONSIDERATION and sitting is not None
            and sitting.state == SittingState.PLANNED and sitting.held_on <= clock.today()
            and access.can(user, "decide", o)):
        out.add("decide")
    if o.state == OS.DECIDED and access.can(user, "chair_sign", o) and (
            o.table_document is None
            or signing_turn(signed_document=o.table_document, user=user).may_sign):
        out.add("chair_sign")
    if o.state == OS.SIGNED_BY_CHAIR and o.table_document is not None and access.can(
            user, "acknowledge", o) and signing_turn(signed_document=o.table_document,
                                                     user=user).may_sign:
        out.add("acknowledge")
    return frozenset(out)


def conclusion_appeal_actions(user, conclusion: Conclusion) -> frozenset[str]:
    """On the conclusion's page: ``"object"`` and ``"no_objection"`` while the window is open
    (the body's head), ``"late"`` once it has closed with none (a filing would be refused and
    recorded)."""
    c = conclusion
    if not c.has_window or c.objection_deadline is None or not access.can(
            user, "file_objection", c):
        return frozenset()
    if Objection.objects.filter(conclusion=c).exists() or NoObjectionNotice.objects.filter(
            conclusion=c).exists():
        return frozenset()
    if c.state == CS.ISSUED and rules.is_open(c.objection_deadline):
        return frozenset({"object", "no_objection"})
    if c.state in (CS.ISSUED, CS.FINAL):
        return frozenset({"late"})
    return frozenset()
