"""Annex 14: the disagreement table (таблица разногласий, p.109–115).

The body fills the rows (the disputed criterion or indicator, the evaluator's conclusion, its
objection); the special commission completes them with its decision (accepted / not accepted, with
its reasoning) and the overall score after the appeal; the chair signs (position, date) and the
body's representative acknowledges ("С итогами обжалования ознакомлен").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from . import labels
from .common import heading, signature_block
from .formatting import long_date, number
from .inputs import Body, DisagreementRow

DECISIONS = {"accepted": "Возражение принято", "rejected": "Возражение не принято"}


def disagreement_table_context(
    *,
    body: Body | Mapping[str, Any],
    direction: str,
    rows: Iterable[Any],
    period: object = None,
    overall_after_appeal: str | None = None,
    evaluator: str = "",
    decided_on: date | datetime | None = None,
    signatories: Iterable[Any] = (),
    version: int = 1,
    draft: bool = False,
) -> dict[str, Any]:
    """The context of annex 14 for one body's objection to one direction's conclusion.

    ``overall_after_appeal`` is the direction's final score after the commission's decision (the
    engine's printed value of the corrected or confirmed conclusion), ``None`` before it.
    """
    body = Body.of(body)
    if direction not in labels.DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    table = []
    for i, value in enumerate(rows, start=1):
        row = DisagreementRow.of(value)
        table.append(
            {
                "number": i,
                "subject": row.subject,
                "evaluator_conclusion": row.evaluator_conclusion,
                "objection": row.objection,
                "decision": row.decision,
                "decision_label": DECISIONS.get(row.decision, ""),
                "reasoning": row.reasoning,
                "note": row.note,
            }
        )
    if not table:
        raise ValueError("a disagreement table has at least one row")
    decided = all(r["decision"] for r in table)
    if overall_after_appeal is not None and not decided:
        raise ValueError("the overall score after the appeal needs a decision on every row")
    ctx = heading(
        14, body=body, period=period, evaluator=evaluator, version=version, draft=draft,
        name_caption="(оцениваемый государственный орган)",
    )  # fmt: skip
    signatures = signature_block(14, signatories)
    signatures[-1]["intro"] = "С итогами обжалования ознакомлен:"
    ctx.update(
        direction=direction,
        direction_label=labels.DIRECTIONS[direction],
        rows=table,
        accepted=sum(1 for r in table if r["decision"] == "accepted"),
        rejected=sum(1 for r in table if r["decision"] == "rejected"),
        decided=decided,
        decided_on=long_date(decided_on),
        overall_after_appeal=(
            number(overall_after_appeal) if overall_after_appeal is not None else ""
        ),
        signatures=signatures,
    )
    return ctx
