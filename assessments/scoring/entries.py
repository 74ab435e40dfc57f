"""The ``explain`` entries the directions share (see :mod:`.engine`): an entry, a deduction
indicator with its zero-base and floor rules, and a direction's penalty and final (p.20)."""

from __future__ import annotations

from .edition import Edition
from .exact import fmt2, qstr
from .formulas import (
    deduction,
)
from .model import PenaltyFacts

_ZB = "zero base: {what} → the maximum (as p.100 and annex 13 do for their cases)"
_FLOOR = "negative result floored at 0"
_DEDUCTION_TEXT = {
    10000: "max(0, k − a / b × 10000)",
    1000: "max(0, k − a / b × 1000)",
    100: "max(0, k − a / b × 100)",
}


def _entry(formula: str, inputs: dict, n: int, d: int, rules: list, source: str, fid: str) -> dict:
    return {
        "formula": formula,
        "inputs": inputs,
        "value": qstr(n, d),
        "rules": rules,
        "source": source,
        "id": fid,
    }


def _deduction_entry(
    code: str, spec: dict, x: int, b: int, what_zero: str, explain: dict, prefix: str
) -> tuple[int, int]:
    k = spec["k"]
    per = spec["per"]
    n, d, zero, floored = deduction(k.n, k.d, x, b, per)
    rules = []
    if zero:
        rules.append(_ZB.format(what=what_zero))
    elif floored:
        rules.append(_FLOOR)
    explain[prefix + code] = {
        "formula": _DEDUCTION_TEXT.get(per) or f"max(0, k − a / b × {per})",
        "inputs": {"k": k.text, "a": str(x), "b": str(b), "per": str(per)},
        "value": qstr(n, d),
        "rules": rules,
        "source": spec["source"],
        "id": "deduction",
    }
    return n, d


def _penalty_final(
    total: tuple[int, int], facts: PenaltyFacts, ed: Edition, explain: dict, prefix: str
) -> tuple[str, str, int, int]:
    pen = ed.penalty
    wu = pen["unreliable"]
    wi = pen["incomplete"]
    cap = pen["cap"]
    u = facts.unreliable_facts
    i = facts.incomplete_facts
    pd = wu.d * wi.d
    pn = u * wu.n * wi.d + i * wi.n * wu.d
    rules = []
    if pn * cap.d > cap.n * pd:
        rules.append(f"capped at {cap.text} points per direction (p.20)")
        pn, pd = cap.n, cap.d
    explain[prefix + "penalty"] = _entry(
        "min(cap, wu × unreliable + wi × incomplete)",
        {"unreliable": str(u), "incomplete": str(i), "wu": wu.text, "wi": wi.text, "cap": cap.text},
        pn, pd, rules, pen["source"], "penalty",
    )  # fmt: skip
    tn, td = total
    total_text = explain[prefix + "total"]["value"]
    fn = tn * pd - pn * td
    fd = td * pd
    rules = []
    if fn < 0:
        fn, fd = 0, 1
        rules.append(_FLOOR)
    explain[prefix + "final"] = _entry(
        "max(0, total − penalty)",
        {"total": total_text, "penalty": explain[prefix + "penalty"]["value"]},
        fn, fd, rules, pen["source"], "final",
    )  # fmt: skip
    return fmt2(pn, pd), fmt2(fn, fd), fn, fd
