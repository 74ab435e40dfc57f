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
"""

from __future__ import annotations

from .edition import Edition, load_edition
from .exact import fmt2, qstr
from .formulas import (
    automation_degree,
    automation_efficiency,
    deduction,
    media_a_sum,
    media_b,
    satisfaction_mean,
    smartphone,
)
from .model import ZERO, Case, Complaints, Criterion, Openness, PenaltyFacts, Services

__all__ = ["score", "band_of", "SERVICE_KEYS_CENTRAL", "SERVICE_KEYS_LOCAL"]

SERVICE_KEYS_CENTRAL = (
    "P1", "P2", "K1", "T1", "T2", "T3", "T4", "K2",
    "T", "V", "C", "P", "D", "S", "K3", "total", "penalty", "final",
)  # fmt: skip
SERVICE_KEYS_LOCAL = ("P1", "P2", "K1", "T1", "T2", "T3", "T4", "K2", "total", "penalty", "final")

_NO_PENALTY = PenaltyFacts()
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


# --- services ------------------------------------------------------------------------------------


def _services(
    s: Services, kind: str, ed: Edition, facts: PenaltyFacts, explain: dict
) -> tuple[dict, int, int]:
    sp = ed.services[kind]
    pre = "services."
    out: dict[str, str] = {}
    # P1 — satisfaction (annex 6)
    p1 = sp["P1"]
    levels = s.satisfaction_levels
    count = len(levels)
    inputs: dict[str, str] = {"n": str(count)}
    rules: list[str] = []
    if count == 0:
        mx = p1["max"]
        p1n, p1d = mx.n, mx.d
        inputs["max"] = mx.text
        rules.append(_ZB.format(what="no satisfaction levels (n = 0)"))
    else:
        p1n, p1d, points = satisfaction_mean(levels, p1["bands"], p1["below"])
        for i, (level, pts) in enumerate(zip(levels, points, strict=True)):
            inputs[f"level[{i}]"] = level[2]
            inputs[f"U[{i}]"] = pts.text
    explain[pre + "P1"] = _entry(
        "(U1 + … + Un) / n, Un from the level by annex 6", inputs, p1n, p1d, rules,
        p1["source"], "satisfaction_mean",
    )  # fmt: skip
    out["P1"] = fmt2(p1n, p1d)
    # P2 — justified complaints per 10 000 services
    rendered = s.rendered
    zr = "no services rendered (b = 0)"
    p2n, p2d = _deduction_entry("P2", sp["P2"], s.justified_complaints, rendered, zr, explain, pre)
    out["P2"] = fmt2(p2n, p2d)
    k1n, k1d = p1n * p2d + p2n * p1d, p1d * p2d
    explain[pre + "K1"] = _entry(
        "P1 + P2", {"P1": explain[pre + "P1"]["value"], "P2": explain[pre + "P2"]["value"]},
        k1n, k1d, [], sp["K1"]["source"], "sum",
    )  # fmt: skip
    out["K1"] = fmt2(k1n, k1d)
    # T1–T4
    t1n, t1d = _deduction_entry("T1", sp["T1"], s.late, rendered, zr, explain, pre)
    t2n, t2d = _deduction_entry("T2", sp["T2"], s.unjustified_refusals, rendered, zr, explain, pre)
    t3n, t3d = _deduction_entry("T3", sp["T3"], s.incomplete_package, rendered, zr, explain, pre)
    t4n, t4d = _deduction_entry("T4", sp["T4"], s.extra_documents, rendered, zr, explain, pre)
    out["T1"] = fmt2(t1n, t1d)
    out["T2"] = fmt2(t2n, t2d)
    out["T3"] = fmt2(t3n, t3d)
    out["T4"] = fmt2(t4n, t4d)
    a_n, a_d = t1n * t2d + t2n * t1d, t1d * t2d
    b_n, b_d = t3n * t4d + t4n * t3d, t3d * t4d
    k2n, k2d = a_n * b_d + b_n * a_d, a_d * b_d
    explain[pre + "K2"] = _entry(
        "T1 + T2 + T3 + T4",
        {
            "T1": explain[pre + "T1"]["value"],
            "T2": explain[pre + "T2"]["value"],
            "T3": explain[pre + "T3"]["value"],
            "T4": explain[pre + "T4"]["value"],
        },
        k2n, k2d, [], sp["K2"]["source"], "sum",
    )  # fmt: skip
    out["K2"] = fmt2(k2n, k2d)
    tn, td = k1n * k2d + k2n * k1d, k1d * k2d
    total_inputs = {"K1": explain[pre + "K1"]["value"], "K2": explain[pre + "K2"]["value"]}
    if kind == "central":
        k3n, k3d = _automation(s, sp, explain, out)
        tn, td = tn * k3d + k3n * td, td * k3d
        total_inputs["K3"] = explain[pre + "K3"]["value"]
        formula = "K1 + K2 + K3"
    else:
        formula = "K1 + K2 (the seed's T = M1 + M2)"
    explain[pre + "total"] = _entry(formula, total_inputs, tn, td, [], sp["total"]["source"], "sum")
    out["total"] = fmt2(tn, td)
    out["penalty"], out["final"], fn, fd = _penalty_final((tn, td), facts, ed, explain, pre)
    return out, fn, fd


def _automation(s: Services, sp: dict, explain: dict, out: dict) -> tuple[int, int]:
    a = s.automation
    assert a is not None
    pre = "services."
    # T — degree of automation
    spec = sp["T"]
    k = spec["k"]
    w = spec["partial_weight"]
    tn, td, zero = automation_degree(
        a.partially_automated, a.fully_automated, a.kinds_total, w.n, w.d, k.n, k.d
    )
    explain[pre + "T"] = _entry(
        "(w × c + d) / n × k",
        {"c": str(a.partially_automated), "d": str(a.fully_automated), "n": str(a.kinds_total),
         "w": w.text, "k": k.text},
        tn, td, [_ZB.format(what="no kinds of services (n = 0)")] if zero else [],
        spec["source"], "automation_degree",
    )  # fmt: skip
    out["T"] = fmt2(tn, td)
    # V — efficiency of automation
    spec = sp["V"]
    k = spec["k"]
    vn, vd, z0, c0 = automation_efficiency(
        a.electronic_volume, a.total_volume, a.automated_paper_volume, a.automated_total_volume,
        k.n, k.d,
    )  # fmt: skip
    rules = []
    if z0:
        rules.append("zero base: total_volume z = 0 → the share e / z counts as 1")
    if c0:
        rules.append("zero base: automated_total_volume c = 0 → the share (c − b) / c counts as 1")
    explain[pre + "V"] = _entry(
        "(e / z + (c − b) / c) / 2 × k",
        {"e": str(a.electronic_volume), "z": str(a.total_volume),
         "b": str(a.automated_paper_volume), "c": str(a.automated_total_volume), "k": k.text},
        vn, vd, rules, spec["source"], "automation_efficiency",
    )  # fmt: skip
    out["V"] = fmt2(vn, vd)
    # C — smartphone availability
    spec = sp["C"]
    k = spec["k"]
    aa = a.partially_automated + a.fully_automated
    cn, cd, zero = smartphone(a.mobile_available, aa, k.n, k.d)
    explain[pre + "C"] = _entry(
        "w / (partially + fully) × k",
        {"w": str(a.mobile_available), "partially": str(a.partially_automated),
         "fully": str(a.fully_automated), "k": k.text},
        cn, cd, [_ZB.format(what="no automated services (a = 0)")] if zero else [],
        spec["source"], "smartphone",
    )  # fmt: skip
    out["C"] = fmt2(cn, cd)
    # P — unavailability penalty
    spec = sp["P"]
    w = spec["w"]
    mx = spec["max"]
    hn, hd, htext = a.unavailability_hours
    pn, pd = hn * w.n, hd * w.d
    rules = []
    if pn * mx.d > mx.n * pd:
        pn, pd = mx.n, mx.d
        rules.append(f"capped at {mx.text} (p.53)")
    explain[pre + "P"] = _entry(
        "min(max, t × w)", {"t": htext, "w": w.text, "max": mx.text}, pn, pd, rules,
        spec["source"], "capped_product",
    )  # fmt: skip
    out["P"] = fmt2(pn, pd)
    # D, S — stimuli
    stim = []
    for code, q in (("D", a.proactive_services), ("S", a.digital_documents)):
        spec = sp[code]
        k = spec["k"]
        mx = spec["max"]
        xn, xd = q * k.n, k.d
        rules = []
        if xn * mx.d > mx.n * xd:
            xn, xd = mx.n, mx.d
            rules.append(f"capped at {mx.text}")
        explain[pre + code] = _entry(
            "min(max, t × w)", {"t": str(q), "w": k.text, "max": mx.text}, xn, xd, rules,
            spec["source"], "capped_product",
        )  # fmt: skip
        out[code] = fmt2(xn, xd)
        stim.append((xn, xd))
    # K3 = min(25, max(0, T + V + C − P + D + S))
    spec = sp["K3"]
    cap = spec["max"]
    bn = (tn * vd + vn * td) * cd + cn * td * vd
    bd = td * vd * cd
    bn, bd = bn * pd - pn * bd, bd * pd  # base = T + V + C − P
    (dn, dd), (sn_, sd_) = stim
    stn, std = dn * sd_ + sn_ * dd, dd * sd_  # D + S
    rn, rd = bn * std + stn * bd, bd * std
    rules = []
    if rn < 0:
        kn, kd = 0, 1
        rules.append(_FLOOR)
    elif rn * cap.d > cap.n * rd:
        kn, kd = cap.n, cap.d
        if stn > 0 and bn * cap.d >= cap.n * bd:
            rules.append(
                f"D and S not counted: the criterion already has {cap.text} without them (p.46)"
            )
        else:
            rules.append(
                f"D + S counted only up to {cap.text} (p.46: the stimulus only lifts a "
                f"criterion below {cap.text})"
            )
    else:
        kn, kd = rn, rd
    explain[pre + "K3"] = _entry(
        "min(max, max(0, T + V + C − P + D + S))",
        {"T": explain[pre + "T"]["value"], "V": explain[pre + "V"]["value"],
         "C": explain[pre + "C"]["value"], "P": explain[pre + "P"]["value"],
         "D": explain[pre + "D"]["value"], "S": explain[pre + "S"]["value"], "max": cap.text},
        kn, kd, rules, spec["source"], "automation_criterion",
    )  # fmt: skip
    out["K3"] = fmt2(kn, kd)
    return kn, kd


# --- openness ------------------------------------------------------------------------------------

_NOT_ASSESSED_REASON = "not_assessed (secret or ДСП budget): average of all bodies' scores (p.67)"


def _criterion(t, c: Criterion, body_special: frozenset, explain: dict) -> tuple[int, int]:  # noqa: ANN001
    pre = f"openness.{t.name}."
    peer = c.peer_average
    scores = c.scores
    full_by: dict[str, tuple[str, str]] = {}
    zero_by: dict[str, tuple[str, str]] = {}
    for f in c.flags:
        fu, ze, src = t.flags[f]
        for ind in fu:
            full_by[ind] = (f, src)
        for ind in ze:
            zero_by[ind] = (f, src)
    inputs: dict[str, str] = {}
    tot_n, tot_d = 0, 1
    stim_n, stim_d = 0, 1
    stimulus = t.stimulus
    ruled = t.always_ruled
    if peer or full_by or zero_by:
        ruled = ruled.union(peer, full_by, zero_by)
    for ind, mx, kkey, rkey in t.rows:
        sc = scores.get(ind)
        if ind not in ruled:  # the common case: the assessor's scores as given
            if sc:
                kk = sc.get("kk", ZERO)
                ru = sc.get("ru", ZERO)
                inputs[kkey] = kk[2]
                inputs[rkey] = ru[2]
                n, d, _ = kk
                if n:
                    if d == tot_d:
                        tot_n += n
                    elif tot_d % d == 0:
                        tot_n += n * (tot_d // d)
                    else:
                        tot_n, tot_d = tot_n * d + n * tot_d, tot_d * d
                n, d, _ = ru
                if n:
                    if d == tot_d:
                        tot_n += n
                    elif tot_d % d == 0:
                        tot_n += n * (tot_d // d)
                    else:
                        tot_n, tot_d = tot_n * d + n * tot_d, tot_d * d
                if stimulus and ind in stimulus:
                    stim_n, stim_d = kk[0] * ru[1] + ru[0] * kk[1], kk[1] * ru[1]
            else:
                inputs[kkey] = "0"
                inputs[rkey] = "0"
            continue
        if ind in peer:
            pv = peer[ind]
            kk = pv["kk"]
            ru = pv["ru"]
            rules = []
            if ind in c.not_assessed:
                rules.append(_NOT_ASSESSED_REASON)
            for s in body_special:
                e = t.special_peer.get(s)
                if e and ind in e[0]:
                    rules.append(f"{s}: takes the peer average ({e[1]})")
            if kk[0] * mx.d > mx.n * kk[1]:
                kk = (mx.n, mx.d, mx.text)
                rules.append("peer average kk capped at the indicator's maximum")
            if ru[0] * mx.d > mx.n * ru[1]:
                ru = (mx.n, mx.d, mx.text)
                rules.append("peer average ru capped at the indicator's maximum")
            if sc:
                rules.append("the assessor's score given for it is ignored")
            if ind in full_by or ind in zero_by:
                rules.append("flags do not apply to an indicator taken from the peer average")
            en, ed_ = (kk[0] * ru[1] + ru[0] * kk[1], kk[1] * ru[1])
            explain[pre + ind] = _entry(
                "min(max, peer_kk) + min(max, peer_ru)",
                {"peer_kk": pv["kk"][2], "peer_ru": pv["ru"][2], "max": mx.text},
                en, ed_, rules, t.source, "peer_average",
            )  # fmt: skip
        elif ind in full_by:
            f, src = full_by[ind]
            kk = ru = (mx.n, mx.d, mx.text)
            rules = [f"flag {f}: full marks ({src})"]
            if sc:
                rules.append("the assessor's score given for it is ignored")
            if ind in zero_by:
                rules.append(f"flag {zero_by[ind][0]} does not zero it: full marks stand (p.71)")
            explain[pre + ind] = _entry(
                "max + max", {"max": mx.text}, 2 * mx.n, mx.d, rules, src, "full_marks"
            )
        elif ind in zero_by:
            f, src = zero_by[ind]
            kk = ru = ZERO
            rules = [f"flag {f}: scored 0 ({src})"]
            if sc:
                rules.append("the assessor's score given for it is ignored")
            explain[pre + ind] = _entry("0", {}, 0, 1, rules, src, "zeroed")
        elif ind == "blog_posts" and ind in t.computed:
            posts = c.blog_posts
            pts = t.blog_otherwise
            for lo, pt in t.blog_bands:
                if posts > lo:
                    pts = pt
                    break
            kk = ru = (pts.n, pts.d, pts.text)
            explain[pre + ind] = _entry(
                "band(posts) per column: > 50 → 1.5, > 25 → 1, > 10 → 0.5, else 0.3; × 2 columns",
                {"posts": str(posts)}, 2 * pts.n, pts.d,
                [f"{posts} posts → {pts.text} per column"], t.blog_source, "blog_posts",
            )  # fmt: skip
        else:
            if sc:
                kk = sc.get("kk", ZERO)
                ru = sc.get("ru", ZERO)
            else:
                kk = ru = ZERO
            if ind == t.dislike_indicator:
                thr = t.dislike_threshold
                rated = c.rated_answers
                disliked = c.disliked_answers
                rules = []
                if rated and disliked * thr.d > thr.n * rated:
                    kk = ru = ZERO
                    rules.append(
                        f"zeroed: disliked / rated = {disliked}/{rated} > {thr.text} "
                        f"({t.dislike_source})"
                    )
                elif not rated:
                    rules.append("no rated answers: not zeroed")
                en, ed_ = (kk[0] * ru[1] + ru[0] * kk[1], kk[1] * ru[1])
                explain[pre + ind] = _entry(
                    "kk + ru, or 0 when disliked / rated > threshold",
                    {"kk": (sc or {}).get("kk", ZERO)[2], "ru": (sc or {}).get("ru", ZERO)[2],
                     "rated": str(rated), "disliked": str(disliked), "threshold": thr.text},
                    en, ed_, rules, t.dislike_source, "blog_answers",
                )  # fmt: skip
        inputs[kkey] = kk[2]
        inputs[rkey] = ru[2]
        for n, d, _ in (kk, ru):
            if n:
                if d == tot_d:
                    tot_n += n
                elif tot_d % d == 0:
                    tot_n += n * (tot_d // d)
                else:
                    tot_n, tot_d = tot_n * d + n * tot_d, tot_d * d
                if ind in stimulus:
                    stim_n, stim_d = stim_n * d + n * stim_d, stim_d * d
    cap = t.cap
    rules = []
    if tot_n * cap.d > cap.n * tot_d:
        vn, vd = cap.n, cap.d
        if stim_n:
            base_n, base_d = tot_n * stim_d - stim_n * tot_d, tot_d * stim_d
            if base_n * cap.d >= cap.n * base_d:
                rules.append(
                    f"stimulus not counted: the criterion already has {cap.text} without it"
                )
            else:
                rules.append(f"stimulus counted only up to {cap.text}")
        else:
            rules.append(f"capped at {cap.text}")
    else:
        vn, vd = tot_n, tot_d
    inputs["cap"] = cap.text
    explain["openness." + t.code] = _entry(
        f"min(cap, Σ {t.name} indicators, both columns)", inputs, vn, vd, rules, t.source,
        "capped_sum",
    )  # fmt: skip
    return vn, vd


def _media(o: Openness, ed: Edition, explain: dict) -> tuple[int, int]:
    m = o.media
    mp = ed.media
    amax = mp["A_max"]
    bmax = mp["B_max"]
    a_kk = m.events_high_publicity["kk"]
    a_ru = m.events_high_publicity["ru"]
    an, ad, bp = media_a_sum(a_kk, a_ru, m.events_total, mp["min_events"], amax.n, amax.d)
    bn, bd, none = media_b(
        m.requests_received, m.requests_answered, m.requests_answered_late, bmax.n, bmax.d
    )
    rules = [f"b′ = max({mp['min_events']}, events_total) = {bp}"]
    if none:
        rules.append("B: no media requests received → B = 1 (full)")
    # (A_kk + A_ru + B_kk + B_ru) × C
    sn, sd = an * bd + 2 * bn * ad, ad * bd
    cn, cd, ctext = m.media_satisfied_percent
    sn, sd = sn * cn, sd * cd * 100
    # D by population satisfaction
    pn, pd, ptext = m.population_satisfied_percent
    top_lo, top_pts = mp["D_top"]
    if pn * top_lo.d > top_lo.n * pd:
        dp = top_pts
        rules.append(f"D: {ptext} % > {top_lo.text} → {dp.text} per column")
    else:
        dp = mp["D_otherwise"]
        for lo, pts in mp["D_bands"]:
            if pn * lo.d >= lo.n * pd:
                dp = pts
                rules.append(f"D: {ptext} % ≥ {lo.text} → {dp.text} per column")
                break
        else:
            rules.append(f"D: {ptext} % below every band → {dp.text}")
    vn, vd = sn * dp.d + 2 * dp.n * sd, sd * dp.d
    explain["openness." + mp["code"]] = _entry(
        "(A_kk + A_ru + B_kk + B_ru) × C + D_kk + D_ru; A = min(a, b′) / b′ × 2.5, "
        "b′ = max(12, events_total); B = (answered − answered_late) / received (1 if none); "
        "C = media_satisfied_percent / 100; D by population_satisfied_percent",
        {"a_kk": str(a_kk), "a_ru": str(a_ru), "events_total": str(m.events_total),
         "received": str(m.requests_received), "answered": str(m.requests_answered),
         "answered_late": str(m.requests_answered_late), "media_satisfied_percent": ctext,
         "population_satisfied_percent": ptext},
        vn, vd, rules, mp["source"], "media",
    )  # fmt: skip
    return vn, vd


def _subordinates(o: Openness, kind: str, ed: Edition, explain: dict) -> tuple[int, int]:
    sp = ed.subordinates
    code = "openness." + sp["code"]
    if kind not in sp["kinds"]:
        explain[code] = _entry(
            "0 (central bodies only)", {}, 0, 1,
            ["P7 applies to central bodies' subordinate organisations only (table 8, note *)"],
            sp["source"], "zeroed",
        )  # fmt: skip
        return 0, 1
    subs = o.subordinate_penalties
    inputs: dict[str, str] = {}
    tn, td = 0, 1
    rules = []
    for key, w in sp["penalties"].items():
        cols = subs.get(key)
        for col in ed.columns:
            if cols and cols.get(col):
                inputs[f"{key}.{col}"] = w.text
                tn, td = tn * w.d + w.n * td, td * w.d
                rules.append(f"{key} ({col}): {w.text}")
            else:
                inputs[f"{key}.{col}"] = "0"
    cap = sp["cap"]
    if tn * cap.d > cap.n * td:
        tn, td = cap.n, cap.d
        rules.append(f"capped at {cap.text}")
    inputs["cap"] = cap.text
    explain[code] = _entry(
        "min(cap, Σ penalties, both columns)", inputs, tn, td, rules, sp["source"], "capped_sum"
    )
    return tn, td


def _openness(
    o: Openness, kind: str, special: frozenset, ed: Edition, facts: PenaltyFacts, explain: dict
) -> tuple[dict, int, int]:
    out: dict[str, str] = {}
    tables = ed.criteria[kind]
    parts = []
    for name in ("open_data", "open_budget", "open_npa", "open_dialogue", "website"):
        t = tables[name]
        n, d = _criterion(t, o.criteria[name], special, explain)
        out[t.code] = fmt2(n, d)
        parts.append((t.code, n, d))
    n, d = _media(o, ed, explain)
    out[ed.media["code"]] = fmt2(n, d)
    parts.append((ed.media["code"], n, d))
    p7n, p7d = _subordinates(o, kind, ed, explain)
    p7code = ed.subordinates["code"]
    out[p7code] = fmt2(p7n, p7d)
    tn, td = 0, 1
    inputs = {}
    for code, n, d in parts:
        inputs[code] = explain["openness." + code]["value"]
        if d == td:
            tn += n
        else:
            tn, td = tn * d + n * td, td * d
    inputs[p7code] = explain["openness." + p7code]["value"]
    tn, td = tn * p7d - p7n * td, td * p7d
    rules = []
    if tn < 0:
        tn, td = 0, 1
        rules.append(_FLOOR)
    explain["openness.total"] = _entry(
        "max(0, P1 + P2 + P3 + P4 + P5 + P6 − P7)", inputs, tn, td, rules,
        ed.openness_total_source, "openness_total",
    )  # fmt: skip
    out["total"] = fmt2(tn, td)
    out["penalty"], out["final"], fn, fd = _penalty_final((tn, td), facts, ed, explain, "openness.")
    return out, fn, fd


# --- complaints ----------------------------------------------------------------------------------


def _complaints(
    c: Complaints, ed: Edition, facts: PenaltyFacts, explain: dict
) -> tuple[dict, int, int]:
    cp = ed.complaints
    pre = "complaints."
    out = {}
    r1n, r1d = _deduction_entry(
        "R1", cp["R1"], c.handled_late, c.handled, "no complaints handled (p = 0)", explain, pre
    )
    r2n, r2d = _deduction_entry(
        "R2", cp["R2"], c.court_upheld, c.handled, "no complaints handled (p = 0)", explain, pre
    )
    r3n, r3d = _deduction_entry(
        "R3", cp["R3"], c.redirected_late, c.received, "no complaints received (m = 0)", explain,
        pre,
    )  # fmt: skip
    if c.court_upheld == 0 and c.handled:
        explain[pre + "R2"]["rules"].append("no complaints upheld by a court → 30 (p.100)")
    r4 = cp["R4"]
    base = c.handled_late + c.redirected_late - c.excused
    rules = []
    if base == 0:
        pts = r4["none_late"]
        rules.append(f"no late cases left after excusing → {pts.text} (annex 13)")
    else:
        share100 = c.disciplinary_actions * 100  # share = share100 / base (%)
        pts = r4["otherwise"]
        for lo, pt in r4["bands"]:
            if share100 * lo.d >= lo.n * base:
                pts = pt
                rules.append(f"share {qstr(share100, base)} % ≥ {lo.text} % → {pt.text}")
                break
        else:
            rules.append(f"share {qstr(share100, base)} % below every band → {pts.text}")
    explain[pre + "R4"] = _entry(
        "band(disciplinary_actions / (handled_late + redirected_late − excused) × 100); "
        "no late cases → 10",
        {"disciplinary_actions": str(c.disciplinary_actions), "handled_late": str(c.handled_late),
         "redirected_late": str(c.redirected_late), "excused": str(c.excused)},
        pts.n, pts.d, rules, r4["source"], "internal_control",
    )  # fmt: skip
    r4n, r4d = pts.n, pts.d
    out["R1"] = fmt2(r1n, r1d)
    out["R2"] = fmt2(r2n, r2d)
    out["R3"] = fmt2(r3n, r3d)
    out["R4"] = fmt2(r4n, r4d)
    an, ad = r1n * r2d + r2n * r1d, r1d * r2d
    bn, bd = r3n * r4d + r4n * r3d, r3d * r4d
    tn, td = an * bd + bn * ad, ad * bd
    explain[pre + "total"] = _entry(
        "R1 + R2 + R3 + R4",
        {
            "R1": explain[pre + "R1"]["value"],
            "R2": explain[pre + "R2"]["value"],
            "R3": explain[pre + "R3"]["value"],
            "R4": explain[pre + "R4"]["value"],
        },
        tn, td, [], cp["total"]["source"], "sum",
    )  # fmt: skip
    out["total"] = fmt2(tn, td)
    out["penalty"], out["final"], fn, fd = _penalty_final((tn, td), facts, ed, explain, pre)
    return out, fn, fd


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
