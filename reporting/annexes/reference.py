"""Reference forms rendered from the edition's data: annexes 2, 6, 7, 11 and 13.

Every number printed here — criteria maxima, indicator weights, satisfaction and internal-control
bands, openness points — is read from ``assessments/scoring/editions/<edition>.json``; the texts
are the seed's. A new edition file therefore prints its own forms without touching this module.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import labels
from .common import (
    DEFAULT_EDITION,
    F,
    complaints_maxima,
    edition_of,
    heading,
    openness_maxima,
    services_maxima,
)
from .formatting import number, points_word


def _with_word(value: Fraction, *, genitive: bool = False) -> str:
    return f"{number(value)} {points_word(value, genitive=genitive)}"


def annex2_context(edition: str = DEFAULT_EDITION) -> dict[str, Any]:
    """Annex 2: the service-quality criteria and their values, central and local bodies."""
    sections = []
    for kind, title, rows in (
        ("central", "Центральные государственные органы:", labels.SERVICES_ROWS_CENTRAL),
        ("local", "Местные исполнительные органы:", labels.SERVICES_ROWS_LOCAL),
    ):
        maxima = services_maxima(edition, kind)
        sections.append(
            {
                "title": title,
                "kind": kind,
                "rows": [
                    {
                        "number": num,
                        "code": code,
                        "label": labels.SERVICES_LABELS[code],
                        "level": level,
                        "value": number(maxima[code]),
                    }
                    for num, code, level in rows
                ],
            }
        )
    central = services_maxima(edition, "central")
    ctx = heading(2, version=1)
    ctx.update(
        sections=sections,
        notes=[labels.SERVICES_STIMULUS_NOTE.format(cap=number(central["K3"]))],
        edition=str(edition),
        reference=True,
    )
    return ctx


def satisfaction_bands(edition: str, kind: str) -> list[dict[str, Any]]:
    """Annex 6's rows for one kind of body: the level's range and its points."""
    p1 = edition_of(edition).services[kind]["P1"]
    top = F(p1["level_max"])
    step = Fraction(1, 100)  # levels are given to two decimals (4,79)
    rows = []
    upper = top
    for i, (lo, pts) in enumerate(p1["bands"], start=1):
        lower = F(lo)
        rows.append(
            {
                "number": f"{i}.",
                "label": (
                    "Уровень удовлетворенности качеством от "
                    f"{_with_word(lower, genitive=True)} включительно "
                    f"до {_with_word(upper, genitive=True)} включительно"
                ),
                "lower": lower,
                "upper": upper,
                "value": number(pts),
            }
        )
        upper = lower - step
    last = F(p1["bands"][-1][0])
    rows.append(
        {
            "number": f"{len(rows) + 1}.",
            "label": (
                f"Уровень удовлетворенности качеством ниже {_with_word(last, genitive=True)}"
            ),
            "lower": None,
            "upper": last,
            "value": number(p1["below"]),
        }
    )
    return rows


def annex6_context(edition: str = DEFAULT_EDITION) -> dict[str, Any]:
    """Annex 6: satisfaction levels (of 5) and the points they give, central and local."""
    ctx = heading(6, version=1)
    ctx.update(
        sections=[
            {
                "title": (
                    "Уровень удовлетворенности качеством оказания государственных услуг, "
                    "оказываемых центральными государственными органами"
                ),
                "rows": satisfaction_bands(edition, "central"),
            },
            {
                "title": (
                    "Уровень удовлетворенности качеством оказания государственных услуг, "
                    "оказываемых местными исполнительными органами"
                ),
                "rows": satisfaction_bands(edition, "local"),
            },
        ],
        edition=str(edition),
        reference=True,
    )
    return ctx


def annex7_context(edition: str = DEFAULT_EDITION) -> dict[str, Any]:
    """Annex 7: the openness criteria and their points (P7 a penalty of up to −9)."""
    maxima = openness_maxima(edition, "central")
    penalty = edition_of(edition).subordinates["code"]
    rows = [
        {
            "number": str(i),
            "code": code,
            "label": labels.OPENNESS_LABELS[code],
            "value": number(maxima[code], negative=code == penalty),
        }
        for i, code in enumerate(labels.OPENNESS_CODES, start=1)
    ]
    # The criteria's maxima are the same for both kinds of body; say so if an edition differs.
    local = openness_maxima(edition, "local")
    if any(local[c] != maxima[c] for c in labels.OPENNESS_CODES):
        raise ValueError("the edition gives central and local bodies different openness maxima")
    ctx = heading(7, version=1)
    ctx.update(rows=rows, total=number(maxima["total"]), edition=str(edition), reference=True)
    return ctx


def annex11_context(edition: str = DEFAULT_EDITION) -> dict[str, Any]:
    """Annex 11: the complaints criteria and their values."""
    maxima = complaints_maxima(edition)
    rows = [
        {
            "number": str(i),
            "code": code,
            "label": labels.COMPLAINTS_LABELS[code],
            "value": _with_word(maxima[code]),
        }
        for i, code in enumerate(labels.COMPLAINTS_CODES, start=1)
    ]
    ctx = heading(11, version=1)
    ctx.update(rows=rows, total=_with_word(maxima["total"]), edition=str(edition),
               reference=True)
    return ctx


def internal_control_bands(edition: str = DEFAULT_EDITION) -> list[dict[str, Any]]:
    """Annex 13's bands: the share of disciplinary actions among late cases → points."""
    r4 = edition_of(edition).complaints["R4"]
    step = Fraction(1, 10)  # the seed writes the upper edges to one decimal (89,9 %)
    upper = Fraction(100)
    out = []
    for lo, pts in r4["bands"]:
        lower = F(lo)
        out.append(
            {
                "range": f"от {number(lower)} % до {number(upper)} %",
                "lower": lower,
                "upper": upper,
                "points": _with_word(F(pts)),
                "value": number(pts),
            }
        )
        upper = lower - step
    # the seed's last band: "менее 49,9 %" (the lowest edge minus the step, as it prints it)
    out.append(
        {
            "range": f"менее {number(upper)} %",
            "lower": None,
            "upper": upper,
            "points": _with_word(F(r4["otherwise"])),
            "value": number(r4["otherwise"]),
        }
    )
    return out


def annex13_context(edition: str = DEFAULT_EDITION) -> dict[str, Any]:
    """Annex 13: how the internal-control criterion (R4) is scored."""
    r4 = edition_of(edition).complaints["R4"]
    bands = internal_control_bands(edition)
    sentences = [
        (
            # the seed's wording, word for word ("доля количество фактов")
            f"если доля количество фактов привлечения к ответственности составляет {b['range']} "
            "от общего количества жалоб и заявлений, рассмотренных и перенаправленных с "
            "нарушением сроков, "
            f"то государственному органу присваиваются {b['points']}"
            + (";" if i < len(bands) - 1 else ".")
        )
        for i, b in enumerate(bands)
    ]
    ctx = heading(13, version=1)
    ctx.update(
        lead=(
            'Итоговый балл по критерию "Внутренний контроль за качеством рассмотрения жалоб и '
            'заявлений" физических и юридических лиц рассчитывается следующим образом:'
        ),
        sentences=sentences,
        bands=bands,
        none_late=(
            "В случае отсутствия жалоб и заявлений, рассмотренных и перенаправленных с нарушением "
            f"сроков, государственному органу присваиваются {_with_word(F(r4['none_late']))}."
        ),
        edition=str(edition),
        reference=True,
    )
    return ctx


REFERENCE_BUILDERS = {
    2: annex2_context,
    6: annex6_context,
    7: annex7_context,
    11: annex11_context,
    13: annex13_context,
}
