"""Reports: sections saved with conflict detection, and the state machine's transitions
(p.8–11; annex 9). Every transition: atomic → row locked → permission and clock checked →
django-fsm transition → save → StateLog (by, description) → notifications → tasks on commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.people import assigned_assessors, people
from assessments.kernel.transitions import lock
from assessments.models import (
    Cycle,
    Direction,
    Evidence,
    Organisation,
    PublicService,
    Report,
    ReportSection,
    User,
)
from assessments.models.people import BODY_ROLES
from assessments.registry.services.cycles import milestone_due
from assessments.submission.report_schema import (
    COLUMNS,
    SECTIONS_BY_KEY,
    Field,
    Section,
    content_paths,
    sections_for,
)


class SectionInvalid(DomainError):
    """Values that cannot be saved: ``errors = {path: message}`` (``fields.<key>``,
    ``rows.<i>.<column>``, ``rows``)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Исправьте ошибки в выделенных полях."), code="invalid")
        self.errors = errors


class EditConflict(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


# --- Getting a report --------------------------------------------------------------------


def body_kind(body: Organisation) -> str:
    return "central" if body.kind == Organisation.Kind.CENTRAL else "local"


def report_deadline(cycle: Cycle, direction: str) -> date | None:
    """The schedule's submission date for the direction (p.4 График)."""
    return milestone_due(cycle, "submission", direction)


def report_get_or_create(*, cycle: Cycle, body: Organisation, direction: str) -> Report:
    """The body's report of ``direction`` in ``cycle``, created as a draft on first use."""
    report, created = Report.objects.get_or_create(
        cycle=cycle, body=body, direction=direction,
        defaults={"deadline": report_deadline(cycle, direction)},
    )
    return report


# --- Validation of section data ------------------------------------------------------------

_url = URLValidator(schemes=["http", "https"])


def _is_blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, dict):
        return not any(value.get(c) for c in COLUMNS)
    if isinstance(value, list | tuple):
        return not value
    return False


def _check_value(spec: Field, value: Any, services: set[str] | None = None) -> str | None:
    """A message when ``value`` is not a valid value of ``spec`` (blank values are valid).
    ``services``: the active register codes among the section's values, read once per section
    (without it a service code is looked up on its own)."""
    if _is_blank(value):
        return None
    if spec.type == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return _("Введите целое неотрицательное число.")
    elif spec.type == "date":
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return _("Введите дату в формате ДД.ММ.ГГГГ.")
    elif spec.type == "links":
        if not isinstance(value, dict) or set(value) - set(COLUMNS):
            return _("Неверный формат списка ссылок.")
        for column in COLUMNS:
            for number, url in enumerate(value.get(column) or [], start=1):
                try:
                    _url(url)
                except Exception:
                    return _("Строка %(n)s (%(col)s): «%(url)s» — не ссылка http(s).") % {
                        "n": number, "col": column, "url": str(url)[:80]}
    elif spec.type == "url":
        try:
            _url(value)
        except Exception:
            return _("Введите ссылку, начинающуюся с http:// или https://.")
    elif spec.type == "choice":
        if value not in {c[0] for c in spec.choices}:
            return _("Выберите значение из списка.")
    elif spec.type == "service":
        known = (services if services is not None else set(
            PublicService.objects.filter(code=value, active=True).values_list("code", flat=True)))
        if value not in known:
            return _("Услуги с кодом «%(code)s» нет в реестре.") % {"code": value}
    elif spec.type == "text":
        if not isinstance(value, str) or len(value) > 1000:
            return _("Не более 1000 символов.")
    return None


def _relations(pairs, values: dict, prefix: str, labels: dict[str, Any]) -> dict[str, str]:
    errors = {}
    for smaller, larger in pairs:
        a = values.get(smaller)
        bs = [values.get(b) for b in larger]
        if not isinstance(a, int) or any(not isinstance(b, int) for b in bs):
            continue
        if a > sum(bs):
            errors[f"{prefix}{smaller}"] = _("Не может быть больше, чем «%(other)s» (%(n)s).") % {
                "other": " + ".join(str(labels[b]) for b in larger), "n": sum(bs)}
    return errors


def _active_services(section: Section, specs, fields: dict, rows: list) -> set[str]:
    """The active register codes among the section's service values: one query, not one per
    row (a services table lists every service the body renders)."""
    keys = [f.key for f in specs if f.type == "service"]
    columns = [c.key for c in section.table.columns if c.type == "service"] \
        if section.table is not None else []
    codes = {fields.get(k) for k in keys} | {
        row.get(c) for row in rows if isinstance(row, dict) for c in columns}
    codes = {c for c in codes if isinstance(c, str) and c}
    if not codes:
        return set()
    return set(PublicService.objects.filter(code__in=codes, active=True)
               .values_list("code", flat=True))


def section_errors(section: Section, kind: str, data: dict) -> tuple[dict[str, str], list[str]]:
    """``(invalid, missing)``: invalid values (block saving) by path, and required values not yet
    given (block submitting), as the paths of the empty fields."""
    invalid: dict[str, str] = {}
    missing: list[str] = []
    fields = data.get("fields") or {}
    specs = section.fields_for(kind)
    services = _active_services(section, specs, fields, data.get("rows") or [])
    unknown = set(fields) - {f.key for f in specs}
    for key in sorted(unknown):
        invalid[f"fields.{key}"] = _("Неизвестное поле.")
    for spec in specs:
        value = fields.get(spec.key)
        message = _check_value(spec, value, services)
        if message:
            invalid[f"fields.{spec.key}"] = message
        elif spec.required and _is_blank(value):
            missing.append(f"fields.{spec.key}")
    labels = {f.key: f.label for f in specs}
    invalid.update(_relations(section.relations, fields, "fields.", labels))
    if section.table is not None:
        rows = data.get("rows") or []
        columns = section.table.columns
        col_labels = {c.key: c.label for c in columns}
        for index, row in enumerate(rows):
            for column in columns:
                value = row.get(column.key)
                message = _check_value(column, value, services)
                if message:
                    invalid[f"rows.{index}.{column.key}"] = message
                elif column.required and _is_blank(value):
                    invalid[f"rows.{index}.{column.key}"] = _("Обязательное поле.")
            invalid.update(_relations(section.row_relations, row, f"rows.{index}.", col_labels))
        if section.table.key == "services":
            seen: dict[str, int] = {}
            for index, row in enumerate(rows):
                code = row.get("service")
                if code in seen:
                    invalid[f"rows.{index}.service"] = _(
                        "Услуга уже указана в строке %(n)s.") % {"n": seen[code] + 1}
                seen.setdefault(code, index)
        if len(rows) < section.table.min_rows:
            missing.append("rows")
    return invalid, missing


# --- Who is who ----------------------------------------------------------------------------


def body_staff(body: Organisation) -> list[User]:
    """The body's submitters and head whose membership is active today."""
    return people(body.pk, BODY_ROLES)


def report_assessors(report: Report) -> list[User]:
    """The assessors assigned to the report's body and direction in its cycle whose membership
    is active today."""
    return assigned_assessors(cycle_id=report.cycle_id, body_id=report.body_id,
                              directions=[report.direction])


def _link(report: Report) -> str:
    from django.urls import reverse

    return reverse("submission:report_detail", args=[report.pk])


# --- Sections ---------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return lock(report, "body", "cycle")


@transaction.atomic
def report_section_save(
    *, actor, report: Report, key: str, data: dict, expected_version: int | None, reason: str = ""
) -> ReportSection:
    """Save a section's values (p.8–10). Refused when the report is not editable by ``actor``,
    when a value is invalid (:class:`SectionInvalid`, nothing changes) or when someone saved the
    section after ``expected_version`` was read (:class:`EditConflict`)."""
    report = _lock(report)
    section = SECTIONS_BY_KEY.get(key)
    kind = body_kind(report.body)
    if section is None or section.direction != report.direction or not section.applies_to(kind):
        raise DomainError(_("В этом отчёте нет такого раздела."))
    access.require(actor, "edit", report)
    invalid, missing = section_errors(section, kind, data)
    if invalid:
        raise SectionInvalid(invalid)
    row, _created = ReportSection.objects.select_for_update().get_or_create(report=report, key=key)
    if expected_version is not None and row.version != expected_version:
        who = row.updated_by or _("другой пользователь")
        when = row.updated_at.astimezone(clock.ZONE) if row.updated_at else None
        raise EditConflict(
            _("Раздел уже изменил(а) %(who)s в %(when)s, пока вы его редактировали. Ваши "
              "изменения не сохранены и остались в форме: откройте раздел заново и внесите их.")
            % {"who": who, "when": when.strftime("%H:%M") if when else "—"}
        )
    if report.state == Report.State.RETURNED:
        report.reopen(by=actor, description=_("Доработка после возврата"))
        report.save()
    if row.data == data and row.version:
        return row
    before = row.data
    row.data = data
    row.complete = not missing
    row.version += 1
    row.updated_at = clock.now()
    row.updated_by = actor
    row.save()
    audit_record(actor=actor, obj=report, action=f"section:{key}",
                 changes={key: (before, data)}, reason=reason)
    return row


@dataclass(frozen=True)
class ElementState:
    """One section of the report as it stands: ``status`` is ``missing`` (none of its required
    content: an element missing, a fact when submitted so), ``partial`` (some required content
    or a required document not given: the body confirms it, no fact) or ``complete``;
    ``items`` say what is not filled. ``element`` is False for a section the schema does not
    require (it may be partial, never missing)."""

    section: Section
    status: str
    items: tuple[str, ...]
    element: bool

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return str(self.section.title)


def _present(data: dict, path: str) -> bool:
    if path == "rows":
        return bool(data.get("rows"))
    return not _is_blank((data.get("fields") or {}).get(path.split(".", 1)[1]))


def report_elements(report: Report) -> list[ElementState]:
    """Each section of the report with what is missing from it (p.18): the required sections
    not filled at all are missing elements; the empty required values of filled ones and the
    documents required and not attached make them partial."""
    kind = body_kind(report.body)
    stored = {row.key: row for row in report.sections.all()}
    docs = set(
        Evidence.objects.filter(report=report, is_current=True,
                                check_state=Evidence.CheckState.ACCEPTED).values_list(
            "section_key", "indicator"
        )
    )
    result: list[ElementState] = []
    for section in sections_for(report.direction, kind):
        row = stored.get(section.key)
        data = (row.data if row is not None else {}) or {}
        if not any(_present(data, path) for path in content_paths(section, kind)):
            if section.required:
                result.append(ElementState(section, "missing", (
                    _("Раздел «%(s)s» не заполнен.") % {"s": section.title},), True))
            else:
                result.append(ElementState(section, "complete", (), False))
            continue
        items: list[str] = []
        _invalid, empty = section_errors(section, kind, data)
        labels = {f"fields.{f.key}": f.label for f in section.fields_for(kind)}
        for path in empty:
            if path == "rows":
                items.append(_("Раздел «%(s)s»: нет ни одной строки таблицы «%(t)s».") % {
                    "s": section.title, "t": section.table.label})
            else:
                items.append(_("Раздел «%(s)s»: не заполнено поле «%(f)s».") % {
                    "s": section.title, "f": labels.get(path, path)})
        fields = data.get("fields") or {}
        for count_key, indicator, _label, message in section.evidence_when:
            if (fields.get(count_key) or 0) > 0 and (section.key, indicator) not in docs:
                items.append(_("Раздел «%(s)s»: %(m)s") % {"s": section.title, "m": message})
        result.append(ElementState(section, "partial" if items else "complete", tuple(items),
                                   section.required))
    return result


def report_missing(report: Report) -> list[str]:
    """What keeps the report from being complete, as sentences: the required sections not
    filled (missing elements), the empty required values of filled ones, the documents required
    and not attached (p.18). The body may still submit after confirming them."""
    return [item for state in report_elements(report) for item in state.items]


# --- Transitions -------------------------------------------------------------------------


class ReportIncomplete(DomainError):
    """The report lacks something and the body has not confirmed submitting it so: ``missing``
    names the elements that would become incompleteness facts (2 points each, p.18),
    ``partial`` what is not filled in the others (no fact)."""

    def __init__(self, missing: list[str], partial: list[str]) -> None:
        parts = []
        if missing:
            parts.append(_("Нет элементов отчёта (каждый — факт неполной информации, 2 балла, "
                           "п.18): %(items)s.") % {"items": "; ".join(missing)})
        if partial:
            parts.append(_("Не заполнено: %(items)s") % {"items": " ".join(partial)})
        parts.append(_("Подтвердите представление отчёта в таком виде."))
        super().__init__(" ".join(parts), code="confirm_missing")
        self.missing = missing
        self.partial = partial


@transaction.atomic
def report_submit(*, actor, report: Report, confirm_missing: bool = False) -> Report:
    """Submit (p.8–11): the body's head, or a submitter where the body allows it. A report that
    lacks something is refused with the list (:class:`ReportIncomplete`) unless the body
    confirms it (``confirm_missing``); then each missing element becomes an incompleteness fact
    of this version of the report (p.18), recorded and announced. After the schedule's deadline
    accepted but marked late with the number of days (lateness is judged on the first
    submission; a resubmission after a return keeps it)."""
    from assessments.submission.services.incompleteness import facts_record

    report = _lock(report)
    if report.state != Report.State.DRAFT:
        raise DomainError(_("Представить можно только черновик отчёта."))
    access.require(actor, "submit", report)
    elements = report_elements(report)
    missing = [e for e in elements if e.status == "missing"]
    partial = [item for e in elements if e.status == "partial" for item in e.items]
    if (missing or partial) and not confirm_missing:
        raise ReportIncomplete([e.title for e in missing], partial)
    today = clock.today()
    report.deadline = report_deadline(report.cycle, report.direction)
    if report.first_submitted_on is None:
        report.first_submitted_on = today
        if report.deadline and today > report.deadline:
            report.late = True
            report.late_days = (today - report.deadline).days
    description = _("Представлен") if not report.late else _(
        "Представлен с нарушением срока (%(d)s), просрочка %(n)s дн.") % {
        "d": report.deadline.strftime("%d.%m.%Y"), "n": report.late_days}
    if missing or partial:
        description = f"{description}. " + _("Подтверждено представление без: %(items)s") % {
            "items": "; ".join([e.title for e in missing] + partial)}
    replaces_closure = report.closed_at is not None
    report.submit(by=actor, description=description[:2000])
    report.version += 1  # the number of this submission (annex 9 keeps it; p.18 facts)
    report.submitted_at = clock.now()
    report.submitted_on = today
    report.submitted_by = actor
    report.save()
    text = _("Отчёт «%(r)s» представлен.") % {"r": report}
    if report.late:
        text += " " + _("С нарушением срока на %(n)s дн.") % {"n": report.late_days}
    notify(body_staff(report.body) + report_assessors(report), text, _link(report))
    facts_record(report=report, sections=[e.section for e in missing], actor=actor,
                 origin="submission")
    if replaces_closure:
        schedule_assembly(report.cycle_id, report.body_id)
    return report


@transaction.atomic
def report_start_review(*, actor, report: Report) -> Report:
    report = _lock(report)
    if report.state != Report.State.SUBMITTED:
        raise DomainError(_("Рассмотрение можно начать только по представленному отчёту."))
    access.require(actor, "review", report)
    report.start_review(by=actor, description=_("Рассмотрение начато"))
    report.review_started_at = clock.now()
    report.reviewer = actor
    report.save()
    notify(body_staff(report.body), _("Отчёт «%(r)s» принят на рассмотрение.") % {"r": report},
           _link(report))
    return report


@transaction.atomic
def report_return(*, actor, report: Report, comments: dict[str, str], comment: str = "") -> Report:
    """Return for rework with a comment for each section concerned (at least one, all
    non-empty); the body edits and submits again."""
    report = _lock(report)
    if report.state != Report.State.UNDER_REVIEW:
        raise DomainError(_("Вернуть можно только отчёт на рассмотрении."))
    access.require(actor, "review", report)
    comments = {k: (v or "").strip() for k, v in comments.items() if (v or "").strip()}
    kind = body_kind(report.body)
    keys = {s.key for s in sections_for(report.direction, kind)}
    if not comments:
        raise DomainError(_("Укажите замечания хотя бы по одному разделу."), code="comments")
    unknown = set(comments) - keys
    if unknown:
        raise DomainError(_("В этом отчёте нет разделов: %(k)s.") % {"k": ", ".join(unknown)})
    for key in keys:
        row, _c = ReportSection.objects.get_or_create(report=report, key=key)
        if row.return_comment != comments.get(key, ""):
            row.return_comment = comments.get(key, "")
            row.save(update_fields=["return_comment"])
    summary = "; ".join(f"{SECTIONS_BY_KEY[k].title}: {v}" for k, v in sorted(comments.items()))
    report.return_for_rework(by=actor, description=summary[:2000])
    report.returned_times += 1
    report.return_comment = comment
    report.save()
    audit_record(actor=actor, obj=report, action="return", changes={"comments": (None, comments)},
                 reason=comment)
    notify(body_staff(report.body),
           _("Отчёт «%(r)s» возвращён на доработку: %(c)s") % {"r": report, "c": summary[:600]},
           _link(report))
    return report


@transaction.atomic
def report_accept(*, actor, report: Report) -> Report:
    """Accept (locks the data) and schedule the body's scoring input to be assembled."""
    report = _lock(report)
    if report.state != Report.State.UNDER_REVIEW:
        raise DomainError(_("Принять можно только отчёт на рассмотрении."))
    access.require(actor, "review", report)
    report.accept(by=actor, description=_("Принят"))
    report.accepted_at = clock.now()
    report.accepted_by = actor
    report.save()
    ReportSection.objects.filter(report=report).exclude(return_comment="").update(
        return_comment=""
    )
    notify(body_staff(report.body) + report_assessors(report),
           _("Отчёт «%(r)s» принят.") % {"r": report}, _link(report))
    schedule_assembly(report.cycle_id, report.body_id)
    if report.direction == Direction.OPENNESS:
        # annex 9: the report as accepted, kept with this version (rendered after commit)
        from assessments.submission.documents import annex9_request

        annex9_request(report, requested_by=actor)
    return report


def schedule_assembly(cycle_id: int, body_id: int) -> None:
    """Assemble the body's scoring input after the current transaction commits."""

    from assessments.kernel.jobs import job_enqueue
    from assessments.scores.tasks import assemble_scoring_input

    job_enqueue(assemble_scoring_input, cycle_id, body_id)  # the outbox: sent on commit


def require_actor(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied


# --- Closing a report never submitted (p.18) -------------------------------------------------


@transaction.atomic
def report_close_not_submitted(*, actor, report: Report, reason: str) -> Report:
    """After the direction's submission deadline the evaluating body's unit head closes a report
    the body has not submitted ("не представлен"), with a reason: every element of it counts
    missing (an incompleteness fact each, p.18), the body and the assessors are told, and the
    assessment goes on from what the system holds (the assembly runs; what no source holds is
    listed on the scoring-input page for the assessor to enter with its source)."""
    from assessments.submission.services.incompleteness import facts_record

    report = _lock(report)
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise DomainError(_("Закрыть как не представленный можно только отчёт, который орган не "
                            "представил (черновик или возвращённый)."), code="state")
    access.require(actor, "close", report)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Укажите причину закрытия."), code="reason")
    deadline = report_deadline(report.cycle, report.direction)
    if deadline is None or clock.today() <= deadline:
        raise DomainError(
            _("Срок представления отчёта ещё не прошёл (%(d)s): закрыть его как не "
              "представленный можно после срока.")
            % {"d": deadline.strftime("%d.%m.%Y") if deadline else "—"}, code="deadline")
    report.close_not_submitted(by=actor, description=reason[:2000])
    report.version += 1
    report.deadline = deadline
    report.closed_reason = reason
    report.closed_at = clock.now()
    report.closed_by = actor
    report.save()
    audit_record(actor=actor, obj=report, action="close_not_submitted",
                 changes={"state": ("draft", "not_submitted")}, reason=reason)
    notify(body_staff(report.body) + report_assessors(report),
           _("Отчёт «%(r)s» закрыт как не представленный: %(reason)s. Все элементы отчёта "
             "считаются неполной информацией (п.18); оценка проводится по данным, которые есть "
             "в системе.") % {"r": report, "reason": reason[:600]},
           _link(report))
    kind = body_kind(report.body)
    from assessments.submission.report_schema import element_sections

    facts_record(report=report, sections=element_sections(report.direction, kind), actor=actor,
                 origin="closure")
    schedule_assembly(report.cycle_id, report.body_id)
    return report


def _conclusion_drafted(report: Report) -> bool:
    from assessments.models import Conclusion

    return Conclusion.objects.filter(cycle_id=report.cycle_id, body_id=report.body_id,
                                     direction=report.direction).exists()


@transaction.atomic
def report_reopen_submission(*, actor, report: Report, reason: str) -> Report:
    """The unit head reopens a report closed as not submitted — until a conclusion on its
    direction is drafted. The report is a draft again; the closure's facts count until the body
    submits (a late report then replaces the closure: its own missing elements are counted)."""
    report = _lock(report)
    if report.state != Report.State.NOT_SUBMITTED:
        raise DomainError(_("Открыть заново можно только отчёт, закрытый как не представленный."),
                          code="state")
    access.require(actor, "close", report)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Укажите причину."), code="reason")
    if _conclusion_drafted(report):
        raise DomainError(_("Заключение по этому направлению уже сформировано: отчёт больше не "
                            "открывается."), code="conclusion_drafted")
    report.reopen_submission(by=actor, description=reason[:2000])
    report.save()
    audit_record(actor=actor, obj=report, action="reopen_submission",
                 changes={"state": ("not_submitted", "draft")}, reason=reason)
    notify(body_staff(report.body) + report_assessors(report),
           _("Отчёт «%(r)s» снова открыт для представления: %(reason)s. Представленный отчёт "
             "заменит закрытие.") % {"r": report, "reason": reason[:600]},
           _link(report))
    return report
