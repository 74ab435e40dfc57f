"""Independent re-computation of ``explain`` entries.

Each entry names its formula by ``id``; :func:`recompute_entry` evaluates that formula from the
entry's ``inputs`` alone (plus the edition's bands, read from the data file, not from the engine's
precomputed tables), with :class:`fractions.Fraction`. It is deliberately a second, slow and simple
implementation: :func:`verify_explain` checks a whole result against it (exact values, printed
values, coverage of every printed number, indicator entries against their criterion).
"""

from __future__ import annotations

import math
from fractions import Fraction

from .edition import raw_edition

__all__ = ["recompute_entry", "verify_explain", "round_half_up"]


def _f(text: str) -> Fraction:
    return Fraction(text)


def round_half_up(x: Fraction) -> str:
    """Half-up (away from zero) to two places, on the exact value."""
    c = math.floor(abs(x) * 100 + Fraction(1, 2))
    sign = "-" if x < 0 and c else ""
    return f"{sign}{c // 100}.{c % 100:02d}"


def _band_ge(x: Fraction, bands: list, otherwise: str) -> Fraction:
    for lo, pts in bands:
        if x >= Fraction(lo):
            return Fraction(pts)
    return Fraction(otherwise)


def recompute_entry(entry: dict, *, kind: str, edition: str = "2023") -> Fraction | str:
    """Recompute one explain entry from its ``id`` and ``inputs``."""
    raw = raw_edition(edition)
    fid = entry["id"]
    i = entry["inputs"]
    if fid == "deduction":
        k, a, b, per = _f(i["k"]), _f(i["a"]), _f(i["b"]), _f(i["per"])
        if b == 0:
            return k
        return max(Fraction(0), k - a / b * per)
    if fid == "sum":
        return sum((_f(v) for v in i.values()), Fraction(0))
    if fid == "satisfaction_mean":
        n = int(i["n"])
        spec = raw["services"][kind]["P1"]
        if n == 0:
            return _f(spec["max"])
        total = Fraction(0)
        for j in range(n):
            level = _f(i[f"level[{j}]"])
            u = _band_ge(level, spec["bands"], spec["below"])
            if u != _f(i[f"U[{j}]"]):
                raise AssertionError(f"U[{j}] = {i[f'U[{j}]']} but level {level} gives {u}")
            total += u
        return total / n
    if fid == "automation_degree":
        c, d, n, w, k = (_f(i[x]) for x in ("c", "d", "n", "w", "k"))
        return k if n == 0 else (w * c + d) / n * k
    if fid == "automation_efficiency":
        e, z, b, c, k = (_f(i[x]) for x in ("e", "z", "b", "c", "k"))
        s1 = Fraction(1) if z == 0 else e / z
        s2 = Fraction(1) if c == 0 else (c - b) / c
        return (s1 + s2) / 2 * k
    if fid == "smartphone":
        w, p, f, k = (_f(i[x]) for x in ("w", "partially", "fully", "k"))
        return k if p + f == 0 else w / (p + f) * k
    if fid == "capped_product":
        return min(_f(i["max"]), _f(i["t"]) * _f(i["w"]))
    if fid == "automation_criterion":
        T, V, C, P, D, S = (_f(i[x]) for x in "TVCPDS")
        return min(_f(i["max"]), max(Fraction(0), T + V + C - P + D + S))
    if fid == "penalty":
        u, inc, wu, wi, cap = (_f(i[x]) for x in ("unreliable", "incomplete", "wu", "wi", "cap"))
        return min(cap, wu * u + wi * inc)
    if fid == "final":
        return max(Fraction(0), _f(i["total"]) - _f(i["penalty"]))
    if fid == "capped_sum":
        return min(_f(i["cap"]), sum((_f(v) for k, v in i.items() if k != "cap"), Fraction(0)))
    if fid == "peer_average":
        mx = _f(i["max"])
        return min(mx, _f(i["peer_kk"])) + min(mx, _f(i["peer_ru"]))
    if fid == "full_marks":
        return 2 * _f(i["max"])
    if fid == "zeroed":
        return Fraction(0)
    if fid == "blog_posts":
        posts = int(i["posts"])
        bp = raw["openness"]["criteria"]["open_dialogue"]["blog_posts"]
        pts = Fraction(bp["otherwise"])
        for lo, p in bp["bands"]:
            if posts > int(lo):
                pts = Fraction(p)
                break
        return 2 * pts
    if fid == "blog_answers":
        rated, disliked = int(i["rated"]), int(i["disliked"])
        if rated and Fraction(disliked, rated) > _f(i["threshold"]):
            return Fraction(0)
        return _f(i["kk"]) + _f(i["ru"])
    if fid == "media":
        m = raw["openness"]["media"]
        b = max(int(m["A"]["min_events"]), int(i["events_total"]))
        amax = Fraction(m["A"]["max"])
        a_sum = sum(min(Fraction(int(i[c])), b) / b * amax for c in ("a_kk", "a_ru"))
        received = int(i["received"])
        if received == 0:
            bb = Fraction(m["B"]["max"])
        else:
            bb = Fraction(int(i["answered"]) - int(i["answered_late"]), received) * Fraction(
                m["B"]["max"]
            )
        c = _f(i["media_satisfied_percent"]) / 100
        pop = _f(i["population_satisfied_percent"])
        if pop > Fraction(m["D"]["top"][0]):
            d = Fraction(m["D"]["top"][1])
        else:
            d = _band_ge(pop, m["D"]["bands"], m["D"]["otherwise"])
        return (a_sum + 2 * bb) * c + 2 * d
    if fid == "openness_total":
        parts = sum((_f(i[f"P{j}"]) for j in range(1, 7)), Fraction(0))
        return max(Fraction(0), parts - _f(i["P7"]))
    if fid == "internal_control":
        r4 = raw["complaints"]["R4"]
        base = int(i["handled_late"]) + int(i["redirected_late"]) - int(i["excused"])
        if base == 0:
            return Fraction(r4["none_late"])
        share = Fraction(int(i["disciplinary_actions"]) * 100, base)
        return _band_ge(share, r4["bands"], r4["otherwise"])
    if fid == "overall":
        return sum(
            (_f(i["w_" + d]) * _f(i[d]) for d in ("services", "openness", "complaints")),
            Fraction(0),
        )
    if fid == "band":
        ov = raw["overall"]
        x = _f(i["overall"])
        for lo, name in ov["bands"]:
            if x >= Fraction(lo):
                return name
        return ov["below"]
    raise KeyError(f"unknown formula id {fid!r}")


def verify_explain(result: dict) -> list[str]:
    """Return the list of problems found in ``result["explain"]`` (empty when all is well)."""
    problems: list[str] = []
    kind = result["kind"]
    edition = result["edition"]
    explain = result["explain"]
    for key, entry in explain.items():
        try:
            got = recompute_entry(entry, kind=kind, edition=edition)
        except Exception as e:  # noqa: BLE001
            problems.append(f"{key}: recompute failed: {e!r}")
            continue
        if isinstance(got, str):
            if got != entry["value"]:
                problems.append(f"{key}: value {entry['value']!r}, recomputed {got!r}")
            continue
        if Fraction(entry["value"]) != got:
            problems.append(f"{key}: value {entry['value']}, recomputed {got}")
    # coverage and printed values
    for direction in ("services", "openness", "complaints"):
        block = result.get(direction)
        if block is None:
            continue
        for code, printed in block.items():
            key = f"{direction}.{code}"
            entry = explain.get(key)
            if entry is None:
                problems.append(f"{key}: printed but not explained")
                continue
            if round_half_up(Fraction(entry["value"])) != printed:
                problems.append(f"{key}: printed {printed}, explained value {entry['value']}")
    if result.get("overall") is not None:
        if "overall" not in explain or "band" not in explain:
            problems.append("overall/band: not explained")
        elif round_half_up(Fraction(explain["overall"]["value"])) != result["overall"]:
            problems.append("overall: printed value differs from the explained one")
        elif explain["band"]["value"] != result["band"]:
            problems.append("band: printed value differs from the explained one")
    # indicator entries agree with what their criterion counted
    codes = {"open_data": "P1", "open_budget": "P2", "open_npa": "P3", "open_dialogue": "P4",
             "website": "P5"}  # fmt: skip
    for key, entry in explain.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "openness" and parts[1] in codes:
            crit = explain.get(f"openness.{codes[parts[1]]}")
            if crit is None:
                problems.append(f"{key}: its criterion is not explained")
                continue
            ind = parts[2]
            counted = _f(crit["inputs"][f"{ind}.kk"]) + _f(crit["inputs"][f"{ind}.ru"])
            if counted != Fraction(entry["value"]):
                problems.append(f"{key}: value {entry['value']} but the criterion counts {counted}")
    # totals refer to the exact values of their parts
    for key, entry in explain.items():
        if entry["id"] in ("sum", "openness_total", "final"):
            direction = key.split(".")[0]
            for name, text in entry["inputs"].items():
                ref = explain.get(f"{direction}.{name}")
                if ref is not None and Fraction(ref["value"]) != Fraction(text):
                    problems.append(
                        f"{key}: input {name}={text} but {direction}.{name} is {ref['value']}"
                    )
    return problems
