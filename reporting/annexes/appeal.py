"""Annex 14: the disagreement table (таблица разногласий, p.109–115).

The seed's four columns: № (the disputed criterion or indicator printed inside it, under the
row's number), the evaluator's conclusion, the body's objection, and the note (where the special
commission's decision — accepted / not accepted, with its reasoning — is written, above the
row's own note).

Two stages print two signature blocks:

* as filed (``filer`` given): the body's head signs the table as its filer ("Таблицу
  разногласий направил"); the commission's blocks are not printed yet;
* decided: the commission's chair (position, date) and the body's representative under "С
  итогами обжалования ознакомлен", a slot only the acknowledgment after the decision fills.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from . import labels
from .common import heading, signature_block
from .formatting import long_date, number
from .inputs import Body, DisagreementRow, Signatory

DECISIONS = {"accepted": "Возражение принято", "rejected": "Возражение не принято"}
FILER_INTRO = "Таблицу разногласий направил:"
FILER_LABEL = "Руководитель оцениваемого государственного органа"
ACKNOWLEDGED_INTRO = "С итогами обжалования ознакомлен:"


def _filer_block(filer: Any) -> list[dict[str, Any]]:
    """The filing head's block of the table as filed (not a slot of the seed's form)."""
    s = Signatory.of({"role": "body_head", **filer} if isinstance(filer, Mapping) else filer)
    position = s.position.strip()
    if position and position.casefold() in FILER_LABEL.casefold():
        position = ""
    return [{
        "role": "filer", "intro": FILER_INTRO, "label": s.role_label or FILER_LABEL,
        "position": position, "full_name": s.full_name,
        "date": long_date(s.signed_at) if s.signed_at else "", "signed": bool(s.signed_at),
    }]


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
    filer: Any = None,
    version: int = 1,
    draft: bool = False,
) -> dict[str, Any]:
    """The context of annex 14 for one body's objection to one direction's conclusion.

    ``overall_after_appeal`` is the direction's final score after the commission's decision (the
    engine's printed value of the corrected or confirmed conclusion), ``None`` before it.
    ``filer`` (a ``Signatory`` or mapping: ``full_name``, ``position``, ``signed_at``) makes it
    the table as filed, signed by the body's head as its filer; ``signatories`` fill the
    decided table's blocks (``commission_chair``, ``body_representative``: the acknowledgment).
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
    if filer is not None:
        if any(r["decision"] for r in table) or list(signatories):
            raise ValueError("the table as filed carries neither decisions nor the commission's "
                             "signatures")
        signatures = _filer_block(filer)
    else:
        signatures = signature_block(14, signatories)
        signatures[-1]["intro"] = ACKNOWLEDGED_INTRO
    ctx.update(
        direction=direction,
        direction_label=labels.DIRECTIONS[direction],
        rows=table,
        accepted=sum(1 for r in table if r["decision"] == "accepted"),
        rejected=sum(1 for r in table if r["decision"] == "rejected"),
        decided=decided,
        filed=filer is not None,
        decided_on=long_date(decided_on),
        overall_after_appeal=(
            number(overall_after_appeal) if overall_after_appeal is not None else ""
        ),
        signatures=signatures,
    )
    return ctx
