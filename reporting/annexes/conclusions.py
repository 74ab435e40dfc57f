"""Conclusions: per direction (annexes 3, 4, 5, 8, 12) and for the block (annex 15).

Each builder takes plain data — the body, the reporting period, the engine's result for the
direction (its printed values and ``explain``), the re-verification facts, the analysis per
criterion, the conclusions and recommendations, the signatories — and returns the template's
context. Maxima come from the edition per body kind; scores are the engine's printed values.

    result = score_case_dict(case)                       # the engine
    ctx = services_conclusion_context(body=Body("Министерство …", "central"), period=2025,
                                      result=result, facts=[...], analysis={"K1": "…"}, ...)
    pdf = render_annex("annex3", ctx)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import labels
from .common import (
    DEFAULT_EDITION,
    F,
    analysis_items,
    check_kind,
    complaints_maxima,
    deduction,
    edition_of,
    fact_rows,
    facts_for_recommendations,
    heading,
    input_text,
    openness_maxima,
    rule_notes,
    services_maxima,
    signature_block,
)
from .formatting import number, points_word
from .inputs import Body


@dataclass(frozen=True)
class DirectionAnnex:
    number: int
    direction: str  # the engine result's key
    kinds: tuple[str, ...]
    rows: tuple[tuple[str, str, int], ...]
    summary: bool  # total / penalty / final rows
    analysis_codes: tuple[str, ...]
    analysis_mark: str  # "dot" → "1.", "paren" → "1)"
    analysis_semicolons: bool
    name_caption: str
    labels: Mapping[str, str]
    deductions: frozenset[str] = frozenset()  # rows printed with a minus
    # what the seed's form prints in the maximum column where it is not the edition's maximum
    # (annex 8 prints 0 for the subordinates' penalty and for the deduction)
    form_maxima: tuple[tuple[str, str], ...] = ()


def _rows(codes: Iterable[str]) -> tuple[tuple[str, str, int], ...]:
    return tuple((str(i), code, 0) for i, code in enumerate(codes, start=1))


DIRECTION_ANNEXES: dict[int, DirectionAnnex] = {
    3: DirectionAnnex(
        3, "services", ("central",), labels.SERVICES_ROWS_CENTRAL, True, ("K1", "K2", "K3"),
        "dot", False, labels.NAME_CAPTION_CENTRAL, labels.SERVICES_LABELS,
        labels.SERVICES_PENALTY_CODES,
    ),
    4: DirectionAnnex(
        4, "services", ("local",), labels.SERVICES_ROWS_LOCAL, True, ("K1", "K2"),
        "dot", False, labels.NAME_CAPTION_LOCAL, labels.SERVICES_LABELS,
    ),
    5: DirectionAnnex(
        5, "services", ("central",), labels.AUTOMATION_ROWS, False, ("K3",),
        "dot", False, labels.NAME_CAPTION_CENTRAL, labels.SERVICES_LABELS,
        labels.SERVICES_PENALTY_CODES,
    ),
    8: DirectionAnnex(
        8, "openness", ("central", "local"), _rows(labels.OPENNESS_CODES), True,
        labels.OPENNESS_CODES, "paren", True, labels.NAME_CAPTION_EITHER, labels.OPENNESS_LABELS,
        frozenset({"P7"}), (("P7", "0"), ("penalty", "0")),
    ),
    12: DirectionAnnex(
        12, "complaints", ("central", "local"), _rows(labels.COMPLAINTS_CODES), True,
        labels.COMPLAINTS_CODES, "dot", True, labels.NAME_CAPTION_EITHER,
        labels.COMPLAINTS_LABELS,
    ),
}  # fmt: skip


def direction_result(
    result: Mapping[str, Any] | None,
    scores: Mapping[str, str] | None,
    explain: Mapping[str, Any] | None,
    direction: str,
    body: Body,
) -> tuple[Mapping[str, str], Mapping[str, Any]]:
    """(printed values, explain) of one direction, from a whole engine result or given apart."""
    if (result is None) == (scores is None):
        raise ValueError("give either the engine's result or the direction's scores")
    if result is not None:
        if result.get("kind") not in (None, body.kind):
            raise ValueError(
                f"the engine scored a {result.get('kind')} body, but {body.name_ru!r} is "
                f"{body.kind}"
            )
        scores = result.get(direction)
        if scores is None:
            raise ValueError(f"the engine's result has no {direction!r} direction")
        explain = result.get("explain") or {}
    return scores, explain or {}


def _maxima(direction: str, edition: str, kind: str) -> dict[str, Fraction]:
    if direction == "services":
        return services_maxima(edition, kind)
    if direction == "openness":
        return openness_maxima(edition, kind)
    return complaints_maxima(edition)


def paragraphs(text: str | Iterable[str] | None) -> list[str]:
    """Text given as one string (paragraphs on their own lines) or as a list of paragraphs."""
    if not text:
        return []
    if isinstance(text, str):
        text = text.splitlines()
    return [p.strip() for p in text if p and p.strip()]


def direction_conclusion_context(
    annex: int,
    *,
    body: Body | Mapping[str, Any],
    period: object,
    result: Mapping[str, Any] | None = None,
    scores: Mapping[str, str] | None = None,
    explain: Mapping[str, Any] | None = None,
    evaluator: str = "",
    facts: Iterable[Any] = (),
    analysis: Mapping[str, str] | str | None = None,
    recommendations: str | Iterable[str] | None = None,
    signatories: Iterable[Any] = (),
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
    edition: str = DEFAULT_EDITION,
) -> dict[str, Any]:
    """The context of a direction's conclusion: annex 3, 4, 5, 8 or 12."""
    spec = DIRECTION_ANNEXES[annex]
    body = Body.of(body)
    check_kind(annex, body, spec.kinds)
    scores, explain = direction_result(result, scores, explain, spec.direction, body)
    maxima = _maxima(spec.direction, edition, body.kind)
    prefix = spec.direction + "."
    needed = [code for _n, code, _l in spec.rows] + (
        ["total", "penalty", "final"] if spec.summary else []
    )
    missing = [code for code in needed if code not in scores]
    if missing:
        raise ValueError(f"annex {annex}: scores lack {', '.join(missing)}")

    rows = []
    for num, code, level in spec.rows:
        minus = code in spec.deductions
        entry = explain.get(prefix + code)
        notes = rule_notes(entry)
        rows.append(
            {
                "number": num,
                "code": code,
                "label": spec.labels[code],
                "level": level,
                "score": number(scores[code], negative=minus),
                "max": dict(spec.form_maxima).get(code) or number(maxima[code], negative=minus),
                "inputs": input_text(spec.direction, code, entry),
                "notes": notes,
            }
        )
    summary = []
    if spec.summary:
        summary = [
            {"label": labels.TOTAL_LABEL, "score": number(scores["total"]),
             "max": number(maxima["total"]), "notes": rule_notes(explain.get(prefix + "total"))},
            {"label": labels.PENALTY_LABEL, "score": number(scores["penalty"]),
             "max": dict(spec.form_maxima).get("penalty") or number(maxima["penalty"]),
             "notes": []},
            {"label": labels.FINAL_LABEL, "score": number(scores["final"]),
             "max": number(maxima["final"]), "notes": [], "final": True},
        ]  # fmt: skip

    facts_rows = fact_rows(facts, edition)
    if facts_rows and spec.summary:
        check = deduction(facts_rows, kind=body.kind, edition=edition)
        if F(check["value"]) != F(scores["penalty"]):
            raise ValueError(
                f"annex {annex}: the facts give a deduction of {check['value']}, but the scores "
                f"carry {scores['penalty']}"
            )

    genitive = labels.BODY_GENITIVE[body.kind]
    if annex == 5:
        if isinstance(analysis, Mapping):
            analysis = analysis.get("K3", "")
        lead = (
            f"Анализ эффективности деятельности {genitive} по критерию "
            f'"{labels.SERVICES_LABELS["K3"]}".'
        )
        items = []
        single = paragraphs(analysis)
    else:
        lead = f"Анализ эффективности деятельности {genitive} по критериям операционной оценки:"
        items = analysis_items(
            spec.analysis_codes, spec.labels, analysis, mark=spec.analysis_mark,
            semicolons=spec.analysis_semicolons,
        )  # fmt: skip
        single = []

    ctx = heading(
        annex, body=body, period=period, evaluator=evaluator, name_caption=spec.name_caption,
        version=version, replaces_version=replaces_version, draft=draft,
    )  # fmt: skip
    ctx.update(
        direction=spec.direction,
        direction_label=labels.DIRECTIONS["automation" if annex == 5 else spec.direction],
        criteria_header="Критерии" if annex == 5 else "Критерии операционной оценки",
        max_header="Макс. балл" if annex == 12 else "Максимальный балл",
        rows=rows,
        summary=summary,
        stimulus_note=(
            labels.SERVICES_STIMULUS_NOTE.format(cap=number(maxima["K3"]))
            if "K3" in maxima and any(r["code"] in ("D", "S") for r in rows)
            else ""
        ),
        analysis_lead=lead,
        analysis=items,
        analysis_text=single,
        recommendations=paragraphs(recommendations),
        facts=facts_for_recommendations(facts_rows),
        signatures=signature_block(annex, signatories),
        edition=str(edition),
    )
    return ctx


def services_conclusion_context(*, body, **kwargs) -> dict[str, Any]:
    """Annex 3 (central body) or annex 4 (local body), chosen by the body's kind."""
    body = Body.of(body)
    return direction_conclusion_context(3 if body.kind == "central" else 4, body=body, **kwargs)


def automation_conclusion_context(**kwargs) -> dict[str, Any]:
    """Annex 5: the automation criterion (K3), by the Ministry of digital development."""
    return direction_conclusion_context(5, **kwargs)


def openness_conclusion_context(**kwargs) -> dict[str, Any]:
    """Annex 8: the openness direction, by MIOD."""
    return direction_conclusion_context(8, **kwargs)


def complaints_conclusion_context(**kwargs) -> dict[str, Any]:
    """Annex 12: the complaints direction, by the Committee."""
    return direction_conclusion_context(12, **kwargs)


# --- annex 15: the block ------------------------------------------------------------------------

_SYMBOLS = {  # p.107: O = 0,5 × U + 0,2 × D + 0,3 × H; A = 0,5 × T + 0,2 × F + 0,3 × H
    "central": ("O", {"services": "U", "openness": "D", "complaints": "H"}),
    "local": ("A", {"services": "T", "openness": "F", "complaints": "H"}),
}
BLOCK_DIRECTIONS = ("services", "openness", "complaints")


def _points_word(value: Fraction) -> str:
    return points_word(value, genitive=True)


def band_table(edition: str, kind: str) -> list[dict[str, Any]]:
    """The four effectiveness bands (p.108) with their ranges, from the edition."""
    ed = edition_of(edition)
    ov = ed.overall
    weights = ov["weights"]
    maxima = {
        "services": services_maxima(edition, kind)["final"],
        "openness": openness_maxima(edition, kind)["final"],
        "complaints": complaints_maxima(edition)["final"],
    }
    top = sum((F(weights[d]) * maxima[d] for d in BLOCK_DIRECTIONS), Fraction(0))
    step = Fraction(1, 100)  # the overall is printed to two places (the seed's 89,99)
    out = []
    upper = top
    for lo, name in ov["bands"]:
        lower = F(lo)
        out.append(
            {
                "band": name,
                "label": labels.BANDS[name],
                "range": f"от {number(lower)} до {number(upper)} {_points_word(upper)}",
            }
        )
        upper = lower - step
    last = F(ov["bands"][-1][0])
    out.append(
        {
            "band": ov["below"],
            "label": labels.BANDS[ov["below"]],
            "range": f"менее {number(last)} {_points_word(last)}",
        }
    )
    return out


def block_conclusion_context(
    *,
    body: Body | Mapping[str, Any],
    period: object,
    result: Mapping[str, Any] | None = None,
    finals: Mapping[str, str] | None = None,
    overall: str | None = None,
    band: str | None = None,
    evaluator: str = "",
    analysis: Mapping[str, str] | None = None,
    recommendations: str | Iterable[str] | None = None,
    signatories: Iterable[Any] = (),
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
    edition: str = DEFAULT_EDITION,
) -> dict[str, Any]:
    """Annex 15: the three directions' finals, the weights, the overall score and its band.

    Give the engine's ``result`` (its three finals, ``overall`` and ``band``), or ``finals``
    (``{"services": "84.12", "openness": …, "complaints": …}``) with ``overall`` and ``band``
    as the engine printed them — the final conclusions' scores after appeals.
    """
    body = Body.of(body)
    if result is not None:
        if finals is not None or overall is not None or band is not None:
            raise ValueError("give either the engine's result or finals/overall/band")
        if result.get("kind") not in (None, body.kind):
            raise ValueError(f"the engine scored a {result.get('kind')} body")
        missing = [d for d in BLOCK_DIRECTIONS if not result.get(d)]
        if missing:
            raise ValueError(f"the block needs all three directions; missing {missing}")
        finals = {d: result[d]["final"] for d in BLOCK_DIRECTIONS}
        overall, band = result["overall"], result["band"]
    if finals is None or overall is None or band is None:
        raise ValueError("annex 15 needs the three finals, the overall score and the band")
    missing = [d for d in BLOCK_DIRECTIONS if d not in finals]
    if missing:
        raise ValueError(f"annex 15: finals lack {', '.join(missing)}")
    bands = band_table(edition, body.kind)
    if band not in {b["band"] for b in bands}:
        raise ValueError(f"unknown band {band!r}")
    ed = edition_of(edition)
    weights = ed.overall["weights"]
    symbol, symbols = _SYMBOLS[body.kind]
    rows = [
        {
            "number": str(i),
            "label": labels.DIRECTIONS[d],
            "symbol": symbols[d],
            "weight": number(weights[d]),
            "score": number(finals[d]),
        }
        for i, d in enumerate(BLOCK_DIRECTIONS, start=1)
    ]
    formula = f"{symbol} = " + " + ".join(
        f"{number(weights[d])} × {symbols[d]}" for d in BLOCK_DIRECTIONS
    )
    ctx = heading(
        15, body=body, period=period, evaluator=evaluator,
        name_caption=labels.NAME_CAPTION_EITHER, version=version,
        replaces_version=replaces_version, draft=draft,
    )  # fmt: skip
    ctx.update(
        rows=rows,
        overall=number(overall),
        formula=formula,
        band=band,
        band_label=labels.BANDS[band],
        band_range=next(b["range"] for b in bands if b["band"] == band),
        bands=[{**b, "current": b["band"] == band} for b in bands],
        analysis_lead=(
            f"Анализ эффективности деятельности {labels.BODY_GENITIVE[body.kind]} по "
            "направлениям операционной оценки:"
        ),
        analysis=analysis_items(
            BLOCK_DIRECTIONS, labels.DIRECTIONS, analysis, mark="dot", semicolons=True,
            prefix="Оценка по направлению",
        ),  # fmt: skip
        recommendations=paragraphs(recommendations),
        facts=[],
        signatures=signature_block(15, signatories),
        edition=str(edition),
    )
    return ctx
