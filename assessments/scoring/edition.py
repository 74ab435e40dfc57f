"""Methodology editions as data.

An edition is one JSON file in ``editions/`` (``editions/2023.json`` is the seed's): every weight,
coefficient, maximum, band, cap and source reference of the methodology. Adding an edition means
adding a file with the same shape; :func:`load_edition` reads it once and precomputes the tables
the engine uses (exact rationals as ``(numerator, denominator)``), so nothing is parsed per case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from .exact import parse_number

__all__ = ["Edition", "Param", "CriterionTable", "load_edition", "available_editions"]

EDITIONS_DIR = Path(__file__).with_name("editions")
KINDS = ("central", "local")


@dataclass(frozen=True, slots=True)
class Param:
    """An exact number of the edition: ``n/d`` and the text it was written as."""

    n: int
    d: int
    text: str

    @classmethod
    def of(cls, text: str) -> Param:
        n, d, t = parse_number(text)
        return cls(n, d, t)


@dataclass(slots=True)
class CriterionTable:
    """One openness criterion (P1–P5) for one kind of body."""

    name: str
    code: str
    cap: Param
    source: str
    indicators: tuple[tuple[str, Param], ...]  # in table order
    maxima: dict[str, Param]
    scorable: dict[str, Param]  # indicators an assessor scores (maxima less the computed ones)
    rows: tuple[tuple[str, Param, str, str], ...]  # (indicator, max, "<ind>.kk", "<ind>.ru")
    always_ruled: frozenset[str]  # indicators always computed by a rule (computed, dislikes)
    other_kind_only: frozenset[str]  # indicators the other kind of body has but this one not
    computed: frozenset[str]
    stimulus: frozenset[str]
    flags: dict[str, tuple[frozenset[str], frozenset[str], str]]  # flag -> (full, zero, source)
    allowed_keys: frozenset[str]
    not_assessed_allowed: bool
    not_assessed_source: str
    peer_allowed: bool
    special_peer: dict[str, tuple[frozenset[str], str]]  # special status -> (indicators, source)
    blog_bands: tuple[tuple[int, Param], ...] = ()
    blog_otherwise: Param | None = None
    blog_source: str = ""
    dislike_indicator: str = ""
    dislike_threshold: Param | None = None
    dislike_source: str = ""


@dataclass(slots=True)
class Edition:
    name: str
    title: str
    raw: dict
    columns: tuple[str, ...]
    # services[kind][code] -> dict of Params / tables
    services: dict[str, dict[str, dict]] = field(default_factory=dict)
    criteria: dict[str, dict[str, CriterionTable]] = field(
        default_factory=dict
    )  # kind -> name -> table
    media: dict = field(default_factory=dict)
    subordinates: dict = field(default_factory=dict)
    openness_total_source: str = ""
    complaints: dict = field(default_factory=dict)
    penalty: dict = field(default_factory=dict)
    overall: dict = field(default_factory=dict)
    specials: frozenset[str] = frozenset()


def _p(text: str) -> Param:
    return Param.of(text)


def _crit_allowed_keys(name: str, c: dict) -> frozenset[str]:
    keys = {"scores"}
    if c.get("flags"):
        keys.add("flags")
    if "not_assessed" in c:
        keys.add("not_assessed")
    if c.get("special_peer") or "not_assessed" in c:
        keys.add("peer_average")
    if name == "open_dialogue":
        keys |= {"blog_posts", "rated_answers", "disliked_answers"}
    return frozenset(keys)


def _build(raw: dict) -> Edition:
    ed = Edition(
        name=raw["edition"], title=raw.get("title", ""), raw=raw, columns=tuple(raw["columns"])
    )
    # --- services -----------------------------------------------------------------------------
    for kind in KINDS:
        out: dict[str, dict] = {}
        for code, spec in raw["services"][kind].items():
            entry: dict = {"source": spec.get("source", "")}
            for key, val in spec.items():
                if key == "bands":
                    entry["bands"] = tuple((_p(lo), _p(pts)) for lo, pts in val)
                elif key == "per":
                    entry[key] = int(val)
                elif key != "source":
                    entry[key] = _p(val)
            out[code] = entry
        ed.services[kind] = out
    # --- openness criteria ----------------------------------------------------------------------
    op = raw["openness"]
    specials: set[str] = set()
    for kind in KINDS:
        other = KINDS[1 - KINDS.index(kind)]
        tables: dict[str, CriterionTable] = {}
        for name, c in op["criteria"].items():
            inds = tuple((k, _p(v)) for k, v in c["indicators"][kind].items())
            names = {k for k, _ in inds}
            flags = {
                f: (
                    frozenset(x for x in spec.get("full", ()) if x in names),
                    frozenset(x for x in spec.get("zero", ()) if x in names),
                    spec.get("source", ""),
                )
                for f, spec in c.get("flags", {}).items()
            }
            sp = {
                s: (frozenset(x for x in spec["indicators"] if x in names), spec.get("source", ""))
                for s, spec in c.get("special_peer", {}).items()
            }
            specials |= set(c.get("special_peer", {}))
            t = CriterionTable(
                name=name,
                code=c["code"],
                cap=_p(c["cap"]),
                source=c["source"],
                indicators=inds,
                maxima=dict(inds),
                scorable={k: v for k, v in inds if k not in c.get("computed", ())},
                rows=tuple((k, v, f"{k}.kk", f"{k}.ru") for k, v in inds),
                always_ruled=frozenset(c.get("computed", ()))
                | frozenset([c["dislikes"]["indicator"]] if "dislikes" in c else []),
                other_kind_only=frozenset(set(c["indicators"][other]) - names),
                computed=frozenset(c.get("computed", ())),
                stimulus=frozenset(c.get("stimulus", ())),
                flags=flags,
                allowed_keys=_crit_allowed_keys(name, c),
                not_assessed_allowed="not_assessed" in c,
                not_assessed_source=c.get("not_assessed", {}).get("source", ""),
                peer_allowed="not_assessed" in c or bool(c.get("special_peer")),
                special_peer=sp,
            )
            if "blog_posts" in c:
                bp = c["blog_posts"]
                t.blog_bands = tuple((int(lo), _p(pts)) for lo, pts in bp["bands"])
                t.blog_otherwise = _p(bp["otherwise"])
                t.blog_source = bp.get("source", "")
            if "dislikes" in c:
                dl = c["dislikes"]
                t.dislike_indicator = dl["indicator"]
                t.dislike_threshold = _p(dl["threshold"])
                t.dislike_source = dl.get("source", "")
            tables[name] = t
        ed.criteria[kind] = tables
    ed.specials = frozenset(specials)
    m = op["media"]
    ed.media = {
        "code": m["code"],
        "source": m["source"],
        "A_max": _p(m["A"]["max"]),
        "min_events": int(m["A"]["min_events"]),
        "B_max": _p(m["B"]["max"]),
        "percent_max": _p(m["percent_max"]),
        "D_top": (_p(m["D"]["top"][0]), _p(m["D"]["top"][1])),
        "D_bands": tuple((_p(lo), _p(pts)) for lo, pts in m["D"]["bands"]),
        "D_otherwise": _p(m["D"]["otherwise"]),
    }
    s = op["subordinates"]
    ed.subordinates = {
        "code": s["code"],
        "cap": _p(s["cap"]),
        "kinds": frozenset(s["kinds"]),
        "source": s["source"],
        "penalties": {k: _p(v) for k, v in s["penalties"].items()},
    }
    ed.openness_total_source = op["total"]["source"]
    # --- complaints -----------------------------------------------------------------------------
    cp = raw["complaints"]
    for code in ("R1", "R2", "R3"):
        ed.complaints[code] = {
            "k": _p(cp[code]["k"]),
            "per": int(cp[code]["per"]),
            "source": cp[code]["source"],
        }
    r4 = cp["R4"]
    ed.complaints["R4"] = {
        "bands": tuple((_p(lo), _p(pts)) for lo, pts in r4["bands"]),
        "otherwise": _p(r4["otherwise"]),
        "none_late": _p(r4["none_late"]),
        "source": r4["source"],
    }
    ed.complaints["total"] = {"source": cp["total"]["source"]}
    # --- penalties and overall --------------------------------------------------------------------
    pn = raw["penalties"]
    ed.penalty = {
        "unreliable": _p(pn["unreliable_fact"]),
        "incomplete": _p(pn["incomplete_fact"]),
        "cap": _p(pn["cap"]),
        "source": pn["source"],
    }
    ov = raw["overall"]
    ed.overall = {
        "weights": {k: _p(v) for k, v in ov["weights"].items()},
        "source": ov["source"],
        "bands": tuple((_p(lo), name) for lo, name in ov["bands"]),
        "below": ov["below"],
        "band_source": ov["band_source"],
    }
    return ed


def available_editions() -> tuple[str, ...]:
    """Names of the editions shipped as data files, sorted."""
    return tuple(sorted(p.stem for p in EDITIONS_DIR.glob("*.json")))


@cache
def load_edition(name: str) -> Edition:
    """Load (once) and precompute the edition ``name``; ``KeyError`` if there is no such file."""
    if name not in available_editions():
        raise KeyError(name)
    path = EDITIONS_DIR / f"{name}.json"
    raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return _build(raw)


@cache
def raw_edition(name: str) -> dict:
    """The edition's data file as read (strings), for independent re-computation."""
    path = EDITIONS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
