"""Property tests (hypothesis) over random valid cases."""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.scoring import score_case_dict, score_case_json, verify_explain
from assessments.scoring.exact import parse_count
from assessments.scoring.samples import perfect_case, random_case

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MAXIMA = {
    "central": {
        "services": {"P1": 15, "P2": 10, "K1": 25, "T1": 12, "T2": 14, "T3": 12, "T4": 12,
                     "K2": 50, "T": 10, "V": 10, "C": 5, "P": 5, "D": 3, "S": 2, "K3": 25},
        "openness": {"P1": 18, "P2": 18, "P3": 18, "P4": 18, "P5": 18, "P6": 10, "P7": 9},
    },
    "local": {
        "services": {"P1": 20, "P2": 20, "K1": 40, "T1": 14, "T2": 18, "T3": 14, "T4": 14,
                     "K2": 60},
        "openness": {"P1": 18, "P2": 18, "P3": 18, "P4": 18, "P5": 18, "P6": 10, "P7": 0},
    },
}  # fmt: skip
COMPLAINTS_MAX = {"R1": 40, "R2": 30, "R3": 20, "R4": 10}
COMMON = {"total": 100, "penalty": 5, "final": 100}


def _case(seed: int, directions: bool = True) -> dict:
    return random_case(random.Random(seed), directions=directions)


seeds = st.integers(min_value=0, max_value=2**63)


@SETTINGS
@given(seeds)
def test_every_explain_entry_recomputes(seed):
    result = score_case_dict(_case(seed, directions=False))
    assert verify_explain(result) == []


@SETTINGS
@given(seeds)
def test_every_indicator_within_its_bounds(seed):
    result = score_case_dict(_case(seed))
    kind = result["kind"]
    for direction in ("services", "openness", "complaints"):
        maxima = COMPLAINTS_MAX if direction == "complaints" else MAXIMA[kind][direction]
        for code, printed in result[direction].items():
            value = Fraction(result["explain"][f"{direction}.{code}"]["value"])
            mx = maxima.get(code, COMMON.get(code))
            assert 0 <= value <= mx, (direction, code, value)
            assert 0 <= Fraction(printed) <= mx
    for key, entry in result["explain"].items():
        if key.count(".") == 2 and key.startswith("openness."):  # indicator entries
            assert Fraction(entry["value"]) >= 0
    assert 0 <= Fraction(result["overall"]) <= 100


@SETTINGS
@given(seeds)
def test_totals_equal_the_sum_of_exact_parts(seed):
    r = score_case_dict(_case(seed))
    v = {k: Fraction(e["value"]) for k, e in r["explain"].items() if k != "band"}
    s = "services."
    assert v[s + "K1"] == v[s + "P1"] + v[s + "P2"]
    assert v[s + "K2"] == sum(v[s + t] for t in ("T1", "T2", "T3", "T4"))
    total = v[s + "K1"] + v[s + "K2"]
    if r["kind"] == "central":
        base = v[s + "T"] + v[s + "V"] + v[s + "C"] - v[s + "P"] + v[s + "D"] + v[s + "S"]
        assert v[s + "K3"] == min(Fraction(25), max(Fraction(0), base))
        total += v[s + "K3"]
    assert v[s + "total"] == total
    o = "openness."
    parts = sum(v[o + f"P{i}"] for i in range(1, 7)) - v[o + "P7"]
    assert v[o + "total"] == max(Fraction(0), parts)
    c = "complaints."
    assert v[c + "total"] == sum(v[c + f"R{i}"] for i in range(1, 5))
    for d in ("services", "openness", "complaints"):
        assert v[d + ".final"] == max(Fraction(0), v[d + ".total"] - v[d + ".penalty"])
    finals = [Fraction(r[d]["final"]) for d in ("services", "openness", "complaints")]
    expected = Fraction(1, 2) * finals[0] + Fraction(1, 5) * finals[1] + Fraction(3, 10) * finals[2]
    assert v["overall"] == expected


@SETTINGS
@given(seeds)
def test_json_text_and_dict_agree(seed):
    c = _case(seed)
    text = json.dumps(c, default=lambda o: format(o, "f") if isinstance(o, Decimal) else None)
    assert score_case_json(text) == score_case_dict(c)


def _n(v) -> int:
    return parse_count(v)


def _bump(c: dict, which: int, delta: int) -> str | None:
    """Add violations of one kind (keeping the case valid); the direction affected, or None."""
    s, o, k = c.get("services"), c.get("openness"), c.get("complaints")
    options = []
    if s:
        rendered = _n(s["rendered"])
        for f in ("late", "unjustified_refusals", "incomplete_package", "extra_documents"):
            if _n(s[f]) + delta <= rendered:
                options.append(("services", s, f, _n(s[f]) + delta))
        if rendered:
            options.append(
                ("services", s, "justified_complaints", _n(s["justified_complaints"]) + delta)
            )
        if "automation" in s:
            a = s["automation"]
            hours = Decimal(str(a["unavailability_hours"])) + delta
            options.append(("services", a, "unavailability_hours", format(hours, "f")))
    if k:
        if _n(k["handled_late"]) + delta <= _n(k["handled"]):
            options.append(("complaints", k, "handled_late", _n(k["handled_late"]) + delta))
        if _n(k["handled"]):
            options.append(("complaints", k, "court_upheld", _n(k["court_upheld"]) + delta))
        if _n(k["redirected_late"]) + delta <= _n(k["received"]):
            options.append(("complaints", k, "redirected_late", _n(k["redirected_late"]) + delta))
    if o:
        d = o.setdefault("open_dialogue", {})
        rated = _n(d.get("rated_answers", 0))
        disliked = _n(d.get("disliked_answers", 0))
        if disliked + delta <= rated:
            options.append(("openness", d, "disliked_answers", disliked + delta))
        if c["body"]["kind"] == "central":
            pens = o.setdefault("subordinates", {}).setdefault("penalties", {})
            options.append(("openness", pens, "no_blog", {"kk": True, "ru": True}))
    for direction in ("services", "openness", "complaints"):
        if direction in c:
            p = c.setdefault("penalties", {}).setdefault(direction, {})
            options.append(
                (direction, p, "unreliable_facts", _n(p.get("unreliable_facts", 0)) + delta)
            )
            options.append(
                (direction, p, "incomplete_facts", _n(p.get("incomplete_facts", 0)) + delta)
            )
    if not options:
        return None
    direction, node, key, value = options[which % len(options)]
    node[key] = value
    return direction


@SETTINGS
@given(seeds, st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=500))
def test_more_violations_never_raise_a_score(seed, which, delta):
    c = _case(seed)
    before = score_case_dict(c)
    worse = copy.deepcopy(c)
    direction = _bump(worse, which, delta)
    assume(direction is not None)
    after = score_case_dict(worse)
    for key in ("total", "final"):
        assert Fraction(after[direction][key]) <= Fraction(before[direction][key])
    assert Fraction(after["overall"]) <= Fraction(before["overall"])
    for code in after[direction]:
        if code not in ("penalty", "P", "P7"):  # those are deductions: they may only grow
            assert Fraction(after[direction][code]) <= Fraction(before[direction][code]), code


@SETTINGS
@given(st.sampled_from(["central", "local"]), st.randoms(use_true_random=False))
def test_a_perfect_body_scores_100_everywhere(kind, rng):
    c = perfect_case(kind)
    # extra stimuli and extra volumes never lift a perfect body above 100
    if kind == "central":
        a = c["services"]["automation"]
        a["proactive_services"] = rng.randint(0, 10)
        a["digital_documents"] = rng.randint(0, 10)
    c["openness"]["open_data"]["scores"]["api_stimulus"] = {"kk": "1", "ru": "1"}
    c["openness"]["open_dialogue"]["blog_posts"] = rng.randint(51, 10_000)
    c["complaints"]["disciplinary_actions"] = rng.randint(0, 10)
    r = score_case_dict(c)
    for d in ("services", "openness", "complaints"):
        assert r[d]["total"] == r[d]["final"] == "100.00", d
    assert r["overall"] == "100.00" and r["band"] == "high"
    assert verify_explain(r) == []
