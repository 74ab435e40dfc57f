"""Openness: the body's report (annex 9) and its scores per language column (annex 10).

Annex 9 — the report's plain structure (what the submission service maps its data to)::

    report = {
        "1": [                            # table: "1", "2", "3", "4", "5", "5-1", "6"
            {
                "indicator": "published",         # key of the row (ANNEX9_TABLES[table]["rows"])
                "kk": {"links": ["https://data.egov.kz/…"], "documents": ["Тізім.pdf"]},
                "ru": {"links": ["https://data.egov.kz/…"], "documents": []},
                "details": ["Вопросов поступило: 120"],   # optional: data of no language version
                "note": "",                       # optional free text
            },
        ],
    }

The seed's three columns (№, Наименование индикатора, Отчетные данные): the reported data of
each indicator is printed per language version ("На государственном языке", "На русском языке"),
then its details and note. Tables 2 and 6 are for central bodies, table 3 for local ones (the
seed's titles), and rows 1 and 5 of table 4 for central bodies ("оцениваемый центральный
государственный орган"). A document is a file name (``str``) or ``{"name": …, "url": …}``. Rows
not reported print a dash; ``missing_tables`` names the tables the body did not present (an
element of the report missing, p.18), printed as such; ``table_details`` adds lines under a
table (the report's own dated lists).

Annex 10 — built from the engine's result: each criterion's ``explain`` entry carries every
indicator's applied score per column (``inputs["<indicator>.kk"]``), after the methodology's
rules; the media criterion's columns are computed with the engine's own formulas
(``assessments.scoring.formulas``) from its recorded inputs, and D is what is left of the
engine's exact P6 (so no band is looked up twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from assessments.scoring.exact import fmt2, parse_exact, parse_number
from assessments.scoring.formulas import media_a_sum, media_b

from . import labels
from .common import (
    DEFAULT_EDITION,
    F,
    check_kind,
    edition_of,
    heading,
    openness_maxima,
    rule_notes,
    subordinates_applies,
)
from .conclusions import direction_result
from .formatting import long_date, number
from .inputs import Body

COLUMNS = ("kk", "ru")
COLUMN_LABELS = {"kk": "На государственном языке", "ru": "На русском языке"}


# --- annex 9 ----------------------------------------------------------------------------------


def annex9_tables(kind: str) -> list[str]:
    return [t for t in labels.ANNEX9_ORDER if kind in labels.ANNEX9_TABLES[t]["kinds"]]


def _row_kinds(row: tuple) -> tuple[str, ...]:
    return row[2] if len(row) > 2 else ("central", "local")


def _documents(values: Iterable[Any], where: str) -> list[dict[str, str]]:
    out = []
    for value in values or ():
        if isinstance(value, str):
            out.append({"name": value, "url": ""})
        elif isinstance(value, Mapping) and value.get("name"):
            out.append({"name": str(value["name"]), "url": str(value.get("url") or "")})
        else:
            raise ValueError(f"{where}: a document is a file name or {{'name', 'url'}}")
    return out


def _column(value: Any, where: str) -> dict[str, list]:
    value = value or {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected {{'links': [...], 'documents': [...]}}")
    unknown = sorted(set(value) - {"links", "documents"})
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(unknown)}")
    links = [str(x) for x in value.get("links") or ()]
    return {"links": links, "documents": _documents(value.get("documents"), where)}


def openness_report_context(
    *,
    body: Body | Mapping[str, Any],
    period: object,
    report: Mapping[str, Iterable[Mapping[str, Any]]],
    missing_tables: Iterable[str] = (),
    table_details: Mapping[str, Iterable[str]] | None = None,
    submitted_on: object = None,
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
) -> dict[str, Any]:
    """Annex 9: the body's openness report, every indicator with its links and documents per
    language version (Kazakh, Russian)."""
    body = Body.of(body)
    applicable = annex9_tables(body.kind)
    missing_tables = {str(t) for t in missing_tables}
    not_applicable = sorted(missing_tables - set(applicable))
    if not_applicable:
        raise ValueError(f"annex 9: no table {', '.join(not_applicable)} for this body")
    table_details = {str(k): [str(x) for x in v] for k, v in (table_details or {}).items()}
    unknown = sorted(set(report) - set(labels.ANNEX9_TABLES))
    if unknown:
        raise ValueError(f"annex 9 has no table {', '.join(unknown)}")
    foreign = sorted(t for t in report if t not in applicable and report[t])
    if foreign:
        raise ValueError(
            f"table(s) {', '.join(foreign)} of annex 9 are not for a {labels.BODY_KIND[body.kind]}"
        )
    tables = []
    for number_ in applicable:
        spec = labels.ANNEX9_TABLES[number_]
        rows_spec = [r for r in spec["rows"] if body.kind in _row_kinds(r)]
        keys = [r[0] for r in rows_spec]
        given: dict[str, Mapping[str, Any]] = {}
        for row in report.get(number_) or ():
            key = row.get("indicator")
            where = f"table {number_}, indicator {key!r}"
            if key not in keys:
                raise ValueError(f"annex 9, {where}: no such indicator for this body")
            if key in given:
                raise ValueError(f"annex 9, {where}: given twice")
            extra = sorted(set(row) - {"indicator", "kk", "ru", "note", "label", "details"})
            if extra:
                raise ValueError(f"annex 9, {where}: unknown keys {', '.join(extra)}")
            given[key] = row
        rows = []
        for i, row_spec in enumerate(rows_spec, start=1):
            key, label = row_spec[0], row_spec[1]
            data = given.get(key)
            where = f"annex 9, table {number_}, indicator {key!r}"
            kk = _column((data or {}).get("kk"), where + ", kk")
            ru = _column((data or {}).get("ru"), where + ", ru")
            rows.append(
                {
                    "number": str(i),
                    "indicator": key,
                    "label": (data or {}).get("label") or label,
                    "kk": kk,
                    "ru": ru,
                    "columns": [(COLUMN_LABELS["kk"], kk), (COLUMN_LABELS["ru"], ru)],
                    "note": str((data or {}).get("note") or ""),
                    "details": [str(x) for x in (data or {}).get("details") or ()],
                    "reported": data is not None,
                }
            )
        tables.append(
            {"number": number_, "title": spec["title"], "rows": rows,
             "notes": spec.get("notes", ()), "missing": number_ in missing_tables,
             "details": table_details.get(number_, [])}
        )  # fmt: skip
    ctx = heading(
        9, body=body, period=period, name_caption=labels.NAME_CAPTION_EITHER, version=version,
        replaces_version=replaces_version, draft=draft, bilingual=True,
    )  # fmt: skip
    ctx.update(tables=tables, column_labels=COLUMN_LABELS,
               submitted_on=long_date(submitted_on) if submitted_on else "")
    return ctx


# --- annex 10 ---------------------------------------------------------------------------------

_SOURCE_WORDS = (("annex", "прил."), ("tables", "табл."), ("table", "табл."), ("note", "прим."),
                 ("and", "и"), ("central", "ЦГО"), ("local", "МИО"))


def source_ru(source: str) -> str:
    """The engine's source reference in Russian: "p.62" → "п. 62", "annex 10, table 1" → …"""
    text = source.replace("p.", "п. ")
    for en, ru in _SOURCE_WORDS:
        text = text.replace(en, ru)
    return text.split(" (")[0]


def _indicator_note(entry: Mapping[str, Any] | None) -> str:
    """Why an indicator has the score it has, when a rule of the methodology decided it."""
    if not entry:
        return ""
    kind = entry.get("id")
    src = source_ru(entry.get("source", ""))
    if kind == "full_marks":
        return f"максимальный балл ({src})"
    if kind == "zeroed":
        return f"0 баллов ({src})"
    if kind == "peer_average":
        return "средний балл по государственным органам (орган не оценивается по индикатору)"
    if kind == "blog_posts":
        return f"записей в блоге: {entry['inputs'].get('posts', '0')}"
    if kind == "blog_answers" and any(r.startswith("zeroed") for r in entry.get("rules", ())):
        return "0 баллов: доля ответов с отрицательной оценкой более 10 % (п. 74)"
    return ""


def _cell(value: str | None) -> str:
    return number(fmt2(*parse_exact(value))) if value is not None else ""


def _criterion_tables(kind: str) -> list[str]:
    return ["1", "2", "4", "6", "7"] if kind == "central" else ["1", "3", "5", "6", "7"]


def _blog_bands_text(ed) -> str:
    """The blog's bands as annex 10 (table 6, row 3) words them: "1) при размещении более 50
    записей (не менее 1 записи в неделю) — 1,5; … 4) в иных случаях — 0,3"."""
    raw = ed.raw["openness"]["criteria"]["open_dialogue"]["blog_posts"]
    parts = []
    for i, (lo, pts) in enumerate(raw["bands"], start=1):
        gloss = labels.BLOG_BAND_GLOSS.get(int(lo))
        words = f"при размещении более {lo} записей" + (f" ({gloss})" if gloss else "")
        parts.append(f"{i}) {words} — {number(pts)}")
    parts.append(f"{len(raw['bands']) + 1}) в иных случаях — {number(raw['otherwise'])}")
    return "; ".join(parts)


def _media_d_bands_text(ed) -> str:
    """Indicator D's bands as annex 10 (table 7-1, row 3) words them: "свыше 80 % опрошенных
    удовлетворены — 1,5; от 69 до 79 % опрошенных удовлетворены — 1; …; менее 35 % опрошенных
    удовлетворены — 0" (each upper edge and the last "менее" are the next edge minus 1, as the
    seed prints them)."""
    d = ed.raw["openness"]["media"]["D"]
    who = "опрошенных удовлетворены"
    parts = [f"свыше {number(d['top'][0])} % {who} — {number(d['top'][1])}"]
    upper = F(d["top"][0]) - 1
    for lo, pts in d["bands"]:
        parts.append(f"от {number(lo)} до {number(upper)} % {who} — {number(pts)}")
        upper = F(lo) - 1
    parts.append(f"менее {number(upper)} % {who} — {number(d['otherwise'])}")
    return "; ".join(parts)


def _media_columns(entry: Mapping[str, Any], ed) -> dict[str, Any]:
    """Table 7-1 per column: A and B by the engine's formulas from the recorded inputs, C, and
    D as the rest of the engine's exact P6 = (A_kk + A_ru + B_kk + B_ru) × C + D_kk + D_ru."""
    mp = ed.media
    i = entry["inputs"]
    amax, bmax = mp["A_max"], mp["B_max"]
    events_total = int(i["events_total"])
    a = {}
    for col in COLUMNS:
        n, d, _ = media_a_sum(int(i[f"a_{col}"]), 0, events_total, mp["min_events"], amax.n,
                              amax.d)  # fmt: skip
        a[col] = Fraction(n, d)
    bn, bd, _ = media_b(int(i["received"]), int(i["answered"]), int(i["answered_late"]),
                        bmax.n, bmax.d)  # fmt: skip
    b = Fraction(bn, bd)
    cn, cd, _ = parse_number(i["media_satisfied_percent"])
    c = Fraction(cn, cd) / 100
    p6 = Fraction(*parse_exact(entry["value"]))
    d_each = (p6 - (a["kk"] + a["ru"] + 2 * b) * c) / 2
    return {"A": a, "B": b, "C": c, "D": d_each}


def _q(value: Fraction) -> str:
    return number(fmt2(value.numerator, value.denominator))


def openness_scores_context(
    *,
    body: Body | Mapping[str, Any],
    period: object,
    result: Mapping[str, Any] | None = None,
    scores: Mapping[str, str] | None = None,
    explain: Mapping[str, Any] | None = None,
    evaluator: str = "",
    version: int = 1,
    replaces_version: int | None = None,
    draft: bool = False,
    edition: str = DEFAULT_EDITION,
) -> dict[str, Any]:
    """Annex 10: the body's openness scores in the seed's tables, per language column."""
    body = Body.of(body)
    check_kind(10, body, ("central", "local"))
    scores, explain = direction_result(result, scores, explain, "openness", body)
    ed = edition_of(edition)
    crit = ed.criteria[body.kind]
    maxima = openness_maxima(edition, body.kind)
    tables = []
    for number_ in _criterion_tables(body.kind):
        spec = labels.ANNEX10_TABLES[number_]
        table = crit[spec["criterion"]]
        entry = explain.get("openness." + table.code)
        if entry is None:
            raise ValueError(f"annex 10: explain lacks openness.{table.code}")
        inputs = entry["inputs"]
        rows = []
        for num, key, label in spec["rows"]:
            if key is None:
                rows.append({"number": num, "label": label, "group": True})
                continue
            if key not in table.maxima:
                continue  # an indicator the other kind of body has (meetings_ngo: central only)
            mx = number(table.maxima[key])
            text = label.format(cap=number(table.cap))
            if key == "blog_posts":
                text += f" ({_blog_bands_text(ed)})"
            rows.append(
                {
                    "number": num,
                    "label": text,
                    "cells": [
                        {"score": _cell(inputs.get(f"{key}.{col}")), "max": mx} for col in COLUMNS
                    ],
                    "note": _indicator_note(explain.get(f"openness.{table.name}.{key}")),
                }
            )
        tables.append(
            {
                "number": number_,
                "title": spec["title"],
                "rows": rows,
                "total": number(scores[table.code]),
                "total_max": number(maxima[table.code]),
                "total_label": "Итого",
                "notes": [n.format(cap=number(table.cap)) for n in spec["notes"]],
                "criterion_notes": rule_notes(entry),
            }
        )
    # table 7-1: openness through media
    media_code = ed.media["code"]
    media_entry = explain.get("openness." + media_code)
    if media_entry is None:
        raise ValueError(f"annex 10: explain lacks openness.{media_code}")
    cols = _media_columns(media_entry, ed)
    amax, bmax = number(ed.media["A_max"]), number(ed.media["B_max"])
    dmax = number(ed.media["D_top"][1])
    media = {
        "number": labels.MEDIA_TABLE["number"],
        "title": labels.MEDIA_TABLE["title"],
        "rows": [
            {"number": "1.", "label": labels.MEDIA_TABLE["A"],
             "cells": [{"score": _q(cols["A"][c]), "max": amax} for c in COLUMNS]},
            {"number": "2.", "label": labels.MEDIA_TABLE["B"],
             "cells": [{"score": _q(cols["B"]), "max": bmax} for _c in COLUMNS]},
            {"number": "3.", "label": labels.MEDIA_TABLE["D"] + f" ({_media_d_bands_text(ed)})",
             "cells": [{"score": _q(cols["D"]), "max": dmax} for _c in COLUMNS]},
        ],
        "coefficient_label": labels.MEDIA_TABLE["C"],
        "coefficient": number(
            fmt2(cols["C"].numerator, cols["C"].denominator)
        ),
        "total": number(scores[media_code]),
        "total_max": number(maxima[media_code]),
        "notes": labels.MEDIA_TABLE["notes"],
    }  # fmt: skip
    # tables 8–11: subordinate organisations (central bodies only, table 8 note *)
    sub = ed.subordinates
    sub_entry = explain.get("openness." + sub["code"]) or {}
    sub_tables = []
    summary_rows = []
    applies = subordinates_applies(edition, body.kind)
    if applies:
        sub_inputs = sub_entry.get("inputs", {})
        for num, table_no, label in labels.SUBORDINATES_TABLES["8"]["rows"]:
            spec = labels.SUBORDINATES_TABLES[table_no]
            rows = []
            got = Fraction(0)
            most = Fraction(0)
            for rnum, key, rlabel in spec["rows"]:
                w = sub["penalties"][key]
                cells = []
                for col in COLUMNS:
                    value = Fraction(*parse_exact(sub_inputs.get(f"{key}.{col}", "0")))
                    got += value
                    most += F(w)
                    cells.append({"score": _q(value), "max": number(w)})
                rows.append({"number": rnum, "label": rlabel, "cells": cells})
            sub_tables.append(
                {"number": table_no, "title": spec["title"], "rows": rows,
                 "total_label": "Итого штрафных баллов", "total": _q(got),
                 "total_max": number(most)}
            )  # fmt: skip
            summary_rows.append(
                {"number": num, "label": label, "score": _q(got), "max": number(most)}
            )
    subordinates = {
        "applies": applies,
        "not_applicable": (
            "Не оценивается: оценке подлежат подведомственные организации центральных "
            "государственных органов (таблица 8, примечание *)."
        ),
        "summary": {
            "number": "8",
            "title": labels.SUBORDINATES_TABLES["8"]["title"],
            "rows": summary_rows,
            "total": number(scores[sub["code"]]),
            "total_max": number(maxima[sub["code"]]),
            "notes": labels.SUBORDINATES_TABLES["8"]["notes"],
        },
        "tables": sub_tables,
    }
    overview = [
        {"code": code, "label": labels.OPENNESS_LABELS[code],
         "score": number(scores[code], negative=code == sub["code"]),
         "max": number(maxima[code], negative=code == sub["code"])}
        for code in labels.OPENNESS_CODES
    ]  # fmt: skip
    ctx = heading(
        10, body=body, period=period, evaluator=evaluator, name_caption=labels.NAME_CAPTION_EITHER,
        version=version, replaces_version=replaces_version, draft=draft, bilingual=True,
    )  # fmt: skip
    ctx.update(
        column_labels=COLUMN_LABELS,
        tables=tables,
        media=media,
        subordinates=subordinates,
        overview=overview,
        total=number(scores["total"]),
        total_max=number(maxima["total"]),
        edition=str(edition),
    )
    return ctx

