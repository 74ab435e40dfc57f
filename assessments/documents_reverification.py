"""The reconciliation act (annex 1) as a document kind of the reporting service, and what its
signatures set off.

The renderer builds the act's context from the act's own snapshot (``ReconciliationAct.facts``),
never from the live findings, so re-rendering a version gives the same document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.selectors import name_on
from assessments.services.reverification import (
    ACT_DOCUMENT_KIND,
    reconciliation_act_signature_recorded,
)
from reporting.renderers import register
from reporting.signing.hooks import on_signature


def _ru(value) -> str:
    """A number as the Russian text of the act prints it: two decimals, a decimal comma."""
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


def act_context(act) -> dict[str, Any]:
    """Plain data of the act (annex 1): body, period, direction, numbered facts with points, the
    sum, the total deduction, the signature block."""
    from reporting.signing.blocks import SIGNATURE_BLOCKS

    rv = act.reverification
    name_ru, name_kk = name_on(rv.body, rv.cycle.names_on)
    evaluator_ru, _evaluator_kk = name_on(rv.evaluator, rv.cycle.names_on)
    facts = [dict(f, points=_ru(f["points"])) for f in act.facts]
    return {
        "version": act.version,
        "body_name_ru": name_ru,
        "body_name_kk": name_kk,
        "evaluator_name_ru": evaluator_ru,
        "period": rv.cycle.year,
        "direction_label": rv.get_direction_display(),
        "facts": facts,
        "unreliable": [f for f in facts if f["kind"] == "unreliable"],
        "incomplete": [f for f in facts if f["kind"] == "incomplete"],
        "points_sum": _ru(act.points_sum),
        "deduction": _ru(act.deduction),
        "capped": act.points_sum > act.deduction,
        "issued_on": act.issued_at.date(),
        "signature_block": [position for _role, position in SIGNATURE_BLOCKS[1]],
    }


@register(ACT_DOCUMENT_KIND)
def render_reconciliation_act(document) -> tuple[str, dict[str, Any]]:
    return "pdf/reconciliation_act.html", act_context(document.subject)


# However the act is signed (its page, or the signing service's own page), the re-verification
# follows.
on_signature(ACT_DOCUMENT_KIND)(reconciliation_act_signature_recorded)
