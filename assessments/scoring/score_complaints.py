"""The complaints direction: R1–R3, the internal control R4 (annex 13), the total, the
penalty and the final; each printed number with its ``explain``."""

from __future__ import annotations

from .edition import Edition
from .entries import _deduction_entry, _entry, _penalty_final
from .exact import fmt2, qstr
from .model import Complaints, PenaltyFacts

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
