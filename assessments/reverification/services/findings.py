"""Findings (p.17–20): recording, changing and withdrawing facts, and completing them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock
from assessments.models import (
    ConfirmingDocument,
    DocumentRequest,
    Finding,
    Reverification,
    SystemCheck,
)
from assessments.reverification.services.act import fact_points, reverification_deduction
from assessments.reverification.services.common import (
    EditConflict,
    _lock,
    _require_open,
    _require_work,
)

# --- Findings (p.17–20) --------------------------------------------------------------------------


class InvalidFinding(DomainError):
    """``errors = {field: message}``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Исправьте ошибки в выделенных полях."), code="invalid")
        self.errors = errors


def _finding_errors(rv: Reverification, *, kind, description, report_section, origin, source_url,
                    document, system_check) -> dict[str, str]:
    errors = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = _("Выберите вид факта.")
    if not (description or "").strip():
        errors["description"] = _("Опишите факт.")
    if not (report_section or "").strip():
        errors["report_section"] = _("Укажите раздел отчётной информации, которого касается "
                                     "факт.")
    if origin not in Finding.Origin.values:
        errors["origin"] = _("Укажите, где представлена информация.")
    elif origin == Finding.Origin.PUBLISHED and not (source_url or "").strip():
        errors["source_url"] = _("Для размещённой органом информации укажите ссылку (п.17).")
    if document is not None and document.request.reverification_id != rv.pk:
        errors["document"] = _("Документ относится к другой перепроверке.")
    elif document is not None and document.check_state != ConfirmingDocument.CheckState.ACCEPTED:
        errors["document"] = _("Документ ещё проверяется или не принят: сослаться можно только "
                               "на принятый документ.")
    if system_check is not None and system_check.reverification_id != rv.pk:
        errors["system_check"] = _("Просмотр относится к другой перепроверке.")
    return errors


@transaction.atomic
def finding_record(
    *, actor, reverification: Reverification, kind: str, description: str, report_section: str,
    origin: str = Finding.Origin.SUBMITTED, source_url: str = "",
    document: ConfirmingDocument | None = None, system_check: SystemCheck | None = None,
) -> Finding:
    """Record one fact: untrue information (0.2 points) or a missing annex, section or table of
    the report (2 points), in what the body submitted or published (p.17–20)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    access.require(actor, "change_findings", rv)
    _require_open(rv)
    errors = _finding_errors(rv, kind=kind, description=description,
                             report_section=report_section, origin=origin,
                             source_url=source_url, document=document, system_check=system_check)
    if errors:
        raise InvalidFinding(errors)
    now = clock.now()
    finding = Finding.objects.create(
        reverification=rv, kind=kind, description=description.strip(),
        report_section=report_section.strip()[:255], origin=origin,
        source_url=(source_url or "").strip()[:500], document=document,
        system_check=system_check, points=fact_points(rv.cycle.edition)[kind],
        recorded_by=actor, recorded_at=now, updated_at=now,
    )
    audit_record(actor=actor, obj=rv, action="finding_record",
                 changes={f"finding.{finding.pk}": (None, f"{finding.get_kind_display()}: "
                                                          f"{finding.description[:200]}")})
    return finding


@transaction.atomic
def finding_update(
    *, actor, finding: Finding, revision: int, kind: str, description: str, report_section: str,
    origin: str = Finding.Origin.SUBMITTED, source_url: str = "",
) -> Finding:
    """Change a finding; ``revision`` is the one the editor read (a concurrent change is
    reported, never overwritten)."""
    rv = _lock(finding.reverification)
    finding = lock(finding)
    _require_work(actor, rv)
    access.require(actor, "change_findings", rv)
    _require_open(rv)
    if finding.withdrawn_at is not None:
        raise DomainError(_("Факт исключён и не изменяется."), code="state")
    if finding.revision != revision:
        raise EditConflict(
            _("Факт уже изменил другой пользователь: обновите страницу. Ваши изменения не "
              "сохранены.")
        )
    errors = _finding_errors(rv, kind=kind, description=description,
                             report_section=report_section, origin=origin,
                             source_url=source_url, document=None, system_check=None)
    if errors:
        raise InvalidFinding(errors)
    before = {"kind": finding.kind, "description": finding.description,
              "report_section": finding.report_section, "origin": finding.origin,
              "source_url": finding.source_url}
    finding.kind = kind
    finding.description = description.strip()
    finding.report_section = report_section.strip()[:255]
    finding.origin = origin
    finding.source_url = (source_url or "").strip()[:500]
    finding.points = fact_points(rv.cycle.edition)[kind]
    finding.revision += 1
    finding.updated_at = clock.now()
    finding.save()
    changes = {f"finding.{finding.pk}.{k}": (v, getattr(finding, k))
               for k, v in before.items() if v != getattr(finding, k)}
    audit_record(actor=actor, obj=rv, action="finding_update", changes=changes)
    return finding


@transaction.atomic
def finding_withdraw(*, actor, finding: Finding, reason: str) -> Finding:
    """Exclude a finding (kept, marked withdrawn with the reason)."""
    rv = _lock(finding.reverification)
    finding = lock(finding)
    _require_work(actor, rv)
    access.require(actor, "change_findings", rv)
    _require_open(rv)
    if not reason.strip():
        raise DomainError(_("Укажите причину исключения факта."), code="reason")
    if finding.withdrawn_at is not None:
        return finding
    finding.withdrawn_at = clock.now()
    finding.withdrawn_by = actor
    finding.withdrawn_reason = reason[:500]
    finding.revision += 1
    finding.save()
    audit_record(actor=actor, obj=rv, action="finding_withdraw",
                 changes={f"finding.{finding.pk}": (finding.description[:200], None)},
                 reason=reason)
    return finding


@transaction.atomic
def findings_complete(*, actor, reverification: Reverification, note: str = "") -> Reverification:
    """The assessor has recorded every fact (possibly none): → findings_recorded. Refused while a
    request is still open (withdraw it or wait for the answer)."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    access.require(actor, "change_findings", rv)
    if rv.state == Reverification.State.FINDINGS_RECORDED:
        return rv
    if rv.state not in (Reverification.State.SELECTED, Reverification.State.DOCUMENTS_REQUESTED,
                        Reverification.State.DOCUMENTS_RECEIVED):
        _require_open(rv)
        raise DomainError(_("Перепроверка не в том состоянии."), code="state")
    if rv.requests.filter(state=DocumentRequest.State.OPEN).exists():
        raise DomainError(
            _("Есть запросы без ответа: дождитесь документов или отзовите запрос."),
            code="open_requests",
        )
    deduction = reverification_deduction(rv)
    rv.record_findings(
        by=actor,
        description=note or _("Зафиксировано фактов: недостоверных %(u)s, неполноты %(i)s")
        % {"u": deduction.unreliable, "i": deduction.incomplete},
    )
    rv.save()
    return rv
