"""Filing objections (p.109–112; annex 14 as filed): the objection window, the evaluator's
conclusion prefilled per row, the late filing refused and recorded, the filing itself with the
table signed by the body's head, documents attached to rows, and the "no objections" notice.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from appeals import rules
from appeals.models import (
    DisagreementRow,
    NoObjectionNotice,
    Objection,
    ObjectionRefusal,
    ObjectionState,
    RowDocument,
)
from appeals.services.common import (
    HEAD_POSITION,
    ProposedValueError,
    _body_staff,
    _commission_people,
    _conclusion_link,
    _date,
    _evaluator_people,
    _link,
    _lock,
    _require,
    value_problem,
)
from appeals.services.handover import _after_final
from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.transitions import lock
from assessments.models import Conclusion, ConclusionDirection, ConclusionState, RefusedUpload
from assessments.submission.services import quarantine
from reporting.signing.errors import SigningRefused
from reporting.signing.services import Complete, SigningStep

# --- The window (p.109, p.111, p.112) ---------------------------------------------------------


def services_conclusion_of(conclusion: Conclusion) -> Conclusion | None:
    """The body's services conclusion version 1 (annex 3) of ``conclusion``'s cycle."""
    return (Conclusion.objects.select_related("cycle", "body", "evaluator")
            .filter(cycle_id=conclusion.cycle_id, body_id=conclusion.body_id,
                    direction=ConclusionDirection.SERVICES, version=1).first())


def automation_conclusion_of(conclusion: Conclusion) -> Conclusion | None:
    """The body's automation conclusion version 1 (annex 5) of ``conclusion``'s cycle."""
    return (Conclusion.objects.select_related("cycle", "body", "evaluator")
            .filter(cycle_id=conclusion.cycle_id, body_id=conclusion.body_id,
                    direction=ConclusionDirection.AUTOMATION, version=1).first())


def window_carrier(conclusion: Conclusion) -> Conclusion | None:
    """The conclusion in whose window objections to ``conclusion`` are filed: itself, except
    the automation conclusion (annex 5), which the digital-government ministry sends to the
    Agency and which opens no window of its own — its score K3 reaches the body in the services
    conclusion (annex 3), so its objections are filed within that conclusion's window (version
    1, p.109). None when that conclusion does not exist (yet)."""
    if conclusion.direction != ConclusionDirection.AUTOMATION:
        return conclusion
    if conclusion.version != 1:
        return None
    return services_conclusion_of(conclusion)


def objection_window(conclusion: Conclusion, moment: datetime | None = None) -> dict[str, Any]:
    """The objection window of ``conclusion``: ``{"last_day", "closes_at", "open",
    "time_left"}`` (``rules.TimeLeft``). Only version 1 of a direction conclusion has one,
    from its receipt (issue); annex 5 (version 1) has that of the body's annex 3, which prints
    its score (``window_carrier``); annex 15 and corrected versions have none (p.115) — then
    every value is None / False."""
    carrier = window_carrier(conclusion)
    last_day = carrier.objection_deadline if carrier is not None else None
    if last_day is None or not carrier.has_window:
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
    "automation": (("automation", "K3"),),
}
# Where each table's scoring-input paths live: the automation criterion's inputs are the
# services section's ``automation`` part (METHODOLOGY.md §3).
INPUT_PREFIX = {"automation": "services."}
AUTOMATION_PATH = "services.automation"


def _is_automation_path(path: str) -> bool:
    return path == AUTOMATION_PATH or path.startswith(AUTOMATION_PATH + ".") or path.startswith(
        AUTOMATION_PATH + "[")


_CODE = re.compile(r"(?<![A-Za-z0-9])([KPR][1-7]|K3)(?![0-9])")


def _criterion_of(conclusion: Conclusion, text: str) -> str | None:
    codes = set((conclusion.analysis or {}).keys()) | {
        k for k in (conclusion.values or {}) if _CODE.fullmatch(k)}
    text = (text or "").strip()
    prefix = INPUT_PREFIX.get(conclusion.direction, f"{conclusion.direction}.")
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
    from reporting.annexes.formatting import number

    values = conclusion.values or {}
    code = _criterion_of(conclusion, subject_or_path)
    if code is None:
        final = values.get("final") or conclusion.headline_score
        return (_("Итоговая оценка по направлению: %(score)s.") % {"score": number(str(final))}
                if final else "")
    # the codes repeat across directions (P1, P2 …): the conclusion's own direction names them
    names = {"openness": labels.OPENNESS_LABELS, "complaints": labels.COMPLAINTS_LABELS}.get(
        conclusion.direction, labels.SERVICES_LABELS)
    name = names.get(code, code)
    text = f"{code}. {name}"
    if values.get(code) not in (None, ""):
        # printed as the annexes print it: a decimal comma ("46,88")
        text += " — " + _("%(score)s балла") % {"score": number(str(values[code]))}
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
    carrier = window_carrier(c)
    deadline = carrier.objection_deadline if carrier is not None else None
    if deadline is None or rules.is_open(deadline):
        raise DomainError(_("Срок для возражений не истёк."), code="window_open")
    message = _late_message(deadline)
    _record_refusal(c, actor, deadline, message)
    return message


_PATH = re.compile(r"^[a-z_]+(\.[A-Za-z0-9_]+|\[\d+\])+$")


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
        automation = conclusion.direction == ConclusionDirection.AUTOMATION
        if path and (not _PATH.match(path) or (
                automation and not _is_automation_path(path)) or (not automation and not (
                    path.startswith(f"{conclusion.direction}.")
                    or path.startswith(f"penalties.{conclusion.direction}.")))):
            raise DomainError(
                _("Строка %(n)s: показатель «%(path)s» не относится к направлению заключения.")
                % {"n": number, "path": path}, code="rows")
        if not automation and (_is_automation_path(path) or (
                conclusion.direction == ConclusionDirection.SERVICES
                and _criterion_of(conclusion, path or subject) == "K3")):
            raise DomainError(
                _("Строка %(n)s: критерий «Автоматизация государственных услуг» (K3) оценивает "
                  "Министерство цифрового развития (приложение 5): возражения по нему подаются "
                  "отдельной таблицей разногласий в это министерство (п.109).") % {"n": number},
                code="automation_row")
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


def _check_document(*, actor, obj, upload, original_name: str, classification: str):
    """The checks that are safe in the web request (classification, real size, type by
    content, an archive's directory): a refusal is recorded on ``obj`` (audit, the list for
    administrators) and raised. The content is read later, in quarantine (issue 16)."""
    return quarantine.spool_checked(ROW_DOCUMENTS, actor=actor, subject=obj, upload=upload,
                                    original_name=original_name, classification=classification)


def _store_document(row: DisagreementRow, spooled, *, actor, original_name: str,
                    classification: str) -> RowDocument:
    """Stored in quarantine (seen by its uploader only) and queued for its check."""
    spooled, file_type = spooled
    document = RowDocument(
        row=row, original_name=(original_name or "document")[:255], file_type=file_type,
        classification=classification, uploaded_by=actor, uploaded_at=clock.now(),
    )
    return quarantine.store(ROW_DOCUMENTS, document, spooled, actor=actor)


def _row_document_link(document: RowDocument) -> str:
    return _link(document.row.objection)


def _row_document_file(document: RowDocument) -> str:
    from django.urls import reverse

    return reverse("appeals:row_document", args=[document.pk])


def _row_document_accepted(document: RowDocument, actor) -> None:
    """A document left quarantine: the commission and the evaluator may read it now."""
    o = document.row.objection
    notify(_evaluator_people(o.evaluator_id, o.direction) + _commission_people(o),
           _("К возражению приложен документ (строка %(n)s): %(name)s.")
           % {"n": document.row.number, "name": document.original_name}, _link(o))


ROW_DOCUMENTS = quarantine.register(quarantine.Kind(
    key="appeal", model=RowDocument, purpose=RefusedUpload.Purpose.APPEAL,
    task="appeals.tasks.row_document_check", subject=lambda d: d.row.objection,
    body_id=lambda d: d.row.objection.body_id, link=_row_document_link,
    lock=lambda d: _lock(d.row.objection), download=_row_document_file,
    accepted=_row_document_accepted, action="appeal_document",
))


# --- The table as filed: drawn up, signed in two phases, filed by the completed signature ----
#
# The window is judged at the moment the head's signature of the table is *completed* (p.109:
# the body "направляет" its objections within five working days — an unsigned table is not
# sent). A table drawn up awaits its head's signature (``awaiting_signature``); a later table
# replaces it (``withdrawn``); once the window has closed, an unsigned table ``lapsed`` with the
# reason, recorded as a refused filing (p.111). docs/appeals.md, "The window".


class FilingLate(SigningRefused):
    """The head's signature completed after the window: refused (the signing hook raises it, so
    the signature is undone); the service then lapses the table and records the refusal."""

    def __init__(self, deadline: date | None) -> None:
        super().__init__(_late_message(deadline))
        self.deadline = deadline


def _lapse_message(deadline: date | None) -> str:
    return _("Таблица разногласий не подписана руководителем органа до окончания срока для "
             "возражений (последний день — %(day)s): возражения не направлены и не "
             "рассматриваются (п.111).") % {"day": _date(deadline)}


def _carrier_or_refuse(c: Conclusion) -> Conclusion:
    """The conclusion whose window ``c``'s objections are filed in, or the refusal."""
    carrier = window_carrier(c)
    if c.direction == ConclusionDirection.AUTOMATION and (
            carrier is None or not carrier.has_window or carrier.objection_deadline is None):
        raise DomainError(
            _("Возражения по критерию «Автоматизация государственных услуг» подаются в срок для "
              "возражений на первую версию заключения по направлению «Качество оказания "
              "государственных услуг» (приложение 3), в котором выставлен этот балл (п.109)."),
            code="no_window")
    if carrier is None or not carrier.has_window:
        raise DomainError(
            _("На это заключение возражения не подаются: окно для возражений есть только у "
              "первой версии заключения по направлению (п.109, п.115)."), code="no_window")
    return carrier


def _lock_pair(c: Conclusion) -> tuple[Conclusion, Conclusion]:
    """Lock the window's conclusion and ``c`` (annex 3 before annex 5: the issue's order)."""
    if c.direction == ConclusionDirection.AUTOMATION:
        carrier = lock(window_carrier(c))
        return lock(c), carrier
    c = lock(c)
    return c, c


def _filing_checks(c: Conclusion, carrier: Conclusion) -> None:
    """Under the locks of ``_lock_pair``: may an objection to ``c`` be filed now? ``_Late``
    after the window."""
    if Objection.objects.lodged().filter(conclusion=c).exists():
        raise DomainError(_("Возражения на это заключение уже поданы."), code="exists")
    if NoObjectionNotice.objects.filter(conclusion=carrier).exists():
        raise DomainError(
            _("Орган уже уведомил об отсутствии возражений: заключение окончательное."),
            code="no_objection")
    if c.direction == ConclusionDirection.AUTOMATION and c.state != ConclusionState.FINAL:
        raise DomainError(
            _("Возражения подаются на подписанное и направленное заключение по критерию "
              "«Автоматизация государственных услуг» (приложение 5)."), code="state")
    if carrier.state not in (ConclusionState.ISSUED, ConclusionState.UNDER_APPEAL,
                             ConclusionState.FINAL) or carrier.objection_deadline is None:
        raise DomainError(_("Возражения подаются на направленное органу заключение."),
                          code="state")
    if not rules.is_open(carrier.objection_deadline):
        raise _Late(carrier.objection_deadline)


def _withdraw_unsigned(c: Conclusion, actor, reason: str) -> None:
    """Tables of ``c`` drawn up and never signed are withdrawn (a later filing or the notice
    replaces them): logged with who and why; their preparations can no longer complete."""
    for o in Objection.objects.select_for_update().awaiting().filter(conclusion=c):
        o.withdraw(by=actor, description=reason)
        o.closed_reason = reason
        o.updated_at = clock.now()
        o.save()
        audit_record(actor=actor, obj=o, action="objection_withdraw",
                     changes={"state": ("awaiting_signature", "withdrawn")}, reason=reason)


def _draw_up(c: Conclusion, carrier: Conclusion, actor, cleaned: list[dict],
             checked: list) -> Objection:
    """Under the locks: the table drawn up and awaiting its head's signature — rows, documents,
    annex 14 version 1 rendered and frozen with the head's slot."""
    from appeals.documents import DOCUMENT_KIND, FILED_VERSION
    from reporting.services import document_request
    from reporting.signing.roles import Signatory
    from reporting.signing.services import signed_document_freeze

    _filing_checks(c, carrier)
    now = clock.now()
    objection = Objection(
        cycle=c.cycle, body=c.body, direction=c.direction, conclusion=c, evaluator=c.evaluator,
        created_at=now, filed_by=actor, updated_at=now,
    )
    _withdraw_unsigned(c, actor, str(_("Заменены новой таблицей разногласий, составленной "
                                       "%(when)s.") % {"when": _date(now)}))
    objection.save()
    made = {}
    for row in cleaned:
        made[row["number"]] = DisagreementRow.objects.create(objection=objection, **row)
    for doc, check in checked:
        _store_document(made[int(doc["row"])], check, actor=actor,
                        original_name=doc.get("original_name", ""),
                        classification=doc["classification"])
    audit_record(actor=actor, obj=objection, action="objection_draw_up",
                 changes={"rows": (None, len(cleaned)), "documents": (None, len(checked))},
                 reason=_("Таблица разногласий составлена и ожидает подписи руководителя "
                          "органа"))
    rendered = document_request(kind=DOCUMENT_KIND, subject=objection, version=FILED_VERSION,
                                requested_by=actor, render_now=True)
    objection.filed_document = rendered
    objection.filed_signed_document = signed_document_freeze(
        rendered_document=rendered,
        signatories=[Signatory(user=actor, role="", position=HEAD_POSITION)],
        title=str(_("Таблица разногласий (как направлена органом): %(o)s") % {"o": objection}),
        created_by=actor,
    )
    objection.save(update_fields=["filed_document", "filed_signed_document"])
    return objection


FILING_REASON = "Возражения на заключение (п.109)"


def _sign(o: Objection, user, passphrase: SigningStep):
    from reporting.signing.services import signed_document_sign

    return signed_document_sign(signed_document=o.filed_signed_document, user=user,
                                passphrase=passphrase, reason=str(_(FILING_REASON)))


def _record_lapse(objection_id: int, actor, deadline: date | None) -> Objection:
    """Its own transaction: an unsigned table whose window has closed ``lapsed`` (logged with
    the reason), and the refused filing recorded on its conclusion (p.111). Idempotent."""
    message = _lapse_message(deadline)
    with transaction.atomic():
        o = _lock(Objection(pk=objection_id))
        if o.state != ObjectionState.AWAITING_SIGNATURE:
            return o
        o.lapse(by=actor if getattr(actor, "pk", None) else None, description=message)
        o.closed_reason = message
        o.updated_at = clock.now()
        o.save()
        refusal = ObjectionRefusal.objects.create(
            conclusion=o.conclusion, attempted_by=o.filed_by, attempted_at=clock.now(),
            deadline=deadline, message=message,
        )
        audit_record(actor=actor, obj=o, action="objection_lapse",
                     changes={"state": ("awaiting_signature", "lapsed")}, reason=message)
        audit_record(actor=actor, obj=o.conclusion, action="objection_refused",
                     changes={"refusal": (None, refusal.pk)}, reason=message)
        notify([o.filed_by], message, _link(o), key=f"appeals:lapsed:{o.pk}")
    return o


def objection_lapse_if_due(objection: Objection, *, actor=None) -> Objection:
    """An unsigned table whose window has closed lapses (``_record_lapse``); any other is
    returned as it is. The pages call it before showing the table, the hourly job for all."""
    o = Objection.objects.select_related("conclusion").get(pk=objection.pk)
    if o.state != ObjectionState.AWAITING_SIGNATURE:
        return o
    carrier = window_carrier(o.conclusion)
    deadline = carrier.objection_deadline if carrier is not None else None
    if deadline is not None and rules.is_open(deadline):
        return o
    return _record_lapse(o.pk, actor, deadline)


def objections_lapse_job() -> dict:
    """Beat (with the reminders): every table still awaiting signature after its window lapses
    with the reason, so none hangs. Returns ``{"lapsed": n}``."""
    lapsed = 0
    for pk in Objection.objects.awaiting().values_list("pk", flat=True):
        o = objection_lapse_if_due(Objection(pk=pk))
        lapsed += o.state == ObjectionState.LAPSED
    return {"lapsed": lapsed}


def objection_file(*, conclusion: Conclusion, actor, rows: list[dict],
                   passphrase: SigningStep | None = None,
                   documents: list[dict] | None = None) -> Objection:
    """The body's head draws up and signs the disagreement table (annex 14, version 1) to version
    1 of a direction conclusion within its window (p.109): the table's ``rows`` (``subject``,
    ``objection_text``, optional ``input_path``, ``proposed_value``, ``evaluator_conclusion`` —
    prefilled from the conclusion when not given) and supporting ``documents`` (``[{"row":
    number, "upload": bytes | file, "original_name", "classification"}]``, each checked like
    evidence). The table is rendered and frozen for the head's signature (``awaiting_signature``;
    an earlier unsigned table of the conclusion is withdrawn). ``passphrase`` says how it is
    signed (``reporting.signing.services.signed_document_sign``):

    * a string — the demo signer: both phases in this transaction, so the objection is filed
      on return, and a wrong passphrase or a missing credential (``SigningError``) keeps nothing;
    * ``Prepare()`` — phase one (NCALayer): the table and the preparation are kept, the
      browser completes with ``objection_filed_sign``;
    * ``None`` — drawn up only: signed later on its sign page (``objection_filed_sign``).

    Only the completed signature files it (``objection_filed_signature_recorded``): the
    conclusion goes under appeal, the evaluating body is notified, the decision is due 15
    calendar days after the day of arrival. After the window (p.111) the filing is refused with
    the closing date in the message, and the refusal is recorded (``ObjectionRefusal`` and an
    audit entry) in its own transaction, so it stays although the filing failed."""
    if isinstance(passphrase, Complete):
        raise ValueError("complete a drawn-up table with objection_filed_sign")
    c = Conclusion.objects.select_related("cycle", "body", "evaluator").get(pk=conclusion.pk)
    _require(actor, "file_objection", c)
    carrier = _carrier_or_refuse(c)
    cleaned = _clean_rows(c, rows)
    documents = list(documents or [])
    for doc in documents:
        if not 1 <= int(doc.get("row", 0)) <= len(cleaned):
            raise DomainError(_("Документ приложен к несуществующей строке."), code="rows")
    try:
        if carrier.objection_deadline is not None and not rules.is_open(
                carrier.objection_deadline):
            raise _Late(carrier.objection_deadline)
        # Documents get their cheap checks before the transaction (a refusal is recorded and
        # stays, nothing is filed); their content is checked in quarantine after the table is
        # drawn up, which never waits for it: the window is the law's (p.111).
        checked = []
        try:
            for doc in documents:
                checked.append((doc, _check_document(
                    actor=actor, obj=c, upload=doc["upload"],
                    original_name=doc.get("original_name", ""),
                    classification=doc.get("classification", ""))))
            with transaction.atomic():
                c, carrier = _lock_pair(c)
                objection = _draw_up(c, carrier, actor, cleaned, checked)
                if passphrase is not None:
                    _sign(objection, actor, passphrase)
        finally:
            for _doc, (spooled, _type) in checked:
                spooled.discard()
    except (_Late, FilingLate) as late:
        message = _late_message(late.deadline)
        _record_refusal(Conclusion.objects.get(pk=c.pk), actor, late.deadline, message)
        raise DomainError(message, code="window_closed")
    return Objection.objects.get(pk=objection.pk)


def objection_filed_sign(*, objection: Objection, user, passphrase: SigningStep):
    """The head signs the table they drew up (``awaiting_signature``), in two phases like every
    signature: ``Prepare()`` (refused once the window has closed), then ``Complete(...)``, whose
    verified signature files the objection if the window is still open at that moment; or the
    demo passphrase (both phases). A table whose window has closed lapses instead, with the
    reason, and the refused filing is recorded (``DomainError`` ``window_closed``). Returns what
    ``signed_document_sign`` returns (the preparation or the signature)."""
    o = Objection.objects.select_related("conclusion").get(pk=objection.pk)
    c = Conclusion.objects.select_related("cycle", "body", "evaluator").get(pk=o.conclusion_id)
    _require(user, "file_objection", c)
    carrier = window_carrier(c)
    deadline = carrier.objection_deadline if carrier is not None else None
    if o.state == ObjectionState.AWAITING_SIGNATURE and (
            deadline is None or not rules.is_open(deadline)):
        _record_lapse(o.pk, user, deadline)
        raise DomainError(_lapse_message(deadline), code="window_closed")
    try:
        with transaction.atomic():
            c, carrier = _lock_pair(c)
            o = _lock(o)
            if o.state != ObjectionState.AWAITING_SIGNATURE:
                raise DomainError(o.closed_reason or str(
                    _("Эта таблица разногласий не ожидает подписи: «%(state)s».")
                    % {"state": o.get_state_display()}), code="state")
            return _sign(o, user, passphrase)
    except FilingLate as late:
        _record_lapse(o.pk, user, late.deadline)
        raise DomainError(_lapse_message(late.deadline), code="window_closed")


def objection_filed_signature_recorded(signed_document, signature, *, complete: bool) -> bool:
    """The signing hook of annex 14 version 1 (the table as filed), in the signature's
    transaction however it was signed: the completed, verified signature of the table's head
    files the objection — if the window is open at this moment (else ``FilingLate``: the
    signature is undone) and nothing has filed or closed it meanwhile — ``awaiting_signature →
    filed`` (logged), the conclusion under appeal, the decision due in 15 calendar days (p.114),
    the evaluating body and the body's staff notified. False when it is not such a table."""
    from assessments.conclusions.services import conclusion_open_appeal

    o = (Objection.objects.select_for_update(of=("self",))
         .filter(filed_signed_document_id=signed_document.pk).first())
    if o is None:
        return False
    if o.state != ObjectionState.AWAITING_SIGNATURE:
        raise SigningRefused(o.closed_reason or str(
            _("Эта таблица разногласий не ожидает подписи: «%(state)s».")
            % {"state": o.get_state_display()}))
    signer = signature.signer
    c, carrier = _lock_pair(Conclusion.objects.select_related("cycle", "body").get(
        pk=o.conclusion_id))
    if not access.can(signer, "file_objection", c):
        raise SigningRefused(_("У вас нет права на это действие с возражениями."))
    try:
        _filing_checks(c, carrier)
    except _Late as late:
        raise FilingLate(late.deadline)
    except DomainError as refused:
        raise SigningRefused(refused.message)
    # The services conclusion goes under appeal with the first table filed in its window — its
    # own or the automation criterion's (annex 3 prints K3); the second finds it under appeal.
    if carrier.state != ConclusionState.UNDER_APPEAL:
        conclusion_open_appeal(conclusion=carrier, actor=signer)
    now, today = clock.now(), clock.today()
    o.filed_at, o.filed_on, o.decision_due = now, today, rules.decision_due(today)
    o.updated_at = now
    o.file(by=signer, description=_("Таблица разногласий подписана руководителем органа и "
                                    "направлена (п.109)"))
    o.save()
    audit_record(actor=signer, obj=o, action="objection_file",
                 changes={"rows": (None, o.rows.count()),
                          "documents": (None, RowDocument.objects.filter(
                              row__objection=o).count())},
                 reason=_("Возражения поступили; решение — до %(day)s (п.114)")
                 % {"day": _date(o.decision_due)})
    text = _("Поступили возражения на заключение: %(c)s. Решение специальной комиссии — "
             "до %(day)s (п.114).") % {"c": c, "day": _date(o.decision_due)}
    notify(_evaluator_people(c.evaluator_id, c.direction) + _commission_people(o), text,
           _link(o))
    notify(_body_staff(c.body_id), _("Возражения приняты к рассмотрению: %(c)s.") % {"c": c},
           _link(o))
    return True


def row_document_add(*, row: DisagreementRow, actor, upload, original_name: str,
                     classification: str) -> RowDocument:
    """Attach a supporting document to a row while the objection is ``filed`` (the body's
    staff). The cheap checks here (type by content, real size, declared classification; a
    refusal audited and listed); the document then waits in quarantine — seen by its uploader
    only — for ``appeals.tasks.row_document_check`` (its stamps, p.16; issue 16)."""
    row = DisagreementRow.objects.select_related("objection").get(pk=row.pk)
    _require(actor, "documents", row.objection)
    checked = _check_document(actor=actor, obj=row.objection, upload=upload,
                              original_name=original_name, classification=classification)
    try:
        with transaction.atomic():
            o = _lock(row.objection)
            _require(actor, "documents", o)
            document = _store_document(row, checked, actor=actor, original_name=original_name,
                                       classification=classification)
            audit_record(actor=actor, obj=o, action="objection_document",
                         changes={f"row.{row.number}": (None, f"{document.original_name} "
                                                              f"{document.sha256[:12]}")})
    finally:
        checked[0].discard()
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
        if c.state != ConclusionState.ISSUED:
            raise DomainError(
                _("Уведомление направляется на заключение, ожидающее возражений; заключение в "
                  "состоянии «%(state)s».") % {"state": c.get_state_display()}, code="state")
        if not rules.is_open(c.objection_deadline):
            raise DomainError(_late_message(c.objection_deadline), code="window_closed")
        notice = NoObjectionNotice.objects.create(conclusion=c, body=c.body, sent_by=actor,
                                                  sent_at=clock.now())
        # Tables drawn up and never signed are not sent: the notice closes them (and annex 5's,
        # whose objections are filed in this window).
        reason = str(_("Не направлены: орган уведомил об отсутствии возражений (п.112)."))
        _withdraw_unsigned(c, actor, reason)
        annex5 = (automation_conclusion_of(c)
                  if c.direction == ConclusionDirection.SERVICES else None)
        if annex5 is not None:
            _withdraw_unsigned(annex5, actor, reason)
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


# --- What the conclusion's page offers ----------------------------------------------------------


def conclusion_appeal_actions(user, conclusion: Conclusion) -> frozenset[str]:
    """On the conclusion's page: ``"object"`` and ``"no_objection"`` while the window is open
    (the body's head), ``"late"`` once it has closed with none (a filing would be refused and
    recorded). On a central body's annex 3 also ``"object_automation"`` while the window is
    open and its annex 5 has no objection yet (the separate table to the digital-government
    ministry, filed on the annex 5's page); on that annex 5 (version 1) ``"object"`` and
    ``"late"`` follow annex 3's window."""
    c = conclusion
    carrier = window_carrier(c)
    if carrier is None or not carrier.has_window or carrier.objection_deadline is None or (
            not access.can(user, "file_objection", c)):
        return frozenset()
    if NoObjectionNotice.objects.filter(conclusion=carrier).exists():
        return frozenset()
    automation = c.direction == ConclusionDirection.AUTOMATION
    is_open = rules.is_open(carrier.objection_deadline)
    out = set()
    if not Objection.objects.lodged().filter(conclusion=c).exists():
        if automation and c.state != ConclusionState.FINAL:
            return frozenset()
        if is_open and carrier.state in (ConclusionState.ISSUED, ConclusionState.UNDER_APPEAL):
            out.add("object")
            if carrier.state == ConclusionState.ISSUED and not automation:
                out.add("no_objection")
        elif not is_open and carrier.state in (ConclusionState.ISSUED, ConclusionState.FINAL,
                                               ConclusionState.UNDER_APPEAL):
            out.add("late")
    if not automation and c.annex == 3 and is_open and c.state in (
            ConclusionState.ISSUED, ConclusionState.UNDER_APPEAL):
        annex5 = automation_conclusion_of(c)
        if annex5 is not None and annex5.state == ConclusionState.FINAL and (
                not Objection.objects.lodged().filter(conclusion=annex5).exists()):
            out.add("object_automation")
    return frozenset(out)
