"""The methodology's formulas, on exact integers — RECONSTRUCTED ones are all here.

The seed's formulas for P1, P2, T1–T4, T, V, C, A, B, C (media) and R1–R3 were images and were
lost from its text; METHODOLOGY.md reconstructs them from the surrounding definitions ("where" lists
of symbols, coefficients, "per 10 000 services", "if negative, 0"). They are kept in this one
module, each marked **[reconstructed]**, so that an official text can replace them without hunting.
Their parameters (k, the 10 000 / 1 000 / 100 scales, weights, bands, caps) are data of the edition
(``editions/<name>.json``), not constants here.

Reconstructed formulas (symbols of METHODOLOGY.md / SCORING_IO.md):

* P1 (p.31) = (U1 + … + Un) / n, Un by annex 6's satisfaction bands (half-open, [4.80, 5],
  [4.60, 4.80), …); n = 0 → the maximum.
* P2, T1, T2, T3, T4 (p.33, 41–44) = max(0, k − x / b × 10 000); b = 0 → k.
* T (p.49) = (0.5 × c + d) / n × k, k = 10; n = 0 → k.
* V (p.51) = (e / z + (c − b) / c) / 2 × k, k = 10; a share with a zero base counts as 1.
* C (p.52) = w / a × k, k = 5, a = partially + fully automated; a = 0 → k.
* media A (p.81) = min(a, b′) / b′ × 2.5, b′ = max(12, b) ("b must be at least 12").
* media B (p.82) = (answered − answered late) / received × 1; nothing received → 1.
* media C (p.83) = a / 100.
* R1 (p.97) = max(0, 40 − f / p × 1 000); p = 0 → 40.
* R2 (p.99) = max(0, 30 − a / p × 10 000); p = 0 → 30 (and no upheld complaints → 30, p.100).
* R3 (p.102) = max(0, 20 − n / m × 100); m = 0 → 20.

Formulas written out in the seed's text (P = t × w, D = q × k, S = l × k, K3, P6 = (A + B) × C + D,
O, H, U, the overall score) and the band tables (annexes 6, 13, table 7-1, table 6 item 3) are
implemented in :mod:`assessments.scoring.engine` from the edition's data.

Every function returns an exact rational ``(numerator, denominator)`` with a positive denominator.
"""

from __future__ import annotations

__all__ = [
    "satisfaction_mean",
    "deduction",
    "automation_degree",
    "automation_efficiency",
    "smartphone",
    "media_a_sum",
    "media_b",
]


def satisfaction_mean(levels, bands, below) -> tuple[int, int, list]:  # noqa: ANN001
    """[reconstructed] P1 = (U1 + … + Un) / n, Un by the bands (``[(lower, points), …]``,
    highest first, each lower edge inclusive; ``below`` under the last). ``n > 0``.

    Returns ``(n, d, [points per level])``.
    """
    sn, sd = 0, 1
    chosen = []
    for n, d, _ in levels:
        pts = below
        for lo, pt in bands:
            if n * lo.d >= lo.n * d:
                pts = pt
                break
        chosen.append(pts)
        if pts.d == sd:
            sn += pts.n
        else:
            sn, sd = sn * pts.d + pts.n * sd, sd * pts.d
    return sn, sd * len(levels), chosen


def deduction(kn: int, kd: int, x: int, b: int, per: int) -> tuple[int, int, bool, bool]:
    """[reconstructed] max(0, k − x / b × per) with k = kn/kd; b = 0 → k.

    Returns ``(n, d, zero_base, floored)``.
    """
    if b == 0:
        return kn, kd, True, False
    n = kn * b - x * per * kd
    if n < 0:
        return 0, 1, False, True
    return n, kd * b, False, False


def automation_degree(
    c: int, d: int, n: int, wn: int, wd: int, kn: int, kd: int
) -> tuple[int, int, bool]:
    """[reconstructed] T = (w × c + d) / n × k, w = wn/wd (0.5); n = 0 → k. ``(n, d, zero)``."""
    if n == 0:
        return kn, kd, True
    return (wn * c + wd * d) * kn, wd * n * kd, False


def automation_efficiency(
    e: int, z: int, b: int, c: int, kn: int, kd: int
) -> tuple[int, int, bool, bool]:
    """[reconstructed] V = (e / z + (c − b) / c) / 2 × k; a zero base share counts as 1.

    Returns ``(n, d, z_zero, c_zero)``.
    """
    z_zero = z == 0
    c_zero = c == 0
    s1n, s1d = (1, 1) if z_zero else (e, z)
    s2n, s2d = (1, 1) if c_zero else (c - b, c)
    return (s1n * s2d + s2n * s1d) * kn, 2 * s1d * s2d * kd, z_zero, c_zero


def smartphone(w: int, a: int, kn: int, kd: int) -> tuple[int, int, bool]:
    """[reconstructed] C = w / a × k; a = 0 → k. ``(n, d, zero)``."""
    if a == 0:
        return kn, kd, True
    return w * kn, a * kd, False


def media_a_sum(a_kk: int, a_ru: int, b: int, min_b: int, mn: int, md: int) -> tuple[int, int, int]:
    """[reconstructed] A_kk + A_ru with A = min(a, b′) / b′ × max, b′ = max(min_b, b).

    Returns ``(n, d, b′)``.
    """
    bp = b if b > min_b else min_b
    x = (a_kk if a_kk < bp else bp) + (a_ru if a_ru < bp else bp)
    return x * mn, md * bp, bp


def media_b(received: int, answered: int, late: int, mn: int, md: int) -> tuple[int, int, bool]:
    """[reconstructed] B = (answered − late) / received × max; nothing received → max."""
    if received == 0:
        return mn, md, True
    return (answered - late) * mn, received * md, False
