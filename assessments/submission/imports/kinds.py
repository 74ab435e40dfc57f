"""The kinds of import files: their columns (the downloadable template), how a row is checked
and what it becomes: ``(row_key, body_id, service_id, day, day_to, data)``.

Bodies are identified by BIN, services by their register code (p.31, p.37). A row's key makes
re-imports idempotent: a later file with the same key updates the row (``ImportRecord``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from assessments.models import ImportKind
from assessments.submission.imports.reasons import reason_text

_EXCEL_EPOCH = date(1899, 12, 30)


class RowError(Exception):
    """A row refused: the column, the reason's code (``reasons.REASONS``) and its parameters
    (JSON: text and numbers). Stored so and put into words when shown, in the reader's language
    (``message``: in the active one)."""

    def __init__(self, column: str, code: str, params: dict | None = None) -> None:
        super().__init__(code)
        self.column = column
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return reason_text(self.code, self.params)


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    example: str
    required: bool = True


@dataclass(frozen=True)
class KindSpec:
    kind: str
    columns: tuple[Column, ...]
    source: str
    note: object = ""

    @property
    def header(self) -> list[str]:
        return [c.key for c in self.columns]


class Lookups:
    """BIN → body id and code → service id, loaded once per file (two queries), and the dates
    already read (a year has few: a file of a million rows parses each date once)."""

    MAX_DAYS = 10_000

    def __init__(self, cycle) -> None:
        from assessments.models import Organisation, PublicService

        self.cycle = cycle
        self.bodies = dict(Organisation.objects.values_list("bin", "pk"))
        self.services = dict(PublicService.objects.values_list("code", "pk"))
        self.year = cycle.year
        self.days: dict[str, tuple[date, str]] = {}  # text → a date of the year, ISO

    def day_and_iso(self, text: str, column: str) -> tuple[date, str]:
        """``parse_day(text, column, year=self.year)`` and its ISO text, remembered."""
        known = self.days.get(text)
        if known is None:
            day = parse_day(text, column, year=self.year)
            known = day, day.isoformat()
            if len(self.days) < self.MAX_DAYS:
                self.days[text] = known
        return known

    def day_of_year(self, text: str, column: str) -> date:
        return self.day_and_iso(text, column)[0]


def parse_day(text: str, column: str, *, year: int | None = None) -> date:
    text = text.strip()
    try:
        if len(text) == 10 and text[4] == "-":
            day = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        elif len(text) == 10 and text[2] == ".":
            day = date(int(text[6:]), int(text[3:5]), int(text[:2]))
        elif text.isdigit() and 4 <= len(text) <= 6:
            day = _EXCEL_EPOCH + timedelta(days=int(text))
        else:
            raise ValueError
    except ValueError:
        raise RowError(column, "date_format")
    if year is not None and day.year != year:
        raise RowError(column, "date_period", {"year": year})
    return day


MAX_COUNT_DIGITS = 12  # a count is at most 999 999 999 999 (the engine's MAX_COUNT)


def parse_count(text: str, column: str) -> int:
    if text.isdigit() and text.isascii() and len(text) <= MAX_COUNT_DIGITS:  # the common case
        return int(text)
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and text.isascii():
        if len(text.lstrip("0")) > MAX_COUNT_DIGITS:
            raise RowError(column, "count_range", {"hi": "999 999 999 999"})
        return int(text)
    if not text:
        raise RowError(column, "required")
    raise RowError(column, "count")


def parse_decimal(text: str, column: str, lo: Decimal, hi: Decimal) -> str:
    if len(text) > 64:
        raise RowError(column, "number_range", {"lo": str(lo), "hi": str(hi)})
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise RowError(column, "number")
    if not value.is_finite() or value < lo or value > hi:
        raise RowError(column, "number_range", {"lo": str(lo), "hi": str(hi)})
    return format(value.normalize(), "f")


def body_of(lookups: Lookups, text: str, column: str = "bin") -> int:
    body_id = lookups.bodies.get(text)
    if body_id is not None:
        return body_id
    text = text.strip()
    body_id = lookups.bodies.get(text)
    if body_id is None:
        if len(text) != 12 or not text.isdigit():
            raise RowError(column, "bin_format")
        raise RowError(column, "bin_unknown", {"bin": text})
    return body_id


def service_of(lookups: Lookups, text: str, column: str = "service_code") -> int:
    service_id = lookups.services.get(text)
    if service_id is not None:
        return service_id
    text = text.strip()
    service_id = lookups.services.get(text)
    if service_id is None:
        raise RowError(column, "service_unknown",
                       {"code": text[:40]})
    return service_id


VIOLATIONS = ("late", "unjustified_refusals", "incomplete_package", "extra_documents")


def _monitoring(row: list[str], lk: Lookups):
    if len(row) < 8:
        raise RowError("", "monitoring_columns")
    bin_, code, day_text, r, a, b, c, d = row if len(row) == 8 else row[:8]
    body_id = body_of(lk, bin_)
    service_id = service_of(lk, code)
    day, iso = lk.day_and_iso(day_text, "date")
    digits = r + a + b + c + d
    if (r and a and b and c and d and digits.isdigit() and digits.isascii()
            and max(len(r), len(a), len(b), len(c), len(d)) <= MAX_COUNT_DIGITS):  # common case
        rendered, late, refusals, incomplete, extra = int(r), int(a), int(b), int(c), int(d)
    else:  # an empty, signed, decimal or foreign-digit cell: the column-by-column reason
        rendered = parse_count(r, "rendered")
        late = parse_count(a, "late")
        refusals = parse_count(b, "unjustified_refusals")
        incomplete = parse_count(c, "incomplete_package")
        extra = parse_count(d, "extra_documents")
    if late > rendered or refusals > rendered or incomplete > rendered or extra > rendered:
        for name, value in zip(VIOLATIONS, (late, refusals, incomplete, extra), strict=True):
            if value > rendered:
                raise RowError(name, "above_rendered")
    data = '{"rendered":%d,"late":%d,"unjustified_refusals":%d,"incomplete_package":%d,' \
           '"extra_documents":%d}' % (rendered, late, refusals, incomplete, extra)
    return f"{bin_.strip()}|{code.strip()}|{iso}", body_id, service_id, day, None, data


def _satisfaction(row, lk):
    body_id = body_of(lk, row[0])
    service_id = service_of(lk, row[1])
    level = parse_decimal(row[2], "level", Decimal(0), Decimal(5))
    return (f"{row[0].strip()}|{row[1].strip()}", body_id, service_id, None, None,
            '{"level":"%s"}' % level)


RESPONSES = {"none": False, "confirmed": False, "disputed": True, "": False,
             "нет ответа": False, "подтвердил": False, "оспорил": True}


def _egov_incidents(row, lk):
    incident = row[0].strip()
    if not incident:
        raise RowError("incident_id", "required")
    body_id = body_of(lk, row[1])
    day = lk.day_of_year(row[2], "date")
    hours = parse_decimal(row[3], "hours", Decimal(0), Decimal(24 * 366))
    response = (row[4] if len(row) > 4 else "").strip().lower()
    if response not in RESPONSES:
        raise RowError("body_response", "response")
    disputed = RESPONSES[response]
    # p.53: where the body does not answer, the recorded downtime counts as confirmed.
    data = '{"hours":"%s","response":"%s","confirmed":%s}' % (
        hours, response or "none", "false" if disputed else "true")
    return incident[:200], body_id, None, day, None, data


def _is_failures(row, lk):
    failure = row[0].strip()
    if not failure:
        raise RowError("failure_id", "required")
    start = parse_day(row[1], "date_from")
    end = parse_day(row[2], "date_to")
    if end < start:
        raise RowError("date_to", "before_start")
    service_id = service_of(lk, row[3]) if len(row) > 3 and row[3].strip() else None
    ref = (row[4] if len(row) > 4 else "").strip().replace("\\", "/").replace('"', "'")[:200]
    if not ref:
        raise RowError("confirmed_by", "confirmed_by")
    # free text: json.dumps escapes what a JSON string may not hold (a tab, a line break)
    return (failure[:200], None, service_id, start, end,
            json.dumps({"confirmed_by": ref}, ensure_ascii=False))


def _survey(field_name):
    def parse(row, lk):
        body_id = body_of(lk, row[0])
        value = parse_decimal(row[1], field_name, Decimal(0), Decimal(100))
        return row[0].strip(), body_id, None, None, None, '{"%s":"%s"}' % (field_name, value)

    return parse


def _inspections(row, lk):
    inspection = row[0].strip()
    if not inspection:
        raise RowError("inspection_id", "required")
    body_id = body_of(lk, row[1])
    service_id = service_of(lk, row[2])
    day = parse_day(row[3], "date")
    counts = [parse_count(row[4 + i], name) for i, name in enumerate(VIOLATIONS)]
    data = '{"late":%d,"unjustified_refusals":%d,"incomplete_package":%d,' \
           '"extra_documents":%d}' % tuple(counts)
    return f"{inspection[:150]}|{row[2].strip()}", body_id, service_id, day, None, data
SPECS: dict[str, KindSpec] = {
    ImportKind.MONITORING: KindSpec(ImportKind.MONITORING, (
        Column("bin", _("БИН органа"), "990240010008"),
        Column("service_code", _("Код услуги по реестру"), "00101001"),
        Column("date", _("Дата (ГГГГ-ММ-ДД)"), "2025-03-14"),
        Column("rendered", _("Оказано услуг"), "120"),
        Column("late", _("С нарушением срока"), "1"),
        Column("unjustified_refusals", _("Необоснованные отказы"), "0"),
        Column("incomplete_package", _("При неполном пакете документов"), "0"),
        Column("extra_documents", _("Истребование непредусмотренных документов"), "0"),
    ), "p.37–39"),
    ImportKind.SATISFACTION: KindSpec(ImportKind.SATISFACTION, (
        Column("bin", _("БИН органа"), "990240010008"),
        Column("service_code", _("Код услуги по реестру"), "00101001"),
        Column("level", _("Уровень удовлетворённости (0–5)"), "4.72"),
    ), "p.31; annex 6"),
    ImportKind.EGOV_INCIDENTS: KindSpec(ImportKind.EGOV_INCIDENTS, (
        Column("incident_id", _("Номер инцидента"), "INC-2025-0001"),
        Column("bin", _("БИН органа"), "990240010008"),
        Column("date", _("Дата (ГГГГ-ММ-ДД)"), "2025-05-02"),
        Column("hours", _("Часов недоступности"), "2.5"),
        Column("body_response", _("Ответ органа: none / confirmed / disputed"), "none"),
    ), "p.53", _("Инциденты без ответа органа считаются подтверждёнными (п.53); оспоренные "
                 "не учитываются.")),
    ImportKind.IS_FAILURES: KindSpec(ImportKind.IS_FAILURES, (
        Column("failure_id", _("Номер сбоя"), "F-2025-07"),
        Column("date_from", _("Начало (ГГГГ-ММ-ДД)"), "2025-07-01"),
        Column("date_to", _("Окончание (ГГГГ-ММ-ДД)"), "2025-07-02"),
        Column("service_code", _("Код услуги (пусто — все услуги)"), "", required=False),
        Column("confirmed_by", _("Документ уполномоченного органа"), "Письмо МЦРИАП № 01-2/345"),
    ), "p.37", _("Нарушения, датированные периодом подтверждённого сбоя, не учитываются.")),
    ImportKind.MEDIA_SURVEY: KindSpec(ImportKind.MEDIA_SURVEY, (
        Column("bin", _("БИН органа"), "990240010008"),
        Column("media_satisfied_percent", _("Доля удовлетворённых СМИ, %"), "78.5"),
    ), "p.80; annex 10, table 7-1"),
    ImportKind.POPULATION_SURVEY: KindSpec(ImportKind.POPULATION_SURVEY, (
        Column("bin", _("БИН органа"), "990240010008"),
        Column("population_satisfied_percent",
          _("Доля населения, полностью и скорее удовлетворённого, %"), "72"),
    ), "p.80; annex 10, table 7-1, note *"),
    ImportKind.INSPECTIONS: KindSpec(ImportKind.INSPECTIONS, (
        Column("inspection_id", _("Номер проверки"), "П-2025-12"),
        Column("bin", _("БИН органа"), "990240010008"),
        Column("service_code", _("Код услуги по реестру"), "00101001"),
        Column("date", _("Дата акта (ГГГГ-ММ-ДД)"), "2025-09-30"),
        Column("late", _("С нарушением срока"), "3"),
        Column("unjustified_refusals", _("Необоснованные отказы"), "0"),
        Column("incomplete_package", _("При неполном пакете документов"), "1"),
        Column("extra_documents", _("Истребование непредусмотренных документов"), "0"),
    ), "p.37, p.40", _("Результаты проверок — первый источник нарушений (п.37).")),
}

PARSERS = {
    ImportKind.MONITORING: _monitoring,
    ImportKind.SATISFACTION: _satisfaction,
    ImportKind.EGOV_INCIDENTS: _egov_incidents,
    ImportKind.IS_FAILURES: _is_failures,
    ImportKind.MEDIA_SURVEY: _survey("media_satisfied_percent"),
    ImportKind.POPULATION_SURVEY: _survey("population_satisfied_percent"),
    ImportKind.INSPECTIONS: _inspections,
}
