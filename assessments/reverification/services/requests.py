"""Document requests and the body's answers (p.14, p.16): the requests, the confirming
documents the body uploads, the information systems viewed."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.transitions import lock
from assessments.models import (
    Classification,
    ConfirmingDocument,
    DocumentRequest,
    RefusedUpload,
    Reverification,
    SystemCheck,
)
from assessments.models.evidence import REFUSED_CLASSIFICATIONS
from assessments.registry.services.cycles import milestone_due
from assessments.reverification.services.common import (
    _assessors,
    _body_staff,
    _link,
    _lock,
    _require_open,
    _require_work,
)
from assessments.submission.services import quarantine

DEFAULT_REQUEST_WORKING_DAYS = 5
MAX_REQUEST_WORKING_DAYS = 30


# --- Document requests and the body's answers (p.14, p.16) ---------------------------------------


def _classification_refused(classification: str) -> bool:
    return classification in REFUSED_CLASSIFICATIONS


def _stamp_in(text: str) -> str | None:
    from assessments.submission.services.evidence import find_stamp

    return find_stamp(text)


def request_due_on(working_days: int, *, today: date | None = None) -> date:
    """The due date of a request: the ``working_days``-th working day after today."""
    return calendar.add_working_days(today or clock.today(), working_days)


@transaction.atomic
def document_request_create(
    *, actor, reverification: Reverification, document_kind: str, title: str,
    classification: str, report_section: str = "",
    working_days: int = DEFAULT_REQUEST_WORKING_DAYS,
) -> DocumentRequest:
    """Request electronic copies of confirming documents from the body (p.14, p.16), due on the
    ``working_days``-th working day after today (the calendar service).

    A request names a document type whose classification is open: secret and "Для служебного
    пользования" documents are never requested (p.16), nor documents whose title says so.
    """
    rv = _lock(reverification)
    _require_work(actor, rv)
    _require_open(rv)
    if document_kind not in DocumentRequest.DocumentKind.values:
        raise DomainError(_("Выберите вид документа."), code="kind")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Укажите, какие документы запрашиваются."), code="title")
    if classification not in Classification.values:
        raise DomainError(_("Укажите гриф (пометку) документа."), code="classification")
    if _classification_refused(classification):
        raise DomainError(
            _("Документы с грифом секретности или пометкой «Для служебного пользования» не "
              "запрашиваются (п.16)."),
            code="classified",
        )
    stamp = _stamp_in(f"{title} {report_section}")
    if stamp:
        raise DomainError(
            _("Запрос называет документ с пометкой «%(stamp)s»: такие документы не "
              "запрашиваются (п.16).") % {"stamp": stamp},
            code="classified",
        )
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_REQUEST_WORKING_DAYS:
        raise DomainError(
            _("Срок — от 1 до %(n)s рабочих дней.") % {"n": MAX_REQUEST_WORKING_DAYS},
            code="due",
        )
    due_on = request_due_on(working_days)
    deadline = milestone_due(rv.cycle, "reverification", rv.direction)
    if deadline is not None and due_on > deadline:
        raise DomainError(
            _("Срок запроса (%(due)s) позже завершения перепроверки по Графику (%(end)s).")
            % {"due": due_on.strftime("%d.%m.%Y"), "end": deadline.strftime("%d.%m.%Y")},
            code="due",
        )
    request = DocumentRequest.objects.create(
        reverification=rv, document_kind=document_kind, title=title[:500],
        report_section=report_section[:255], classification=classification, due_on=due_on,
        requested_by=actor, requested_at=clock.now(),
    )
    description = _("Запрошены документы: %(title)s, срок %(due)s") % {
        "title": title, "due": due_on.strftime("%d.%m.%Y")}
    if rv.state != Reverification.State.DOCUMENTS_REQUESTED:
        rv.request_documents(by=actor, description=description)
        rv.save()
    audit_record(actor=actor, obj=rv, action="document_request",
                 changes={"request": (None, f"{request.get_document_kind_display()}: {title}"),
                          "due_on": (None, due_on)})
    notify(
        _body_staff(rv),
        _("Уполномоченный орган запросил подтверждающие документы по перепроверке «%(rv)s» "
          "до %(due)s.") % {"rv": rv, "due": due_on.strftime("%d.%m.%Y")},
        _link(rv),
    )
    return request


def _maybe_received(rv: Reverification, actor) -> None:
    """documents_requested → documents_received once no request is open."""
    if rv.state == Reverification.State.DOCUMENTS_REQUESTED and not rv.requests.filter(
        state=DocumentRequest.State.OPEN
    ).exists():
        rv.receive_documents(by=actor, description=_("Ответы на все запросы получены"))
        rv.save()
        notify(_assessors(rv), _("Органом представлены документы по перепроверке «%(rv)s».")
               % {"rv": rv}, _link(rv))


@transaction.atomic
def document_request_withdraw(*, actor, request: DocumentRequest, reason: str) -> DocumentRequest:
    request = lock(request)
    rv = _lock(request.reverification)
    _require_work(actor, rv)
    if request.state != DocumentRequest.State.OPEN:
        raise DomainError(_("Отозвать можно только запрос, ожидающий ответа."), code="state")
    if not reason.strip():
        raise DomainError(_("Укажите причину отзыва запроса."), code="reason")
    request.state = DocumentRequest.State.WITHDRAWN
    request.withdrawn_at = clock.now()
    request.withdrawn_reason = reason[:500]
    request.save(update_fields=["state", "withdrawn_at", "withdrawn_reason"])
    audit_record(actor=actor, obj=rv, action="document_request_withdraw",
                 changes={"request": (str(request), None)}, reason=reason)
    _maybe_received(rv, actor)
    notify(_body_staff(rv), _("Запрос «%(r)s» отозван.") % {"r": request}, _link(rv))
    return request


def confirming_document_upload(
    *, actor, request: DocumentRequest, upload, original_name: str, classification: str,
) -> ConfirmingDocument:
    """The body uploads a document in answer to a request. Checked like evidence (p.16, issue
    16): the cheap checks here (the declared classification, the real size, the type by content,
    an archive's directory; a refusal recorded with its reason), then the document waits in
    quarantine — seen by its uploader only — for the task ``confirming_document_check`` (every
    text read for stamps in a capped subprocess). The request is answered when a document is
    accepted, as of the upload's time; when no request is left open, the documents are
    received."""
    rv = request.reverification
    access.require(actor, "respond", rv)
    spooled, file_type = quarantine.spool_checked(
        CONFIRMING, actor=actor, subject=rv, upload=upload, original_name=original_name,
        classification=classification)
    try:
        with transaction.atomic():
            request = lock(request)
            rv = _lock(request.reverification)
            access.require(actor, "respond", rv)
            if request.state == DocumentRequest.State.WITHDRAWN:
                raise DomainError(_("Запрос отозван: документы по нему не принимаются."),
                                  code="state")
            if not rv.is_open:
                raise DomainError(_("Перепроверка завершена: документы не принимаются."),
                                  code="state")
            document = ConfirmingDocument(
                request=request, original_name=original_name[:255], file_type=file_type,
                classification=classification, uploaded_by=actor, uploaded_at=clock.now(),
            )
            quarantine.store(CONFIRMING, document, spooled, actor=actor)
            audit_record(actor=actor, obj=rv, action="confirming_document_upload",
                         changes={"document": (None, f"{original_name[:120]} "
                                                     f"{spooled.sha256[:12]}")})
            return document
    finally:
        spooled.discard()


def _confirming_accepted(document: ConfirmingDocument, actor) -> None:
    """A document left quarantine: its request is answered (as of the upload) and, once no
    request is open, the documents are received."""
    request = DocumentRequest.objects.select_for_update().get(pk=document.request_id)
    rv = _lock(request.reverification)
    if request.state == DocumentRequest.State.OPEN:
        request.state = DocumentRequest.State.ANSWERED
        request.answered_at = document.uploaded_at
        request.save(update_fields=["state", "answered_at"])
    if rv.is_open:
        _maybe_received(rv, actor or document.uploaded_by)


def _lock_document(document: ConfirmingDocument) -> None:
    lock(document.request)
    _lock(document.request.reverification)


def _rv_link(document: ConfirmingDocument) -> str:
    return _link(document.request.reverification)


def _file_link(document: ConfirmingDocument) -> str:
    from django.urls import reverse

    return reverse("reverification:reverification_document_file", args=[document.pk])


CONFIRMING = quarantine.register(quarantine.Kind(
    key="confirming", model=ConfirmingDocument, purpose=RefusedUpload.Purpose.CONFIRMING,
    task="assessments.tasks.confirming_document_check",
    subject=lambda d: d.request.reverification,
    body_id=lambda d: d.request.reverification.body_id, link=_rv_link, lock=_lock_document,
    download=_file_link, accepted=_confirming_accepted, action="confirming_document",
))


@transaction.atomic
def system_check_record(
    *, actor, reverification: Reverification, system: str, subject: str, result: str,
    checked_on: date | None = None, note: str = "",
) -> SystemCheck:
    """Record a fact checked by viewing an information system (p.14)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    _require_open(rv)
    if not system.strip() or not subject.strip():
        raise DomainError(_("Укажите информационную систему и что проверено."), code="required")
    if result not in SystemCheck.Result.values:
        raise DomainError(_("Укажите результат просмотра."), code="result")
    checked_on = checked_on or clock.today()
    if checked_on > clock.today():
        raise DomainError(_("Дата просмотра не может быть в будущем."), code="date")
    check = SystemCheck.objects.create(
        reverification=rv, system=system.strip()[:255], subject=subject.strip()[:500],
        result=result, note=note, checked_on=checked_on, recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit_record(actor=actor, obj=rv, action="system_check",
                 changes={"system_check": (None, f"{check.system}: {check.subject} — "
                                                 f"{check.get_result_display()}")})
    return check
