"""Pieces every annex shares: the heading block, maxima from the edition, signature blocks,
re-verification facts and the engine's explanations turned into printed notes.

Numbers: maxima, weights, bands and penalty points are read from the edition
(``assessments.scoring.load_edition``); scores and deductions are the engine's printed values.
Nothing here re-implements a formula of the methodology: the only arithmetic is adding the
edition's maxima of a criterion's indicators (the seed's own tables show those sums: 25, 50, 100).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from assessments.scoring import load_edition, score_case_dict
from assessments.scoring.exact import fmt2
from reporting.signing.blocks import SIGNATURE_BLOCKS

from . import labels
from .formatting import count, long_date, number, period_text
from .inputs import Body, PenaltyFact, Signatory

DEFAULT_EDITION = "2023"
UNSIGNED_DATE = "«____» ______________ 20___ г."


def F(param: Any) -> Fraction:
    """An edition ``Param`` (or a decimal string) as an exact ``Fraction``."""
    if hasattr(param, "n"):
        return Fraction(param.n, param.d)
    return Fraction(str(param))


def edition_of(name: str):
    try:
        return load_edition(str(name))
    except KeyError:
        raise ValueError(f"unknown methodology edition {name!r}")


# --- maxima per body kind, from the edition ----------------------------------------------------


def services_maxima(edition: str, kind: str) -> dict[str, Fraction]:
    """Maximum of every printed value of "Quality of public services" (annexes 2–5)."""
    sp = edition_of(edition).services[kind]
    m: dict[str, Fraction] = {"P1": F(sp["P1"]["max"])}
    for code in ("P2", "T1", "T2", "T3", "T4"):
        m[code] = F(sp[code]["k"])
    m["K1"] = m["P1"] + m["P2"]
    m["K2"] = m["T1"] + m["T2"] + m["T3"] + m["T4"]
    total = m["K1"] + m["K2"]
    if "K3" in sp:
        for code in ("T", "V", "C"):
            m[code] = F(sp[code]["k"])
        for code in ("P", "D", "S", "K3"):
            m[code] = F(sp[code]["max"])
        total += m["K3"]
    m["total"] = total
    m["penalty"] = F(edition_of(edition).penalty["cap"])
    m["final"] = total
    return m


def openness_maxima(edition: str, kind: str) -> dict[str, Fraction]:
    """Maximum of every criterion of "Openness" (annexes 7, 8); P7 is the penalty's cap."""
    ed = edition_of(edition)
    m: dict[str, Fraction] = {}
    for table in ed.criteria[kind].values():
        m[table.code] = F(table.cap)
    m[ed.media["code"]] = F(ed.raw["openness"]["media"]["max"])
    positive = sum(m.values(), Fraction(0))
    m[ed.subordinates["code"]] = F(ed.subordinates["cap"])
    m["total"] = positive
    m["penalty"] = F(ed.penalty["cap"])
    m["final"] = positive
    return m


def complaints_maxima(edition: str) -> dict[str, Fraction]:
    """Maximum of every criterion of "Complaints" (annexes 11, 12)."""
    cp = edition_of(edition).complaints
    m = {code: F(cp[code]["k"]) for code in ("R1", "R2", "R3")}
    r4 = cp["R4"]
    m["R4"] = max([F(r4["none_late"])] + [F(pts) for _lo, pts in r4["bands"]])
    m["total"] = sum(m.values(), Fraction(0))
    m["penalty"] = F(edition_of(edition).penalty["cap"])
    m["final"] = m["total"]
    return m


def subordinates_applies(edition: str, kind: str) -> bool:
    return kind in edition_of(edition).subordinates["kinds"]


# --- heading block ----------------------------------------------------------------------------


def heading(
    annex: int,
    *,
    body: Body | None = None,
    period: object = None,
    evaluator: str = "",
    name_caption: str = "",
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
    bilingual: bool = False,
    titles: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The part of the context every annex template prints at its top and in its footer."""
    if replaces_version is not None and replaces_version >= version:
        raise ValueError(
            f"a corrected version ({version}) must replace an earlier one, not {replaces_version}"
        )
    ctx: dict[str, Any] = {
        "annex": annex,
        "annex_mark": f"Приложение {annex} к {labels.METHODOLOGY_DATIVE}",
        "titles": list(titles if titles is not None else labels.TITLES[annex]),
        "version": version,
        "replaces_version": replaces_version,
        "correction": (
            f"Версия {version} — взамен версии {replaces_version}"
            if replaces_version is not None
            else ""
        ),
        "draft": draft,
        "evaluator": evaluator,
        "period": period_text(period) if period not in (None, "") else "",
        "footer": f"Приложение {annex} · версия {version}",
        "bilingual": bilingual,
    }
    if body is not None:
        ctx.update(
            body_name_ru=body.name_ru,
            body_name_kk=body.name_kk,
            body_kind=body.kind,
            body_kind_label=labels.BODY_KIND[body.kind],
            name_caption=name_caption or labels.NAME_CAPTION_EITHER,
        )
    return ctx


def check_kind(annex: int, body: Body, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if body.kind not in allowed:
        raise ValueError(
            f"annex {annex} is for {' or '.join(labels.BODY_KIND[k] for k in allowed)} "
            f"bodies; {body.name_ru!r} is a {labels.BODY_KIND[body.kind]}"
        )


# --- signature blocks (order: reporting.signing.blocks, the seed's) ---------------------------


def signature_block(annex: int, signatories: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """The annex's signature block in the seed's order, each slot filled from ``signatories``
    (``Signatory`` or dicts, matched by ``role``); slots nobody fills print blank lines."""
    block = SIGNATURE_BLOCKS[annex]
    roles = [role for role, _short in block]
    given: dict[str, Signatory] = {}
    for value in signatories:
        s = Signatory.of(value)
        if s.role not in roles:
            raise ValueError(
                f"annex {annex} has no signatory role {s.role!r} (its block: {', '.join(roles)})"
            )
        if s.role in given:
            raise ValueError(f"annex {annex}: role {s.role!r} given twice")
        given[s.role] = s
    out = []
    for role in roles:
        s = given.get(role)
        label = labels.SIGNATORY_LABELS_BY_ANNEX.get((annex, role), labels.SIGNATORY_LABELS[role])
        if s is not None and s.role_label:
            label = s.role_label
        position = s.position.strip() if s else ""
        if position and position.casefold() in label.casefold():
            position = ""  # the block's own text already says it
        out.append(
            {
                "role": role,
                "label": label,
                "position": position,
                "full_name": s.full_name if s else "",
                "date": long_date(s.signed_at) if s and s.signed_at else "",
                "signed": bool(s and s.signed_at),
            }
        )
    return out


# --- re-verification facts (p.17–21, annex 1) ---------------------------------------------------


def fact_points(edition: str) -> dict[str, str]:
    pen = edition_of(edition).penalty
    return {"unreliable": pen["unreliable"].text, "incomplete": pen["incomplete"].text}


def fact_rows(facts: Iterable[Any], edition: str) -> list[dict[str, Any]]:
    """Numbered facts with the edition's points per fact (a given ``points`` must agree)."""
    points = fact_points(edition)
    rows = []
    for i, value in enumerate(facts, start=1):
        fact = PenaltyFact.of(value)
        expected = points[fact.kind]
        if fact.points is not None and F(fact.points) != F(expected):
            raise ValueError(
                f"fact {i}: {fact.points} points given, but the edition gives {expected} for "
                f"{'unreliable' if fact.kind == 'unreliable' else 'incomplete'} information"
            )
        rows.append(
            {
                "number": i,
                "kind": fact.kind,
                "kind_label": (
                    "недостоверная информация" if fact.kind == "unreliable"
                    else "неполная информация"
                ),
                "description": fact.description,
                "section": fact.section,
                "points": number(expected),
                "points_exact": F(expected),
            }
        )
    return rows


def deduction(rows: Sequence[Mapping[str, Any]], *, kind: str, edition: str) -> dict[str, Any]:
    """The total deduction of a direction for these facts, computed by the scoring engine.

    The engine's penalty (``min(cap, 0.2 × unreliable + 2 × incomplete)``) is the one formula;
    it is asked through the public API with a case that holds only the fact counts.
    """
    unreliable = sum(1 for r in rows if r["kind"] == "unreliable")
    incomplete = sum(1 for r in rows if r["kind"] == "incomplete")
    result = score_case_dict(
        {
            "edition": str(edition),
            "body": {"kind": kind},
            "complaints": {
                "handled": 0, "handled_late": 0, "court_upheld": 0, "received": 0,
                "redirected_late": 0, "disciplinary_actions": 0, "excused": 0,
            },
            "penalties": {
                "complaints": {"unreliable_facts": unreliable, "incomplete_facts": incomplete}
            },
        }
    )  # fmt: skip
    entry = result["explain"]["complaints.penalty"]
    raw = sum((r["points_exact"] for r in rows), Fraction(0))
    cap = F(edition_of(edition).penalty["cap"])
    return {
        "unreliable": unreliable,
        "incomplete": incomplete,
        "sum": number(fmt2(raw.numerator, raw.denominator)),
        "value": result["complaints"]["penalty"],
        "printed": number(result["complaints"]["penalty"]),
        "capped": bool(entry["rules"]),
        "cap": number(cap),
    }


def facts_for_recommendations(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """p.21: the facts go into "Выводы и рекомендации", grouped by kind."""
    groups = []
    for kind, title in (
        ("unreliable", "Выявлены факты представления недостоверной информации"),
        ("incomplete", "Выявлены факты представления неполной информации"),
    ):
        items = [r for r in rows if r["kind"] == kind]
        if items:
            groups.append({"title": title, "points": items[0]["points"], "items": items})
    return groups


# --- the engine's explanations as printed notes -------------------------------------------------

# The source figures of each printed value, per direction: the codes repeat across directions
# (P1 is the services' satisfaction and openness's open data; P2, R…), so a code is only ever
# looked up under its own direction.
_INPUT_TEXTS: dict[str, dict[str, str]] = {
    "services": {
        "P2": "обоснованных жалоб: {a} на {b} оказанных услуг",
        "T1": "оказано с нарушением сроков: {a} из {b}",
        "T2": "необоснованных отказов: {a} из {b} оказанных услуг",
        "T3": "оказано при неполном пакете документов: {a} из {b}",
        "T4": "с истребованием непредусмотренных документов: {a} из {b}",
        "T": "видов услуг: {n}, из них автоматизировано частично: {c}, полностью: {d}",
        "V": (
            "оказано в электронной форме: {e} из {z}; на бумажном носителе: {b} из {c} "
            "автоматизированных"
        ),
        "C": "доступно в мобильных приложениях: {w}; автоматизировано частично: {partially}, "
        "полностью: {fully}",
        "P": "часов недоступности: {t}",
        "D": "услуг переведено в проактивный формат: {t}",
        "S": "реализовано цифровых документов: {t}",
    },
    "complaints": {
        "R1": "рассмотрено с нарушением сроков: {a} из {b}",
        "R2": "признано обоснованными по решению суда: {a} из {b} рассмотренных",
        "R3": "перенаправлено с нарушением сроков: {a} из {b} поступивших",
        "R4": (
            "фактов привлечения к ответственности: {disciplinary_actions}; рассмотрено с "
            "нарушением сроков: {handled_late}, перенаправлено с нарушением сроков: "
            "{redirected_late}, исключено (объективная невозможность): {excused}"
        ),
    },
}


def _fmt_input(value: str) -> str:
    return count(value) if value.lstrip("-").isdigit() else number(value)


def input_text(direction: str, code: str, entry: Mapping[str, Any] | None) -> str:
    """The source figures of one printed value of ``direction``, from its ``explain`` entry, in
    Russian ("" where the direction has no such text for the code)."""
    if not entry:
        return ""
    inputs = {k: _fmt_input(str(v)) for k, v in (entry.get("inputs") or {}).items()}
    if direction == "services" and code == "P1":
        n = int(entry["inputs"].get("n", "0"))
        if n == 0:
            return "оценки уровня удовлетворенности отсутствуют"
        levels = "; ".join(
            f"{number(entry['inputs'][f'level[{i}]'])} → {number(entry['inputs'][f'U[{i}]'])}"
            for i in range(n)
        )
        return f"видов услуг: {n}; уровень удовлетворенности → баллы: {levels}"
    template = _INPUT_TEXTS.get(direction, {}).get(code)
    if template is None:
        return ""
    try:
        return template.format(**inputs)
    except KeyError:
        return ""


def rule_notes(entry: Mapping[str, Any] | None) -> list[str]:
    """The special rules the engine applied to one value (its ``explain`` rules), in Russian.

    The engine words its rules in English; the phrases matched here are pinned by a test
    (tests/reporting/annexes/test_common.py) so a change of wording is noticed.
    """
    if not entry:
        return []
    notes = []
    for rule in entry.get("rules") or ():
        if rule.startswith("zero base"):
            notes.append("нулевая база: присвоен максимальный балл")
        elif rule == "negative result floored at 0":
            notes.append("отрицательный результат принят равным 0")
        elif rule.startswith("D and S not counted"):
            notes.append(
                "стимулирующие показатели не учтены: критерий имеет максимальное значение без них"
            )
        elif rule.startswith("D + S counted only up to"):
            notes.append("стимулирующие показатели учтены в пределах максимального значения")
        elif rule.startswith("stimulus not counted"):
            notes.append(
                "стимулирующий показатель не учтен: критерий имеет максимальное значение без него"
            )
        elif rule.startswith("stimulus counted only up to"):
            notes.append("стимулирующий показатель учтен в пределах максимального значения")
        elif rule.startswith("capped at"):
            notes.append("не более максимального значения")
        elif rule.startswith("no complaints upheld by a court"):
            notes.append("жалоб, удовлетворенных судом, нет: максимальный балл (п. 100)")
        elif rule.startswith("P7 applies"):
            notes.append("оценке подлежат подведомственные организации центральных органов")
        elif rule.startswith("no late cases"):
            notes.append("нарушений сроков нет: максимальный балл (приложение 13)")
    return notes


def analysis_items(
    codes: Sequence[str],
    names: Mapping[str, str],
    analysis: Mapping[str, str] | None,
    *,
    mark: str = "dot",
    semicolons: bool = False,
    prefix: str = "По критерию",
) -> list[dict[str, str]]:
    """The numbered "По критерию …" items of the analysis section (numbered "1." or "1)", ending
    with ";" where the seed's form does), each with the analysis text given for its code."""
    if isinstance(analysis, str):
        raise TypeError("analysis must map each criterion code to its text")
    analysis = dict(analysis or {})
    unknown = sorted(set(analysis) - set(codes))
    if unknown:
        raise ValueError(f"analysis for unknown criteria: {', '.join(unknown)}")
    items = []
    for i, code in enumerate(codes, start=1):
        end = (";" if i < len(codes) else ".") if semicolons else ""
        items.append(
            {
                "mark": f"{i}." if mark == "dot" else f"{i})",
                "heading": f'{prefix} "{names[code]}"{end}',
                "text": (analysis.get(code) or "").strip(),
            }
        )
    return items
