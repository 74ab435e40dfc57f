"""Pure-Python scoring engine of the operational assessment (no Django in this package).

Public API
----------
* :func:`validate_case` ``(case: dict) -> Case`` — validate a case (SCORING_IO.md) into typed
  dataclasses; raises :class:`ScoringError` ``(path, message)`` with the full JSON path.
* :func:`score` ``(case: Case) -> dict`` — the result object, ``explain`` included.
* :func:`score_case_dict` ``(case: dict) -> dict`` — both of the above.
* :func:`score_case_json` ``(text: str | bytes) -> dict`` — from JSON text, numbers read exactly.
* :func:`recompute_entry` / :func:`verify_explain` — recompute ``explain`` entries independently.
* :func:`load_edition` / :func:`available_editions` — editions are data files in ``editions/``.
* ``cli.main`` — the command line; ``manage.py score_case`` wraps it.

Where the contract (SCORING_IO.md) decides what the seed leaves open
-------------------------------------------------------------------
1. Exact rational arithmetic for every formula; only printed values are rounded, half-up to two
   places, each from its own exact value (printed parts need not add up to a printed total).
2. The overall score is computed from the three direction finals *as printed* (rounded), and the
   band from the rounded overall (the seed writes its edges to two places: 89,99).
3. ``rendered`` is both the b of T1 and the b1 of P2, T2–T4 (the seed names them apart).
4. The smartphone indicator's a (p.52) is ``partially_automated + fully_automated``.
5. Zero bases take the indicator's maximum (as p.100 and annex 13 do): no services rendered
   (P2, T1–T4), no complaints handled or received (R1–R3), no kinds of services (T), no automated
   services (C), no satisfaction levels (P1); in V a share with a zero base counts as 1.
6. Satisfaction bands (annex 6) are half-open: [4.80, 5], [4.60, 4.80), …; a level between the
   seed's written edges (4.795) falls to the band below.
7. Media D (table 7-1): > 80 → 1.5 ("свыше 80 %"), ≥ 69 → 1, ≥ 58 → 0.8, ≥ 47 → 0.6, ≥ 36 → 0.4,
   else 0; the seed's gaps (exactly 80, 79–80, 35–36) fall to the band below; D is the same in
   both language columns.
8. Media A: "b must be at least 12" is read as b′ = max(12, events_total) [reconstructed].
9. R4 (annex 13): ≥ 90 → 10, ≥ 80 → 8, ≥ 70 → 6, ≥ 60 → 4, ≥ 50 → 1, else 0; the gaps
   (89.9–90, 49.9–50) fall to the band below; no late cases left after excusing → 10; a share
   above 100 % is 10; excused cases (dismissal) leave the denominator.
10. K3 = min(25, max(0, T + V + C − P + D + S)): D and S only lift a criterion below 25 (p.46);
    they are printed at their own values even where they do not count.
11. Open data: P1 = min(18, all six indicators incl. the API stimulus): the stimulus only lifts a
    criterion below 18; flag ``no_unified_list_datasets`` gives the stimulus full marks.
12. P7 (subordinate organisations) applies to central bodies only (table 8's note beats p.86–88);
    a local body prints P7 "0.00".
13. Openness flags act only within the criterion whose list holds them (the budget's and the
    legal acts' press releases are different facts, p.67 and p.71); ``no_drafts_planned`` beats
    ``no_press_releases`` on the draft indicators (p.71).
14. Peer averages: a case states them (``peer_average``), capped at the indicator's maximum; an
    indicator taken from the average ignores flags and any given score. Population (for the
    application): all bodies for a secret/ДСП budget and the National Bank's indicators; central
    bodies for the ministries of defence and foreign affairs. The Ministry of Defence's
    ``online_meetings`` (table 6, note *) also takes the central bodies' average (our decision,
    like note **).
15. The dislike rule zeroes ``blog_answers`` when disliked / rated > 10 % (no rated answers: not
    zeroed); blog posts: > 50 → 1.5, > 25 → 1, > 10 → 0.5, else 0.3 per column (no blog = 0
    posts → 0.3).
16. Re-verification penalties per direction: min(5, 0.2 × unreliable + 2 × incomplete) (our act,
    annex 1, lists both kinds); final = max(0, total − penalty); openness total is floored at 0.
17. A direction may be omitted: its result, ``overall`` and ``band`` are then null and its
    ``penalties`` entry is ignored (it is still checked for shape).

Engineering decisions where the contract is silent
--------------------------------------------------
* ``edition`` and ``body.kind`` are required; ``satisfaction_levels`` is required (may be empty).
* A direction given as JSON ``null`` counts as omitted.
* Duplicates in ``flags``, ``not_assessed`` and ``body.special`` are harmless (a set).
* A missing optional criterion block is an empty block; so for a body whose special status
  makes indicators take the peer average, a missing block is an error (the averages are missing).
* JSON numbers may use an exponent (JSON allows it); decimal *strings* may not. Exponents beyond
  ±1000 are refused; binary floats, NaN and Infinity are refused.
* In ``--jsonl``, blank lines are skipped; each invalid line also gets a line on stderr.
* The path of an error on the sum ``partially_automated + fully_automated`` names the summand that
  alone exceeds ``kinds_total``, else ``fully_automated``.

Reconstructed formulas are listed, and implemented, in one place: :mod:`.formulas`.
"""

from __future__ import annotations

from .edition import Edition, available_editions, load_edition
from .engine import score
from .model import Case
from .recompute import recompute_entry, verify_explain
from .validate import ScoringError, validate_case

__all__ = [
    "Case",
    "Edition",
    "ScoringError",
    "available_editions",
    "load_edition",
    "recompute_entry",
    "score",
    "score_case_dict",
    "score_case_json",
    "validate_case",
    "verify_explain",
]


def score_case_dict(case: dict) -> dict:
    """Validate and score a case given as a ``dict`` (numbers as int, Decimal or decimal strings;
    binary floats are refused). Raises :class:`ScoringError`."""
    return score(validate_case(case))


def score_case_json(text: str | bytes) -> dict:
    """Validate and score a case given as JSON text (floats read as Decimal)."""
    from .cli import score_text

    return score_text(text)
