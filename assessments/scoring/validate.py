"""Validation of a case (the JSON object of SCORING_IO.md) into typed data.

Every rule of the contract is checked here; the first violation raises :class:`ScoringError` with
the full JSON path of the offending field (``openness.open_data.scores.published.kk``,
``services.satisfaction_levels[2]``) and a reason. For a relation between fields the path is the
one of the field that is too large. Paths are only built when an error is raised.
"""

from __future__ import annotations

import re

from .edition import Edition, available_editions, load_edition
from .exact import NumberError, parse_count, parse_number
from .model import (
    ZERO,
    Automation,
    Body,
    Case,
    Complaints,
    Criterion,
    Media,
    Num,
    Openness,
    PenaltyFacts,
    Services,
)

__all__ = ["ScoringError", "validate_case"]

DIRECTIONS = ("services", "openness", "complaints")
TOP_KEYS = frozenset({"edition", "body", *DIRECTIONS, "penalties"})
BODY_KEYS = frozenset({"kind", "special"})
SERVICE_COUNTS = (
    "rendered",
    "justified_complaints",
    "late",
    "unjustified_refusals",
    "incomplete_package",
    "extra_documents",
)
SERVICE_KEYS = frozenset({"satisfaction_levels", *SERVICE_COUNTS, "automation"})
AUTOMATION_COUNTS_1 = (
    "kinds_total",
    "partially_automated",
    "fully_automated",
    "electronic_volume",
    "total_volume",
    "automated_paper_volume",
    "automated_total_volume",
    "mobile_available",
)
AUTOMATION_KEYS = frozenset(
    {*AUTOMATION_COUNTS_1, "unavailability_hours", "proactive_services", "digital_documents"}
)
CRITERIA = ("open_data", "open_budget", "open_npa", "open_dialogue", "website")
OPENNESS_KEYS = frozenset({*CRITERIA, "media", "subordinates"})
MEDIA_COUNTS = ("events_total", "requests_received", "requests_answered", "requests_answered_late")
MEDIA_KEYS = frozenset(
    {
        "events_high_publicity",
        *MEDIA_COUNTS,
        "media_satisfied_percent",
        "population_satisfied_percent",
    }
)
COMPLAINT_COUNTS = (
    "handled",
    "handled_late",
    "court_upheld",
    "received",
    "redirected_late",
    "disciplinary_actions",
    "excused",
)
COMPLAINT_KEYS = frozenset(COMPLAINT_COUNTS)
PENALTY_KEYS = frozenset({"unreliable_facts", "incomplete_facts"})
SUBORDINATES_KEYS = frozenset({"penalties"})
KINDS = ("central", "local")
_NUM_RE = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,60})?\Z")
_POW10 = [10**i for i in range(61)]
_COMPUTED_HINT = {
    "scores": "this criterion is computed from the case's raw data; no assessor's scores",
    "flags": "flags are allowed on open_data, open_budget and open_npa only",
}
_WHERE = {
    "flags": "flags are allowed on open_data, open_budget and open_npa only",
    "not_assessed": "not_assessed is allowed on open_budget only",
    "peer_average": "peer_average is allowed on open_budget and open_dialogue only",
    "blog_posts": "blog_posts belongs to open_dialogue",
    "rated_answers": "rated_answers belongs to open_dialogue",
    "disliked_answers": "disliked_answers belongs to open_dialogue",
}


class ScoringError(ValueError):
    """An invalid case: ``path`` is the full JSON path of the field, ``message`` what is wrong."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<root>'}: {message}")
        self.path = path
        self.message = message

    def as_dict(self) -> dict:
        return {"error": {"path": self.path, "message": self.message}}


# --- helpers -------------------------------------------------------------------------------------


def _j(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _type_name(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        return "a string"
    return "a number"


def _obj(v: object, path: str) -> dict:
    if type(v) is not dict:
        raise ScoringError(path, f"must be an object, not {_type_name(v)}")
    return v  # type: ignore[return-value]


def _list(v: object, path: str) -> list:
    if type(v) is not list:
        raise ScoringError(path, f"must be a list, not {_type_name(v)}")
    return v  # type: ignore[return-value]


def _keys(d: dict, allowed: frozenset[str], path: str, hint: dict[str, str] | None = None) -> None:
    if allowed.issuperset(d):
        return
    for k in d:
        if k not in allowed:
            if hint and k in hint:
                raise ScoringError(_j(path, k), f"not allowed here: {hint[k]}")
            raise ScoringError(
                _j(path, k), f"unknown key; allowed here: {', '.join(sorted(allowed))}"
            )


def _count(d: dict, key: str, path: str, required: bool = True) -> int:
    try:
        v = d[key]
    except KeyError:
        if required:
            raise ScoringError(_j(path, key), "required") from None
        return 0
    if type(v) is int and v >= 0:
        return v
    try:
        return parse_count(v)
    except NumberError as e:
        raise ScoringError(_j(path, key), str(e)) from None


def _num(v: object, path: str, lo: Num | None = ZERO, hi: Num | None = None, what: str = "") -> Num:
    try:
        x = parse_number(v)
    except NumberError as e:
        raise ScoringError(path, str(e)) from None
    n, d, _ = x
    if lo is not None and n * lo[1] < lo[0] * d:
        raise ScoringError(
            path, f"{x[2]} is below the minimum {lo[2]}" if lo[0] else "must not be negative"
        )
    if hi is not None and n * hi[1] > hi[0] * d:
        raise ScoringError(path, f"{x[2]} exceeds {what or 'the maximum'} {hi[2]}")
    return x


def _strings(v: object, path: str) -> list[str]:
    lst = _list(v, path)
    for i, s in enumerate(lst):
        if type(s) is not str:
            raise ScoringError(f"{path}[{i}]", f"must be a string, not {_type_name(s)}")
    return lst


def _not_above(small: int, big: int, path: str, big_name: str) -> None:
    if small > big:
        raise ScoringError(path, f"{small} exceeds {big_name} ({big})")


# --- the case ------------------------------------------------------------------------------------


def validate_case(case: object) -> Case:
    """Validate a case (a ``dict`` as read from JSON) and return it typed.

    Raises :class:`ScoringError` on the first violation found.
    """
    c = _obj(case, "")
    _keys(c, TOP_KEYS, "")
    if "edition" not in c:
        raise ScoringError("edition", "required")
    name = c["edition"]
    if type(name) is not str:
        raise ScoringError("edition", f"must be a string naming an edition, not {_type_name(name)}")
    try:
        ed = load_edition(name)
    except KeyError:
        raise ScoringError(
            "edition", f"unknown edition {name!r}; known: {', '.join(available_editions())}"
        ) from None
    if "body" not in c:
        raise ScoringError("body", "required")
    body = _body(c["body"], ed)
    kind = body.kind
    out = Case(edition=name, body=body)
    v = c.get("services")
    if v is not None:
        out.services = _services(v, kind, ed)
    v = c.get("openness")
    if v is not None:
        out.openness = _openness(v, body, ed)
    v = c.get("complaints")
    if v is not None:
        out.complaints = _complaints(v)
    if "penalties" in c:
        p = _obj(c["penalties"], "penalties")
        _keys(p, frozenset(DIRECTIONS), "penalties")
        for direction, block in p.items():
            path = f"penalties.{direction}"
            b = _obj(block, path)
            _keys(b, PENALTY_KEYS, path)
            out.penalties[direction] = PenaltyFacts(
                _count(b, "unreliable_facts", path, False),
                _count(b, "incomplete_facts", path, False),
            )
    return out


def _body(v: object, ed: Edition) -> Body:
    b = _obj(v, "body")
    _keys(b, BODY_KEYS, "body")
    if "kind" not in b:
        raise ScoringError("body.kind", "required")
    kind = b["kind"]
    if kind not in KINDS or type(kind) is not str:
        raise ScoringError("body.kind", f'must be "central" or "local", not {kind!r}')
    special: frozenset[str] = frozenset()
    if "special" in b:
        lst = _strings(b["special"], "body.special")
        for i, s in enumerate(lst):
            if s not in ed.specials:
                raise ScoringError(
                    f"body.special[{i}]",
                    f"unknown special status {s!r}; allowed: {', '.join(sorted(ed.specials))}",
                )
        if lst and kind != "central":
            raise ScoringError("body.special", "a special status is for central bodies only")
        special = frozenset(lst)
    return Body(kind, special)


# --- services ------------------------------------------------------------------------------------


def _services(v: object, kind: str, ed: Edition) -> Services:
    P = "services"
    s = _obj(v, P)
    _keys(s, SERVICE_KEYS, P)
    if "satisfaction_levels" not in s:
        raise ScoringError("services.satisfaction_levels", "required (it may be an empty list)")
    raw_levels = _list(s["satisfaction_levels"], "services.satisfaction_levels")
    lm = ed.services[kind]["P1"]["level_max"]
    level_max = (lm.n, lm.d, lm.text)
    levels = tuple(
        _num(x, f"services.satisfaction_levels[{i}]", ZERO, level_max, "the highest level")
        for i, x in enumerate(raw_levels)
    )
    rendered = _count(s, "rendered", P)
    jc = _count(s, "justified_complaints", P)
    late = _count(s, "late", P)
    ur = _count(s, "unjustified_refusals", P)
    ip = _count(s, "incomplete_package", P)
    ed_ = _count(s, "extra_documents", P)
    _not_above(late, rendered, "services.late", "services.rendered")
    _not_above(ur, rendered, "services.unjustified_refusals", "services.rendered")
    _not_above(ip, rendered, "services.incomplete_package", "services.rendered")
    _not_above(ed_, rendered, "services.extra_documents", "services.rendered")
    if rendered == 0 and jc > 0:
        raise ScoringError(
            "services.justified_complaints",
            f"{jc} justified complaints with services.rendered 0: a zero base allows no violations",
        )
    automation = None
    if kind == "local":
        if "automation" in s:
            raise ScoringError(
                "services.automation",
                "not allowed for a local body (the automation criterion "
                "K3 is for central bodies only)",
            )
    else:
        if "automation" not in s:
            raise ScoringError("services.automation", "required for a central body")
        automation = _automation(s["automation"])
    return Services(levels, rendered, jc, late, ur, ip, ed_, automation)


def _automation(v: object) -> Automation:
    P = "services.automation"
    a = _obj(v, P)
    _keys(a, AUTOMATION_KEYS, P)
    kt, pa, fa, ev, tv, apv, atv, ma = (_count(a, k, P) for k in AUTOMATION_COUNTS_1)
    if "unavailability_hours" not in a:
        raise ScoringError("services.automation.unavailability_hours", "required")
    hours = _num(a["unavailability_hours"], "services.automation.unavailability_hours")
    q = _count(a, "proactive_services", P)
    lcount = _count(a, "digital_documents", P)
    if pa + fa > kt:
        which = "partially_automated" if pa > kt else "fully_automated"
        raise ScoringError(
            f"{P}.{which}",
            f"partially_automated + fully_automated ({pa} + {fa} = {pa + fa}) exceeds "
            f"services.automation.kinds_total ({kt})",
        )
    _not_above(ev, tv, f"{P}.electronic_volume", "services.automation.total_volume")
    _not_above(
        apv, atv, f"{P}.automated_paper_volume", "services.automation.automated_total_volume"
    )
    if ma > pa + fa:
        raise ScoringError(
            f"{P}.mobile_available",
            f"{ma} exceeds partially_automated + fully_automated ({pa} + {fa} = {pa + fa})",
        )
    return Automation(kt, pa, fa, ev, tv, apv, atv, ma, hours, q, lcount)


# --- openness ------------------------------------------------------------------------------------


def _openness(v: object, body: Body, ed: Edition) -> Openness:
    P = "openness"
    o = _obj(v, P)
    _keys(o, OPENNESS_KEYS, P)
    tables = ed.criteria[body.kind]
    criteria = {}
    for name in CRITERIA:
        criteria[name] = _criterion(o.get(name, _EMPTY), f"openness.{name}", tables[name], body)
    media = _media(o.get("media", _EMPTY))
    subs: dict[str, dict[str, bool]] = {}
    if "subordinates" in o:
        sp = "openness.subordinates"
        sb = _obj(o["subordinates"], sp)
        _keys(sb, SUBORDINATES_KEYS, sp, _COMPUTED_HINT)
        if "penalties" in sb:
            pp = "openness.subordinates.penalties"
            pens = _obj(sb["penalties"], pp)
            allowed = ed.subordinates["penalties"]
            for key, val in pens.items():
                path = f"{pp}.{key}"
                if key not in allowed:
                    raise ScoringError(path, f"unknown penalty; allowed: {', '.join(allowed)}")
                if body.kind not in ed.subordinates["kinds"]:
                    raise ScoringError(
                        path,
                        "subordinate organisations' penalties (P7) are for central bodies only "
                        "(annex 10, table 8, note *)",
                    )
                cols = _obj(val, path)
                res = {}
                for col, flag in cols.items():
                    if col not in ed.columns:
                        raise ScoringError(
                            f"{path}.{col}",
                            f"unknown language column; allowed: {', '.join(ed.columns)}",
                        )
                    if type(flag) is not bool:
                        raise ScoringError(
                            f"{path}.{col}", f"must be true or false, not {_type_name(flag)}"
                        )
                    res[col] = flag
                subs[key] = res
    return Openness(criteria, media, subs)


_EMPTY: dict = {}


def _criterion(v: object, P: str, t, body: Body) -> Criterion:  # noqa: ANN001
    c = _obj(v, P)
    _keys(c, t.allowed_keys, P, _WHERE)
    out = Criterion()
    maxima = t.maxima
    if "scores" in c:
        scores = c["scores"]
        if type(scores) is not dict:
            _obj(scores, f"{P}.scores")
        res: dict[str, dict[str, Num]] = {}
        scorable = t.scorable
        for ind, cols in scores.items():
            mx = scorable.get(ind)
            if mx is None:
                _bad_indicator(f"{P}.scores.{ind}", ind, t, body.kind)
            if type(cols) is not dict:
                _obj(cols, f"{P}.scores.{ind}")
            mxn = mx.n
            mxd = mx.d
            r: dict[str, Num] = {}
            for col, val in cols.items():
                if col != "kk" and col != "ru":
                    raise ScoringError(
                        f"{P}.scores.{ind}.{col}", "unknown language column; allowed: kk, ru"
                    )
                # fast path: a plain decimal string (the common case), else the general parser
                if type(val) is str and _NUM_RE.match(val) is not None:
                    i = val.find(".")
                    if i < 0:
                        x = (int(val), 1, val)
                    else:
                        x = (int(val[:i] + val[i + 1 :]), _POW10[len(val) - i - 1], val)
                else:
                    x = _num(val, f"{P}.scores.{ind}.{col}", None)
                if x[0] < 0 or x[0] * mxd > mxn * x[1]:
                    _num(
                        val, f"{P}.scores.{ind}.{col}", ZERO, (mxn, mxd, mx.text),
                        "the indicator's maximum",
                    )  # fmt: skip
                r[col] = x
            res[ind] = r
        out.scores = res
    if "flags" in c:
        fp = f"{P}.flags"
        flags = _strings(c["flags"], fp)
        for i, f in enumerate(flags):
            if f not in t.flags:
                raise ScoringError(
                    f"{fp}[{i}]",
                    f"flag {f!r} is not allowed on {t.name}; allowed: {', '.join(t.flags)}",
                )
        out.flags = frozenset(flags)
    if "not_assessed" in c:
        np_ = f"{P}.not_assessed"
        lst = _strings(c["not_assessed"], np_)
        for i, ind in enumerate(lst):
            if ind not in maxima or ind in t.computed:
                _bad_indicator(f"{np_}[{i}]", ind, t, body.kind)
        out.not_assessed = frozenset(lst)
    # indicators that take the peer average: not_assessed + the body's special status
    need: set[str] = set()
    reasons: dict[str, str] = {}
    if out.not_assessed:
        need.update(out.not_assessed)
        for ind in out.not_assessed:
            reasons[ind] = "listed in not_assessed"
    if body.special and t.special_peer:
        for s in sorted(body.special):
            sp_entry = t.special_peer.get(s)
            if sp_entry:
                for ind in sp_entry[0]:
                    need.add(ind)
                    reasons.setdefault(ind, f"body.special holds {s}")
    peer: dict[str, dict[str, Num]] = {}
    if "peer_average" in c:
        pp = f"{P}.peer_average"
        pa = _obj(c["peer_average"], pp)
        for ind, cols in pa.items():
            path = f"{pp}.{ind}"
            if ind not in maxima or ind in t.computed:
                _bad_indicator(path, ind, t, body.kind)
            if ind not in need:
                raise ScoringError(
                    path,
                    "this indicator takes no peer average (it is neither in not_assessed nor "
                    "averaged for the body's special status)",
                )
            co = _obj(cols, path)
            r = {}
            for col, val in co.items():
                if col != "kk" and col != "ru":
                    raise ScoringError(f"{path}.{col}", "unknown language column; allowed: kk, ru")
                r[col] = _num(val, f"{path}.{col}")
            for col in ("kk", "ru"):
                if col not in r:
                    raise ScoringError(
                        f"{path}.{col}", "required: a peer average needs both columns"
                    )
            peer[ind] = r
    for ind, _mx in t.indicators if need else ():
        if ind in need and ind not in peer:
            raise ScoringError(
                f"{P}.peer_average.{ind}",
                f"required: the indicator takes the peer average ({reasons[ind]})",
            )
    out.peer_average = peer
    if t.name == "open_dialogue":
        out.blog_posts = _count(c, "blog_posts", P, False)
        out.rated_answers = _count(c, "rated_answers", P, False)
        out.disliked_answers = _count(c, "disliked_answers", P, False)
        _not_above(
            out.disliked_answers,
            out.rated_answers,
            f"{P}.disliked_answers",
            "openness.open_dialogue.rated_answers",
        )
    return out


def _bad_indicator(path: str, ind: str, t, kind: str) -> None:  # noqa: ANN001
    if ind in t.computed:
        raise ScoringError(
            path, f"{ind} is computed from the case's raw data, not scored by an assessor"
        )
    if ind in t.other_kind_only:
        raise ScoringError(path, f"a {kind} body has no {ind} indicator on {t.name}")
    allowed = [k for k, _ in t.indicators if k not in t.computed]
    raise ScoringError(path, f"unknown indicator; allowed on {t.name}: {', '.join(allowed)}")


_PCT_MAX: Num = (100, 1, "100")


def _media(v: object) -> Media:
    P = "openness.media"
    m = _obj(v, P)
    _keys(m, MEDIA_KEYS, P, _COMPUTED_HINT)
    ehp = {"kk": 0, "ru": 0}
    if "events_high_publicity" in m:
        ep = f"{P}.events_high_publicity"
        e = _obj(m["events_high_publicity"], ep)
        for col in e:
            if col != "kk" and col != "ru":
                raise ScoringError(f"{ep}.{col}", "unknown language column; allowed: kk, ru")
            ehp[col] = _count(e, col, ep)
    total, received, answered, late = (_count(m, k, P, False) for k in MEDIA_COUNTS)
    pct = []
    for key in ("media_satisfied_percent", "population_satisfied_percent"):
        if key in m:
            pct.append(_num(m[key], f"{P}.{key}", ZERO, _PCT_MAX, "the maximum percentage"))
        else:
            pct.append(ZERO)
    for col in ("kk", "ru"):
        _not_above(
            ehp[col], total, f"{P}.events_high_publicity.{col}", "openness.media.events_total"
        )
    _not_above(answered, received, f"{P}.requests_answered", "openness.media.requests_received")
    _not_above(late, answered, f"{P}.requests_answered_late", "openness.media.requests_answered")
    return Media(ehp, total, received, answered, late, pct[0], pct[1])


# --- complaints ----------------------------------------------------------------------------------


def _complaints(v: object) -> Complaints:
    P = "complaints"
    c = _obj(v, P)
    _keys(c, COMPLAINT_KEYS, P)
    handled, hl, cu, received, rl, da, ex = (_count(c, k, P) for k in COMPLAINT_COUNTS)
    _not_above(hl, handled, "complaints.handled_late", "complaints.handled")
    _not_above(rl, received, "complaints.redirected_late", "complaints.received")
    if ex > hl + rl:
        raise ScoringError(
            "complaints.excused",
            f"{ex} exceeds handled_late + redirected_late ({hl} + {rl} = {hl + rl})",
        )
    if handled == 0 and cu > 0:
        raise ScoringError(
            "complaints.court_upheld",
            f"{cu} upheld by a court with complaints.handled 0: a zero base allows no violations",
        )
    return Complaints(handled, hl, cu, received, rl, da, ex)
