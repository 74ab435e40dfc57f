"""Scoring of a validated case: the result of SCORING_IO.md with its ``explain``.

All arithmetic is exact on integers (see :mod:`.exact`); only printed numbers are rounded, half-up
to two places, each from its own exact value. Every printed number has an ``explain`` entry::

    {"formula": "max(0, k − a / b × 10000)",     # human-readable
     "inputs": {"k": "12", "a": "100", "b": "250000", "per": "10000"},   # strings
     "value": "8",                                  # the exact value (decimal or "n/d")
     "rules": [],                                   # special rules applied, in words
     "source": "p.40–41",                           # seed paragraph / annex
     "id": "deduction"}                             # formula id: how to recompute from inputs

:mod:`.recompute` recomputes any entry from its ``id`` and ``inputs`` alone (with the edition's
bands), independently of this module.

This module is the entry point (:func:`score`, :func:`band_of`); each direction is computed in
its own module (:mod:`.score_services`, :mod:`.score_openness`, :mod:`.score_complaints`), with
the ``explain`` helpers they share in :mod:`.entries`.
"""

from __future__ import annotations

from .edition import load_edition
from .entries import _entry
from .exact import fmt2
from .model import Case, PenaltyFacts
from .score_complaints import _complaints
from .score_openness import _openness
from .score_services import _services

__all__ = ["score", "band_of", "SERVICE_KEYS_CENTRAL", "SERVICE_KEYS_LOCAL"]

SERVICE_KEYS_CENTRAL = (
    "P1", "P2", "K1", "T1", "T2", "T3", "T4", "K2",
    "T", "V", "C", "P", "D", "S", "K3", "total", "penalty", "final",
)  # fmt: skip
SERVICE_KEYS_LOCAL = ("P1", "P2", "K1", "T1", "T2", "T3", "T4", "K2", "total", "penalty", "final")

_NO_PENALTY = PenaltyFacts()


def _band(cents: int, ov: dict, printed: str) -> tuple[str, str]:
    for lo, name in ov["bands"]:
        if cents * lo.d >= lo.n * 100:
            return name, f"{printed} ≥ {lo.text} → {name}"
    return ov["below"], f"{printed} below every band → {ov['below']}"


def band_of(cents: int, edition: str = "2023") -> str:
    """The effectiveness band of an overall score given in hundredths (6573 for 65.73)."""
    return _band(cents, load_edition(edition).overall, fmt2(cents, 100))[0]


# --- the case ------------------------------------------------------------------------------------


def score(case: Case) -> dict:
    """Score a validated case: the result object of SCORING_IO.md (key order as there)."""
    ed = load_edition(case.edition)
    kind = case.body.kind
    explain: dict[str, dict] = {}
    pens = case.penalties
    result: dict = {"edition": case.edition, "kind": kind}
    finals = {}
    if case.services is not None:
        out, fn, fd = _services(case.services, kind, ed, pens.get("services", _NO_PENALTY), explain)
        result["services"] = out
        finals["services"] = out["final"]
    else:
        result["services"] = None
    if case.openness is not None:
        out, fn, fd = _openness(
            case.openness, kind, case.body.special, ed, pens.get("openness", _NO_PENALTY), explain
        )
        result["openness"] = out
        finals["openness"] = out["final"]
    else:
        result["openness"] = None
    if case.complaints is not None:
        out, fn, fd = _complaints(case.complaints, ed, pens.get("complaints", _NO_PENALTY), explain)
        result["complaints"] = out
        finals["complaints"] = out["final"]
    else:
        result["complaints"] = None
    if len(finals) == 3:
        ov = ed.overall
        weights = ov["weights"]
        # the finals as printed: cents / 100
        on, od = 0, 1
        inputs = {}
        for direction in ("services", "openness", "complaints"):
            text = finals[direction]
            cents = int(text.replace(".", ""))
            w = weights[direction]
            n, d = cents * w.n, 100 * w.d
            on, od = on * d + n * od, od * d
            inputs[direction] = text
            inputs["w_" + direction] = w.text
        explain["overall"] = _entry(
            "w_services × services.final + w_openness × openness.final + w_complaints × "
            "complaints.final (finals as printed)",
            inputs, on, od, ["the three finals are taken as printed (rounded to 2 places)"],
            ov["source"], "overall",
        )  # fmt: skip
        printed = fmt2(on, od)
        result["overall"] = printed
        cents = int(printed.replace(".", ""))
        band, rule = _band(cents, ov, printed)
        result["band"] = band
        explain["band"] = {
            "formula": "≥ 90 high, ≥ 70 medium, ≥ 50 low, else ineffective "
            "(on the rounded overall)",
            "inputs": {"overall": printed},
            "value": band,
            "rules": [rule],
            "source": ov["band_source"],
            "id": "band",
        }
    else:
        result["overall"] = None
        result["band"] = None
    result["explain"] = explain
    return result
