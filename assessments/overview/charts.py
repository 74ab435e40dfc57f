"""Charts made by the server as SVG (no script, no outside service): they show the same in every
interface language (their words come from the catalogues), print as they are, and go into the
cycle report's PDF unchanged (WeasyPrint draws SVG). Each chart carries its numbers as a table
too (``Chart.header``/``Chart.rows``), shown beside it for screen readers and for print.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.models import Cycle, ScoreSheet
from assessments.overview.selectors import BANDS, DIRECTIONS, RANKING_DIRECTIONS

BAND_COLOURS = {"high": "#2e7d32", "medium": "#9e9d24", "low": "#ef6c00",
                "ineffective": "#c62828", "": "#546e7a"}
FONT = "DejaVu Sans, sans-serif"
_ids = count(1)


@dataclass
class Bar:
    label: str
    value: float
    colour: str = "#1565c0"
    low: float | None = None  # a range bar: from low to value, with a mark at ``mark``
    mark: float | None = None
    text: str = ""


@dataclass
class Chart:
    title: str
    svg: SafeString
    header: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.2f}" if not isinstance(value, int) else str(value)


def bars_svg(title: str, bars: list[Bar], *, scale: float | None = None,
             width: int = 640) -> SafeString:
    """Horizontal bars, one per line: the label on the left, the bar, its value at the end."""
    label_w, value_w, row_h, top = 230, 70, 24, 28
    bar_w = width - label_w - value_w - 10
    scale = scale or max([b.value for b in bars] + [1.0])
    height = top + row_h * max(len(bars), 1) + 8
    uid = f"chart-{next(_ids)}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}" '
           f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
           f'font-family="{FONT}" font-size="12">',
           f'<title id="{uid}">{escape(title)}</title>',
           f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i, bar in enumerate(bars):
        y = top + i * row_h
        label = bar.label if len(bar.label) <= 34 else bar.label[:33] + "…"
        out.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        x0 = label_w + (bar.low or 0) / scale * bar_w if bar.low is not None else label_w
        x1 = label_w + max(bar.value, 0) / scale * bar_w
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" '
                   f'fill="#eceff1"/>')
        out.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 0.5):.1f}" '
                   f'height="14" fill="{bar.colour}"/>')
        if bar.mark is not None:
            xm = label_w + bar.mark / scale * bar_w
            out.append(f'<rect x="{xm - 1:.1f}" y="{y + 1}" width="2.5" height="20" '
                       f'fill="#212121"/>')
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}">'
                   f'{escape(bar.text or _fmt(bar.value))}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def band_distribution(cycle: Cycle, counts: dict[str, dict[str, int]]) -> list[Chart]:
    """One chart per direction (and the overall score): how many bodies in each band."""
    charts = []
    for d in RANKING_DIRECTIONS:
        per_band = counts.get(d, {})
        title = _("Степени эффективности: %(direction)s") % {
            "direction": ScoreSheet.Direction(d).label}
        bars = [Bar(str(BANDS[b]), per_band.get(b, 0), BAND_COLOURS[b],
                    text=str(per_band.get(b, 0))) for b in BANDS]
        charts.append(Chart(title, bars_svg(title, bars),
                            [_("Степень эффективности"), _("Органов")],
                            [[str(BANDS[b]), per_band.get(b, 0)] for b in BANDS]))
    return charts


def criterion_distribution(cycle: Cycle, direction: str, labels: dict) -> Chart:
    """The spread of each printed criterion of ``direction`` across the bodies scored: a bar
    from the lowest to the highest value, the median marked (one query)."""
    values: dict[str, list[float]] = {}
    for row in ScoreSheet.objects.filter(cycle=cycle, direction=direction, is_current=True,
                                         final__isnull=False).values_list("values", flat=True):
        for code, value in (row or {}).items():
            try:
                values.setdefault(code, []).append(float(value))
            except (TypeError, ValueError):
                continue
    title = _("Распределение по критериям: %(direction)s") % {
        "direction": ScoreSheet.Direction(direction).label}
    bars, rows = [], []
    for code, numbers in values.items():
        low, high, median = min(numbers), max(numbers), statistics.median(numbers)
        label = f"{code} {labels.get(code, '')}".strip()
        bars.append(Bar(label, high, low=low, mark=median,
                        text=f"{_fmt(low)}–{_fmt(high)}"))
        rows.append([label, len(numbers), _fmt(low), _fmt(median), _fmt(statistics.fmean(numbers)),
                     _fmt(high)])
    scale = max([b.value for b in bars] + [1.0])
    return Chart(title, bars_svg(title, bars, scale=scale),
                 [_("Показатель"), _("Органов"), _("Минимум"), _("Медиана"), _("Среднее"),
                  _("Максимум")], rows)


def body_criteria(sheet: ScoreSheet, maxima: dict[str, float], labels: dict) -> Chart:
    """One body's criteria of a direction against their maxima (the edition's)."""
    title = _("Критерии против максимума: %(direction)s") % {
        "direction": ScoreSheet.Direction(sheet.direction).label}
    bars, rows = [], []
    for code, value in (sheet.values or {}).items():
        if code not in maxima:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        top = float(maxima[code])
        share = number / top if top else 0
        label = f"{code} {labels.get(code, '')}".strip()
        bars.append(Bar(label, share, text=f"{_fmt(number)} / {_fmt(top)}"))
        rows.append([label, _fmt(number), _fmt(top)])
    return Chart(title, bars_svg(title, bars, scale=1.0),
                 [_("Показатель"), _("Балл"), _("Максимум")], rows)


def body_history_chart(body, history) -> Chart:
    """One body's scores in every cycle: a bar per cycle and direction, coloured by band."""
    title = _("Оценки по циклам: %(body)s") % {"body": body.name}
    bars, rows = [], []
    for entry in reversed(history):
        for d in (*DIRECTIONS, "overall"):
            sheet = entry.sheets.get(d)
            if sheet is None or sheet.final is None:
                continue
            label = f"{entry.cycle.year} · {ScoreSheet.Direction(d).label}"
            bars.append(Bar(label, float(sheet.final), BAND_COLOURS.get(sheet.band, "#546e7a")))
            rows.append([str(entry.cycle), str(ScoreSheet.Direction(d).label),
                         _fmt(sheet.final), str(BANDS.get(sheet.band, ""))])
    return Chart(title, bars_svg(title, bars, scale=100.0),
                 [_("Цикл оценки"), _("Направление"), _("Балл"), _("Степень эффективности")],
                 rows)
