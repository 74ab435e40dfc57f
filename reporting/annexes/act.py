"""Annex 1: the reconciliation act (акт сверки) after re-verification (p.12–21).

The seed's form lists facts of untrue information with the points deducted for each; our act lists
both kinds of p.18 — untrue information (0.2 points per fact in the 2023 edition) and missing
parts of the report (2 points) — numbered, with the section of the report each concerns, the sum,
and the total deduction as the scoring engine caps it (5 points per direction, p.20). It is signed
by a representative of the evaluating body and one of the evaluated body (in that order), and
carries the body's remarks when it signed with remarks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from . import labels
from .common import DEFAULT_EDITION, deduction, fact_rows, heading, signature_block
from .conclusions import paragraphs
from .formatting import long_date
from .inputs import Body

DIRECTIONS_WITH_ACTS = ("services", "automation", "openness", "complaints")


def reconciliation_act_context(
    *,
    body: Body | Mapping[str, Any],
    period: object,
    direction: str,
    facts: Iterable[Any] = (),
    evaluator: str = "",
    remarks: str | Iterable[str] | None = None,
    signatories: Iterable[Any] = (),
    act_date: date | datetime | None = None,
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
    edition: str = DEFAULT_EDITION,
) -> dict[str, Any]:
    """The context of annex 1 for one body and one direction."""
    body = Body.of(body)
    if direction not in DIRECTIONS_WITH_ACTS:
        raise ValueError(f"unknown direction {direction!r}")
    rows = fact_rows(facts, edition)
    total = deduction(rows, kind=body.kind, edition=edition)
    ctx = heading(
        1, body=body, period=period, evaluator=evaluator,
        name_caption=labels.NAME_CAPTION_EITHER, version=version,
        replaces_version=replaces_version, draft=draft,
    )  # fmt: skip
    ctx.update(
        direction=direction,
        direction_label=labels.DIRECTIONS[direction],
        act_date=long_date(act_date),
        facts=rows,
        unreliable=[r for r in rows if r["kind"] == "unreliable"],
        incomplete=[r for r in rows if r["kind"] == "incomplete"],
        deduction=total,
        remarks=paragraphs(remarks),
        signatures=signature_block(1, signatories),
        edition=str(edition),
    )
    return ctx
