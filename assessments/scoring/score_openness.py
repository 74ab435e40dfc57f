"""The openness direction: the five criteria of the tables, the media (table 7-1), the
subordinate organisations' P7 (table 8), the total, the penalty and the final; each printed
number with its ``explain``."""

from __future__ import annotations

from .edition import Edition
from .entries import _FLOOR, _entry, _penalty_final
from .exact import fmt2
from .formulas import (
    media_a_sum,
    media_b,
)
from .model import ZERO, Criterion, Openness, PenaltyFacts

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
