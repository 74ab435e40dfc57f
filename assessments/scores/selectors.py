"""Reads of scores and scoring inputs that pages share, always through the access rules.

Every list reads a constant number of queries whatever the number of bodies (tests pin them):
the page of bodies (one query, with the overall score annotated for sorting) and the current
sheets of that page (one query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from assessments.kernel import access
from assessments.models import Cycle, Organisation, ScoreSheet, ScoringInput
from assessments.scores.fields import DIRECTION_LABELS, case_fields
from assessments.scores.services.scoring_inputs import (
    DIRECTIONS,
    draft_missing,
    flatten,
    full_case,
    scoring_input_diff,
    source_of,
)

SORTS = {
    "name": ("name_ru", "pk"),
    "-overall": ("-overall_final", "name_ru"),
    "overall": ("overall_final", "name_ru"),
}


def scored_bodies(
    user, cycle: Cycle, *, search: str = "", kind: str = "", order: str = "name"
) -> QuerySet[Organisation]:
    """Bodies with a current sheet in ``cycle`` that ``user`` may see, with their overall final
    (``overall_final``, None where not scored or not visible) for sorting."""
    sheets = access.visible(user, ScoreSheet.objects.filter(cycle=cycle, is_current=True))
    overall = sheets.filter(body_id=OuterRef("pk"), direction="overall").values("final")[:1]
    qs = Organisation.objects.filter(pk__in=sheets.values("body_id")).annotate(
        overall_final=Subquery(overall)
    )
    if search:
        qs = qs.filter(Q(name_ru__icontains=search) | Q(name_kk__icontains=search)
                       | Q(bin__startswith=search))  # fmt: skip
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*SORTS.get(order, SORTS["name"]))


def current_sheets(user, cycle: Cycle, body_ids: list[int]) -> dict[int, dict[str, ScoreSheet]]:
    """``{body id: {direction: sheet}}`` of the current sheets ``user`` may see (one query)."""
    out: dict[int, dict[str, ScoreSheet]] = {}
    qs = access.visible(
        user,
        ScoreSheet.objects.filter(cycle=cycle, is_current=True, body_id__in=body_ids).defer(
            "explain"
        ),
    )
    for sheet in qs:
        out.setdefault(sheet.body_id, {})[sheet.direction] = sheet
    return out


# --- A body's scores, explained ------------------------------------------------------------

def sheet_labels() -> dict[str, dict[str, Any]]:
    """The labels of each direction's printed codes (criteria, indicators, totals), by direction."""
    from django.utils.translation import gettext_lazy as _

    return {
        "services": {
            "P1": _("Уровень удовлетворённости качеством"),
            "P2": _("Обжалование качества оказания госуслуг"),
            "K1": _("Удовлетворённость услугополучателей качеством"),
            "T1": _("Соблюдение сроков"),
            "T2": _("Необоснованные отказы"),
            "T3": _("Оказание при неполном пакете документов"),
            "T4": _("Истребование документов, не предусмотренных НПА"),
            "K2": _("Обеспечение качества оказания госуслуг"),
            "T": _("Степень автоматизации"),
            "V": _("Эффективность автоматизации"),
            "C": _("Смартфонизация"),
            "P": _("Штраф: часы недоступности"),
            "D": _("Стимул: проактивные услуги"),
            "S": _("Стимул: цифровые документы"),
            "K3": _("Автоматизация госуслуг"),
            "total": _("Итого по направлению"),
            "penalty": _("Штрафные баллы по итогам перепроверки"),
            "final": _("Оценка по направлению"),
        },
        "openness": {
            "P1": _("Открытые данные"),
            "P2": _("Открытый бюджет"),
            "P3": _("Открытые НПА"),
            "P4": _("Открытый диалог"),
            "P5": _("Наполнение интернет-ресурса"),
            "P6": _("Открытость через СМИ"),
            "P7": _("Открытость подведомственных организаций (штраф)"),
            "total": _("Итого по направлению"),
            "penalty": _("Штрафные баллы по итогам перепроверки"),
            "final": _("Оценка по направлению"),
        },
        "complaints": {
            "R1": _("Соблюдение сроков рассмотрения"),
            "R2": _("Доля признанных обоснованными по решению суда"),
            "R3": _("Соблюдение сроков перенаправления"),
            "R4": _("Внутренний контроль за качеством рассмотрения"),
            "total": _("Итого по направлению"),
            "penalty": _("Штрафные баллы по итогам перепроверки"),
            "final": _("Оценка по направлению"),
        },
        "overall": {
            "overall": _("Итоговая операционная оценка"),
            "band": _("Степень эффективности"),
        },
    }


@dataclass
class ExplainedValue:
    key: str  # the engine's code (P1, K3, final …)
    label: Any
    value: str
    entry: dict | None  # the engine's explain entry: formula, inputs, value, rules, source


@dataclass
class ExplainedSheet:
    direction: str
    label: Any
    sheet: ScoreSheet
    rows: list[ExplainedValue]
    details: list[ExplainedValue] = field(default_factory=list)  # indicator-level rules


def explain_sheet(sheet: ScoreSheet) -> ExplainedSheet:
    """Every printed number of the sheet with its explanation ("why 8.00"), in the engine's
    order, then the indicator-level entries (rules applied to single indicators)."""
    labels = sheet_labels()[sheet.direction]
    prefix = "" if sheet.direction == "overall" else sheet.direction + "."
    rows, used = [], set()
    for key, value in (sheet.values or {}).items():
        entry_key = prefix + key
        used.add(entry_key)
        rows.append(ExplainedValue(key, labels.get(key, key), str(value),
                                   sheet.explain.get(entry_key)))  # fmt: skip
    details = [
        ExplainedValue(k[len(prefix):], k[len(prefix):], entry.get("value", ""), entry)
        for k, entry in sheet.explain.items()
        if k not in used
    ]
    label = (DIRECTION_LABELS.get(sheet.direction)
             or ScoreSheet.Direction(sheet.direction).label)
    return ExplainedSheet(sheet.direction, label, sheet, rows, details)


def body_sheets(user, cycle: Cycle, body: Organisation) -> list[ExplainedSheet]:
    qs = access.visible(
        user, ScoreSheet.objects.filter(cycle=cycle, body=body, is_current=True)
    ).select_related("scoring_input", "computed_by")
    order = {d: i for i, d in enumerate(("services", "openness", "complaints", "overall"))}
    return [explain_sheet(s) for s in sorted(qs, key=lambda s: order.get(s.direction, 9))]


def sheet_history(user, cycle: Cycle, body: Organisation) -> list[ScoreSheet]:
    return list(
        access.visible(user, ScoreSheet.objects.filter(cycle=cycle, body=body, is_current=False))
        .select_related("scoring_input", "computed_by")
        .defer("explain")
        .order_by("-computed_at", "-id")[:40]
    )


# --- A body's scoring input with the source of every number -------------------------------


@dataclass
class InputRow:
    path: str
    label: Any
    value: Any
    source: dict | None
    draft: bool


@dataclass
class InputSection:
    direction: str
    label: Any
    rows: list[InputRow]
    missing: Any = None  # the engine's error for a draft direction (the first missing value)


def path_labels(kind: str, edition: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g in case_fields(kind, edition):
        for f in g.fields:
            label = f.label if not f.group else f"{f.label} ({f.group})"
            out.setdefault(f.path, label)
    return out


def input_sections(si: ScoringInput, directions: tuple[str, ...]) -> list[InputSection]:
    """The input's values by direction (only ``directions``), each with its source."""
    case = full_case(si)
    body = case.get("body") or {}
    labels = path_labels(body.get("kind", "central"), case.get("edition", "2023"))
    missing = draft_missing(si)
    sections = []
    for direction in DIRECTIONS:
        if direction not in directions:
            continue
        rows = []
        for block, prefix in ((case.get(direction), direction),
                              ((case.get("penalties") or {}).get(direction),
                               f"penalties.{direction}")):  # fmt: skip
            if block is None:
                continue
            for path, value in flatten(block, prefix).items():
                rows.append(
                    InputRow(path, labels.get(path, ""), value, source_of(si.sources, path),
                             direction in (si.draft or {}))
                )  # fmt: skip
        sections.append(
            InputSection(direction, DIRECTION_LABELS[direction], rows, missing.get(direction))
        )
    return sections


def input_versions(cycle: Cycle, body: Organisation) -> list[ScoringInput]:
    return list(
        ScoringInput.objects.filter(cycle=cycle, body=body)
        .select_related("created_by")
        .defer("case", "draft", "sources")
        .order_by("-version")
    )


def version_diff(
    si: ScoringInput, previous: ScoringInput | None, directions: tuple[str, ...]
) -> list[tuple[str, Any, Any]]:
    """The changed values between two versions, limited to ``directions`` (and the body)."""
    allowed = tuple(directions) + tuple(f"penalties.{d}" for d in directions)
    return [
        row
        for row in scoring_input_diff(previous, si)
        if row[0].split(".")[0] not in DIRECTIONS + ("penalties",)
        or row[0].startswith(tuple(a + "." for a in allowed)) or row[0] in allowed
    ]

