"""Annex 9 — the body's openness report as a document of the reporting service.

When an openness report is accepted, its annex 9 is requested (kind ``annex9``, subject the
report, version = the report's version, the number of the submission that was accepted) and
rendered after commit; the accepted report's sections are locked, so the document is the report
as accepted, kept beside any later version. The context maps the report's sections
(``report_schema``) to the annex's plain structure (``reporting.annexes.openness``): each
indicator's links per language version, the documents attached to it, the counts and lists of no
language version as details, and the tables the body did not present (a missing element, p.18).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation

from assessments.models import Direction, Evidence, Report, ReportSection
from assessments.registry.selectors import name_on
from assessments.submission.report_schema import sections_for

DOCUMENT_KIND = "annex9"

# section of the report → (annex 9 table, {report field → annex row}); fields not named here
# with a "links" type keep their key as the row's.
SECTION_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "t1_open_data": ("1", {"api": "api_stimulus"}),
    "t2_open_budget": ("2", {}),
    "t3_open_budget": ("3", {}),
    "t4_open_npa": ("4", {}),
    "t5_open_dialogue": ("5", {
        "blog_questions": "blog_answers", "blog_posts_links": "blog_posts",
        "meetings_schedule": "meetings", "meetings_action_plan": "meetings",
        "meetings_reception": "meetings", "meetings_ngo": "meetings",
    }),
    "t5_1_media": ("5-1", {"high_publicity_events": "publicity"}),
    "t6_subordinates": ("6", {}),
}
# counts of no language version, printed as details of a row
COUNT_ROWS: dict[str, dict[str, str]] = {
    "t5_open_dialogue": {
        "questions_received": "blog_answers", "questions_answered_on_time": "blog_answers",
        "rated_answers": "blog_answers", "disliked_answers": "blog_answers",
        "blog_posts": "blog_posts",
    },
    "t5_1_media": {
        "events_high_publicity_kk": "publicity", "events_high_publicity_ru": "publicity",
        "events_total": "publicity", "requests_received": "media_requests",
        "requests_answered": "media_requests", "requests_answered_late": "media_requests",
    },
}


def _is_empty(data: dict) -> bool:
    fields = data.get("fields") or {}

    def blank(value: Any) -> bool:
        if isinstance(value, dict):
            return all(blank(v) for v in value.values())
        return value in (None, "", [], {})

    return all(blank(v) for v in fields.values()) and not (data.get("rows") or [])


def _row(rows: dict[str, dict], key: str) -> dict:
    return rows.setdefault(key, {"indicator": key, "kk": {"links": [], "documents": []},
                                 "ru": {"links": [], "documents": []}, "details": []})


def _dated_lines(items: Iterable[dict]) -> list[str]:
    lines = []
    for item in items:
        column = {"kk": "гос. яз.", "ru": "рус. яз."}.get(item.get("column") or "", "")
        parts = [str(item.get("title") or "—") + (f" ({column})" if column else "")]
        if item.get("due_on"):
            parts.append(f"срок {_date(item['due_on'])}")
        if item.get("published_on"):
            parts.append(f"размещено {_date(item['published_on'])}")
        if item.get("link"):
            parts.append(str(item["link"]))
        lines.append(" — ".join(parts))
    return lines


def _date(iso: str) -> str:
    year, month, day = str(iso).split("-")
    return f"{day}.{month}.{year}"


def annex9_report(report: Report) -> dict[str, Any]:
    """The annex's plain structure of ``report``: ``{"report", "missing_tables",
    "table_details"}`` (the keyword arguments of ``openness_report_context``)."""
    kind = "central" if report.body.kind == "central" else "local"
    stored = {row.key: row.data or {} for row in ReportSection.objects.filter(report=report)}
    evidence = list(Evidence.objects.filter(report=report, is_current=True)
                    .order_by("section_key", "indicator", "pk"))
    out: dict[str, list[dict]] = {}
    missing: list[str] = []
    details: dict[str, list[str]] = {}
    for section in sections_for(Direction.OPENNESS, kind):
        table, renames = SECTION_TABLES[section.key]
        data = stored.get(section.key)
        if data is None or _is_empty(data):
            missing.append(table)
            continue
        rows: dict[str, dict] = {}
        fields = data.get("fields") or {}
        for spec in section.fields_for(kind):
            value = fields.get(spec.key)
            if spec.type == "links":
                row = _row(rows, renames.get(spec.key, spec.key))
                for column in ("kk", "ru"):
                    row[column]["links"] += [str(u) for u in (value or {}).get(column) or ()]
            elif spec.key in COUNT_ROWS.get(section.key, {}) and value not in (None, ""):
                row = _row(rows, COUNT_ROWS[section.key][spec.key])
                row["details"].append(f"{spec.label}: {value}")
        items = data.get("rows") or []
        if section.key == "t4_open_npa" and items:
            lines = [" — ".join(str(x) for x in (
                item.get("title"), _category(section, item.get("category")), item.get("link"))
                if x) for item in items]
            if kind == "central":
                _row(rows, "explanation_events")["details"] += lines
            else:
                details.setdefault(table, []).extend(lines)
        elif section.key == "t6_subordinates":
            for item in items:
                name = str(item.get("name") or "—")
                if item.get("website"):
                    _row(rows, "website")["details"].append(f"{name}: {item['website']}")
                if item.get("datasets"):
                    _row(rows, "open_data")["details"].append(f"{name}: {item['datasets']}")
                if item.get("blog_questions") not in (None, ""):
                    _row(rows, "dialogue")["details"].append(
                        f"{name}: вопросов на блог-платформе — {item['blog_questions']}")
        elif section.table is not None and items:
            details.setdefault(table, []).append(f"{section.table.label}:")
            details[table].extend(_dated_lines(items))
        for doc in (e for e in evidence if e.section_key == section.key):
            key = renames.get(doc.indicator, doc.indicator)
            name = doc.title or doc.original_name
            if key and (key in rows or key in _known_rows(section, kind, renames)):
                row = _row(rows, key)
                if doc.language in ("kk", "ru"):
                    row[doc.language]["documents"].append(name)
                else:
                    row["details"].append(f"Документ: {name}")
            else:
                details.setdefault(table, []).append(f"Документ к таблице: {name}")
        out[table] = list(rows.values())
    return {"report": out, "missing_tables": missing, "table_details": details}


def _known_rows(section, kind: str, renames: dict[str, str]) -> set[str]:
    return {renames.get(f.key, f.key) for f in section.link_fields(kind)}


def _category(section, value) -> str:
    if not value:
        return ""
    for column in section.table.columns:
        if column.key == "category":
            return str(dict(column.choices).get(value, value))
    return str(value)


def annex9_context(report: Report, *, draft: bool = False) -> dict[str, Any]:
    """Annex 9's context for ``report`` (the body's names of the cycle's period, both)."""
    from reporting.annexes import Body, openness_report_context

    cycle = report.cycle
    name_ru, name_kk = name_on(report.body, cycle.names_on)
    with translation.override("ru"):
        plain = annex9_report(report)
    return openness_report_context(
        body=Body(name_ru=name_ru, name_kk=name_kk or "",
                  kind="central" if report.body.kind == "central" else "local"),
        period=cycle.year, submitted_on=report.submitted_on, version=max(report.version, 1),
        draft=draft, **plain,
    )


def annex9_request(report: Report, *, requested_by=None, render_now: bool = False):
    """Request annex 9 of the accepted ``report`` at its version (rendered after commit, or at
    once with ``render_now``); the same version is never rendered twice."""
    from reporting.services import document_request

    return document_request(kind=DOCUMENT_KIND, subject=report, version=max(report.version, 1),
                            requested_by=requested_by, render_now=render_now)


def annex9_document(report: Report):
    """The stored annex 9 of ``report``'s current version, if requested."""
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    return RenderedDocument.objects.filter(
        kind=DOCUMENT_KIND, subject_type=ContentType.objects.get_for_model(Report),
        subject_id=report.pk, version=max(report.version, 1), draft=False, language="ru",
    ).first()


def _register() -> None:
    from reporting.annexes import provide_context

    @provide_context(DOCUMENT_KIND)
    def _provider(document) -> dict[str, Any]:
        report = Report.objects.select_related("cycle", "body").get(pk=document.subject_id)
        return annex9_context(report, draft=document.draft)


_register()
