"""The cycle report's content (a PDF rendered by ``reporting.rendering`` with the annexes' fonts):
rankings with bands per group, the band charts (SVG made here: WeasyPrint runs no script), a
summary per direction and every body with its final scores. Plain data for the template."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.kernel import clock
from assessments.models import Cycle, Organisation, ScoreSheet
from assessments.overview import charts, selectors
from assessments.overview.selectors import BANDS, RANKING_DIRECTIONS


@dataclass
class Summary:
    direction: str
    label: str
    scored: int
    mean: str
    median: str
    low: str
    high: str
    bands: list[tuple[str, int]]


def _two(value) -> str:
    return f"{value:.2f}"


def cycle_report_context(user, cycle: Cycle) -> dict:
    levels = set(ScoreSheet.objects.filter(
        cycle=cycle, is_current=True, final__isnull=False, body__kind="local",
    ).exclude(body__level="").values_list("body__level", flat=True).distinct())
    group_keys = ["central", "local"] + [f"local:{lv}" for lv in selectors.LOCAL_LEVELS
                                         if lv in levels]
    rankings = [selectors.ranking(user, cycle, d, g) for g in group_keys
                for d in RANKING_DIRECTIONS]
    rankings = [r for r in rankings if r.rows]
    counts = selectors.band_distribution(cycle)
    finals: dict[str, list] = {d: [] for d in RANKING_DIRECTIONS}
    bodies: dict[int, dict] = {}
    for body_id, ru, kk, kind, direction, final, band in ScoreSheet.objects.filter(
            cycle=cycle, is_current=True, final__isnull=False).values_list(
            "body_id", "body__name_ru", "body__name_kk", "body__kind", "direction", "final",
            "band").order_by("body__name_ru"):
        finals.setdefault(direction, []).append(final)
        entry = bodies.setdefault(body_id, {"name": selectors._name(ru, kk),
                                            "kind": Organisation.Kind(kind).label})
        entry[direction] = final
        if direction == "overall":
            entry["band"] = BANDS.get(band, "")
    summaries = []
    for d in RANKING_DIRECTIONS:
        numbers = finals.get(d) or []
        summaries.append(Summary(
            direction=d, label=str(ScoreSheet.Direction(d).label), scored=len(numbers),
            mean=_two(statistics.fmean(numbers)) if numbers else "—",
            median=_two(statistics.median(numbers)) if numbers else "—",
            low=_two(min(numbers)) if numbers else "—",
            high=_two(max(numbers)) if numbers else "—",
            bands=[(str(BANDS[b]), counts[d][b]) for b in BANDS]))
    provisional = selectors.ranking_status(cycle)
    return {
        "cycle": cycle, "provisional": provisional, "rankings": rankings,
        "band_charts": charts.band_distribution(cycle, counts), "summaries": summaries,
        "bodies": sorted(bodies.values(), key=lambda b: b["name"]),
        "generated": clock.now(), "title": _("Отчёт об итогах операционной оценки"),
    }
