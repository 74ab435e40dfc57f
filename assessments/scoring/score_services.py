"""The services direction: P1, P2, K1, T1–T4, K2, for central bodies the automation
criterion K3, the total, the penalty and the final; each printed number with its ``explain``."""

from __future__ import annotations

from .edition import Edition
from .entries import _FLOOR, _ZB, _deduction_entry, _entry, _penalty_final
from .exact import fmt2
from .formulas import (
    automation_degree,
    automation_efficiency,
    satisfaction_mean,
    smartphone,
)
from .model import PenaltyFacts, Services

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
