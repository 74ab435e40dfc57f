"""Random *valid* cases, for benchmarks, property tests and demos.

:func:`random_case` draws a case (a ``dict``, as JSON would give it) from a :class:`random.Random`,
covering both kinds of body, every special status, every flag, peer averages, zero bases, the
dislike rule, subordinates' penalties, re-verification penalties and every way of writing a number
(JSON integers, decimal strings, :class:`~decimal.Decimal` for JSON fractions).
"""

from __future__ import annotations

import random
from decimal import Decimal

from .edition import load_edition

__all__ = ["random_case", "perfect_case"]

_COLS = ("kk", "ru")


def _dec(rng: random.Random, lo: int, hi: int, places: int = 2) -> str:
    """A decimal string in [lo, hi] with up to ``places`` decimals."""
    scale = 10**places
    v = rng.randint(lo * scale, hi * scale)
    s = f"{v // scale}.{v % scale:0{places}d}".rstrip("0").rstrip(".")
    return s


def _number(rng: random.Random, text: str) -> object:
    """Write a number as a string, an int or a Decimal (as json.loads(parse_float=Decimal))."""
    r = rng.random()
    if r < 0.5:
        return text
    if "." not in text:
        return int(text)
    return Decimal(text)


def _count(rng: random.Random, n: int) -> object:
    r = rng.random()
    if r < 0.8:
        return n
    if r < 0.9:
        return str(n)
    return Decimal(f"{n}.0")


def _score(rng: random.Random, mx: str) -> object:
    m = Decimal(mx)
    steps = int(m * 10)
    v = Decimal(rng.randint(0, steps)) / 10
    if rng.random() < 0.15:
        v = m
    return _number(rng, format(v.normalize(), "f"))


def _rare(rng: random.Random, p: float = 0.1) -> bool:
    return rng.random() < p


def random_case(rng: random.Random, kind: str | None = None, directions: bool = True) -> dict:
    """A random valid case. With ``directions=True`` every direction is present."""
    ed = load_edition("2023")
    kind = kind or rng.choice(("central", "local"))
    special: list[str] = []
    if kind == "central" and _rare(rng, 0.2):
        special = rng.sample(sorted(ed.specials), rng.randint(1, 2))
    case: dict = {"edition": "2023", "body": {"kind": kind, "special": special}}
    present = ["services", "openness", "complaints"]
    if not directions:
        present = [d for d in present if rng.random() < 0.8]
    if "services" in present:
        case["services"] = _services(rng, kind)
    if "openness" in present:
        case["openness"] = _openness(rng, kind, special, ed)
    if "complaints" in present:
        case["complaints"] = _complaints(rng)
    pens = {}
    for d in ("services", "openness", "complaints"):
        if rng.random() < 0.5:
            pens[d] = {
                "unreliable_facts": _count(rng, rng.choice((0, 0, 1, 3, 10, 30))),
                "incomplete_facts": _count(rng, rng.choice((0, 0, 0, 1, 2, 3))),
            }
    if pens:
        case["penalties"] = pens
    return case


def _services(rng: random.Random, kind: str) -> dict:
    rendered = 0 if _rare(rng, 0.05) else rng.randint(1, 2_000_000)

    def viol() -> int:
        if rendered == 0:
            return 0
        return min(rendered, int(rendered * rng.choice((0, 0.0001, 0.0005, 0.001, 0.01))))

    levels = [_number(rng, _dec(rng, 3, 5)) for _ in range(rng.choice((0, 1, 2, 3, 5, 8)))]
    s: dict = {
        "satisfaction_levels": levels,
        "rendered": _count(rng, rendered),
        "justified_complaints": _count(rng, viol()),
        "late": _count(rng, viol()),
        "unjustified_refusals": _count(rng, viol()),
        "incomplete_package": _count(rng, viol()),
        "extra_documents": _count(rng, viol()),
    }
    if kind == "central":
        kt = 0 if _rare(rng, 0.05) else rng.randint(1, 400)
        pa = rng.randint(0, kt)
        fa = rng.randint(0, kt - pa)
        tv = 0 if _rare(rng, 0.05) else rng.randint(1, 5_000_000)
        atv = 0 if _rare(rng, 0.05) else rng.randint(1, 5_000_000)
        s["automation"] = {
            "kinds_total": _count(rng, kt),
            "partially_automated": _count(rng, pa),
            "fully_automated": _count(rng, fa),
            "electronic_volume": _count(rng, rng.randint(0, tv)),
            "total_volume": _count(rng, tv),
            "automated_paper_volume": _count(rng, rng.randint(0, atv)),
            "automated_total_volume": _count(rng, atv),
            "mobile_available": _count(rng, rng.randint(0, pa + fa)),
            "unavailability_hours": _number(rng, _dec(rng, 0, 40, 1)),
            "proactive_services": _count(rng, rng.randint(0, 5)),
            "digital_documents": _count(rng, rng.randint(0, 3)),
        }
    return s


def _openness(rng: random.Random, kind: str, special: list[str], ed) -> dict:  # noqa: ANN001
    tables = ed.criteria[kind]
    o: dict = {}
    for name in ("open_data", "open_budget", "open_npa", "open_dialogue", "website"):
        t = tables[name]
        block: dict = {}
        scores = {}
        for ind, mx in t.indicators:
            if ind in t.computed or rng.random() < 0.15:
                continue
            cols = {c: _score(rng, mx.text) for c in _COLS if rng.random() < 0.9}
            scores[ind] = cols
        block["scores"] = scores
        if t.flags and rng.random() < 0.5:
            block["flags"] = [f for f in t.flags if rng.random() < 0.4]
        need = set()
        if t.not_assessed_allowed and _rare(rng, 0.1):
            na = [ind for ind, _ in t.indicators if rng.random() < 0.3]
            block["not_assessed"] = na
            need |= set(na)
        for s in special:
            e = t.special_peer.get(s)
            if e:
                need |= e[0]
        if need:
            block["peer_average"] = {
                ind: {c: _number(rng, _dec(rng, 0, 3, 3)) for c in _COLS} for ind in sorted(need)
            }
        if name == "open_dialogue":
            rated = rng.choice((0, rng.randint(1, 5000)))
            block["blog_posts"] = _count(rng, rng.choice((0, 5, 10, 11, 25, 26, 50, 51, 120)))
            block["rated_answers"] = _count(rng, rated)
            block["disliked_answers"] = _count(rng, rng.randint(0, rated // rng.choice((1, 5, 20))))
        if block or rng.random() < 0.9:
            o[name] = block
    total = rng.choice((0, 5, 12, 20, 60))
    received = rng.choice((0, 3, 40, 500))
    answered = rng.randint(0, received)
    o["media"] = {
        "events_high_publicity": {c: _count(rng, rng.randint(0, total)) for c in _COLS},
        "events_total": _count(rng, total),
        "requests_received": _count(rng, received),
        "requests_answered": _count(rng, answered),
        "requests_answered_late": _count(rng, rng.randint(0, answered)),
        "media_satisfied_percent": _number(rng, _dec(rng, 0, 100, 1)),
        "population_satisfied_percent": _number(
            rng, rng.choice((_dec(rng, 0, 100, 2), "35", "36", "79.5", "80", "80.01"))
        ),
    }
    if kind == "central" and rng.random() < 0.5:
        o["subordinates"] = {
            "penalties": {
                k: {c: rng.random() < 0.5 for c in _COLS}
                for k in ed.subordinates["penalties"]
                if rng.random() < 0.4
            }
        }
    return o


def _complaints(rng: random.Random) -> dict:
    handled = 0 if _rare(rng, 0.05) else rng.randint(1, 200_000)
    received = 0 if _rare(rng, 0.05) else rng.randint(handled // 2, handled * 2 + 10)
    hl = min(handled, int(handled * rng.choice((0, 0.001, 0.01, 0.05))))
    rl = min(received, int(received * rng.choice((0, 0.001, 0.01, 0.2))))
    excused = rng.randint(0, min(3, hl + rl))
    da = rng.randint(0, hl + rl + 2)
    return {
        "handled": _count(rng, handled),
        "handled_late": _count(rng, hl),
        "court_upheld": _count(rng, 0 if handled == 0 else rng.choice((0, 0, 1, 2, 10, 100))),
        "received": _count(rng, received),
        "redirected_late": _count(rng, rl),
        "disciplinary_actions": _count(rng, da),
        "excused": _count(rng, excused),
    }


def perfect_case(kind: str) -> dict:
    """A body with full marks everywhere (100 in every direction, 100 overall)."""
    ed = load_edition("2023")
    s: dict = {
        "satisfaction_levels": ["5", "4.80"],
        "rendered": 1000,
        "justified_complaints": 0,
        "late": 0,
        "unjustified_refusals": 0,
        "incomplete_package": 0,
        "extra_documents": 0,
    }
    if kind == "central":
        s["automation"] = {
            "kinds_total": 10, "partially_automated": 0, "fully_automated": 10,
            "electronic_volume": 100, "total_volume": 100,
            "automated_paper_volume": 0, "automated_total_volume": 50,
            "mobile_available": 10, "unavailability_hours": "0",
            "proactive_services": 3, "digital_documents": 2,
        }  # fmt: skip
    o: dict = {}
    for name, t in ed.criteria[kind].items():
        scores = {
            ind: {c: mx.text for c in _COLS} for ind, mx in t.indicators if ind not in t.computed
        }
        o[name] = {"scores": scores}
    o["open_dialogue"].update({"blog_posts": 52, "rated_answers": 10, "disliked_answers": 1})
    o["media"] = {
        "events_high_publicity": {"kk": 12, "ru": 12}, "events_total": 12,
        "requests_received": 10, "requests_answered": 10, "requests_answered_late": 0,
        "media_satisfied_percent": "100", "population_satisfied_percent": "81",
    }  # fmt: skip
    return {
        "edition": "2023",
        "body": {"kind": kind},
        "services": s,
        "openness": o,
        "complaints": {
            "handled": 100,
            "handled_late": 0,
            "court_upheld": 0,
            "received": 100,
            "redirected_late": 0,
            "disciplinary_actions": 0,
            "excused": 0,
        },  # fmt: skip
    }
