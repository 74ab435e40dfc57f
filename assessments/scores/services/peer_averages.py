"""Peer averages: indicators a body is not scored on take the average of its peers' scores.

* A secret or "ДСП" budget (p.67): the open-budget indicators listed in ``not_assessed`` take
  **all bodies'** average; so do the National Bank's excluded budget indicators (annex 10,
  table 2, note **).
* The ministries of defence and foreign affairs (annex 10, table 6, note **): the meetings
  indicators take the **central bodies'** average; the Ministry of Defence's ``online_meetings``
  too (note *; our decision, like note **).

Which indicators take an average, and from which population, is read from the edition
(``special_peer`` / ``not_assessed`` and their ``population``), never written here.

Population decisions (README):

1. A body counts in an indicator's population when its current ``case`` holds the openness
   direction with that criterion's block (a criterion with no data yet is not a score of 0), and
   it does not take the average on that indicator itself.
2. The score averaged is the body's score on the indicator *as scored* — after its flags (a
   ``no_state_audit`` full mark counts as the full mark) — read from the engine's own
   explanation of the criterion (its inputs ``<indicator>.kk`` / ``.ru``), so no rule is
   re-implemented here. Each language column is averaged on its own.
3. "All bodies" means the bodies of both kinds whose table has the indicator with the same
   maximum as the body taking the average (comments, press releases, citizens' budget and the
   draft indicators are alike in tables 2 and 3); where the tables differ (programme reports
   0.5 vs 2, audit results, the central-only financial statements and strategic plan), the
   population is the bodies of the same kind. Averaging scores of different scales would not be
   an average of the same indicator.
4. The average is exact (a rational); it is written into the case as a decimal string — exactly
   when it has a finite decimal expansion, otherwise rounded half-up to 12 places (the contract
   reads decimal strings, not fractions). The error is below 10⁻¹² per column, so it could move
   a two-place figure only if the exact total lay within 10⁻¹² of a half-cent; and the stored
   case, not the rational, is what both the application and ``score_case`` score, so stored
   scores and the command always agree. The engine caps the average at the indicator's maximum.
5. An indicator no body is scored on has no average: the body's openness stays in the draft
   (not scored), and the scores page says which average is missing.
6. Averages are computed by the cycle's recompute (``recompute_cycle``), not on every change of
   one body's input: a change of one body's openness moves its peers' averages at the next
   recompute. Their source is ``peer_average`` with the population and its size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from assessments.models import Cycle, ScoringInput
from assessments.scoring import ScoringError, load_edition, score_case_dict
from assessments.scoring.edition import raw_edition

from .scoring_inputs import ScoringInputUpdate, scoring_inputs_current

__all__ = [
    "PeerAverage",
    "decimal_text",
    "peer_average_needs",
    "peer_averages_apply",
    "peer_averages_compute",
]

COLUMNS = ("kk", "ru")
PLACES = 12
ALL, CENTRAL = "all", "central"


@dataclass(frozen=True)
class PeerAverage:
    criterion: str
    indicator: str
    population: str  # "all" or "central"
    maximum: Fraction  # the indicator's maximum in the tables of the bodies averaged
    kk: Fraction
    ru: Fraction
    count: int
    body_ids: tuple[int, ...]

    def as_case_value(self) -> dict[str, str]:
        return {"kk": decimal_text(self.kk), "ru": decimal_text(self.ru)}


def decimal_text(value: Fraction, places: int = PLACES) -> str:
    """A decimal string: exact when the value has a finite expansion, else half-up to ``places``."""
    n, d = value.numerator, value.denominator
    sign = "-" if n < 0 else ""
    n = abs(n)
    k, dd = 0, d
    while dd % 2 == 0:
        dd //= 2
        k += 1
    j = 0
    while dd % 5 == 0:
        dd //= 5
        j += 1
    if dd == 1:
        digits = max(k, j)
        scaled = n * 10**digits // d
    else:
        digits = places
        scaled = (2 * n * 10**digits + d) // (2 * d)  # half-up
    if digits == 0:
        return f"{sign}{scaled}"
    text = f"{scaled:0{digits + 1}d}"
    whole, frac = text[:-digits], text[-digits:].rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def _population_code(text: str) -> str:
    return CENTRAL if text.strip().lower().startswith("central") else ALL


def peer_average_needs(case: Mapping) -> dict[tuple[str, str], str]:
    """``{(criterion, indicator): population}`` of the averages ``case`` takes (read from the
    edition: ``not_assessed`` and the body's special status)."""
    body = case.get("body") or {}
    openness = case.get("openness")
    if not isinstance(openness, dict) or body.get("kind") not in ("central", "local"):
        return {}
    edition = load_edition(case["edition"])
    raw = raw_edition(case["edition"])["openness"]["criteria"]
    tables = edition.criteria[body["kind"]]
    special = set(body.get("special") or [])
    needs: dict[tuple[str, str], str] = {}
    for name, table in tables.items():
        block = openness.get(name)
        if table.not_assessed_allowed and isinstance(block, dict):
            population = _population_code(raw[name]["not_assessed"].get("population", "all"))
            for ind in block.get("not_assessed") or []:
                if ind in table.maxima:
                    needs[(name, ind)] = population
        for s in sorted(special):
            if s in table.special_peer:
                population = _population_code(raw[name]["special_peer"][s].get("population", ""))
                for ind in table.special_peer[s][0]:
                    needs[(name, ind)] = population  # the special status wins
    return needs


def _effective_texts(case: Mapping, result: Mapping, edition) -> dict[tuple[str, str], tuple]:
    """``{(criterion, indicator): (kk text, ru text)}`` as the engine scored them (the inputs
    of its explanation of the criterion)."""
    out: dict[tuple[str, str], tuple] = {}
    openness = case.get("openness") or {}
    explain = result.get("explain") or {}
    for name, table in edition.criteria[case["body"]["kind"]].items():
        if not isinstance(openness.get(name), dict):
            continue
        entry = explain.get(f"openness.{table.code}")
        if entry is None:
            continue
        inputs = entry["inputs"]
        for ind, _kk, kkey, rkey in table.rows:
            kk, ru = inputs.get(kkey), inputs.get(rkey)
            if kk is not None and ru is not None:
                out[(name, ind)] = (kk, ru)
    return out


def _merged_view(si: ScoringInput) -> dict:
    """The case with its draft directions, without copying (read only)."""
    return {**si.case, **si.draft} if si.draft else si.case


def peer_averages_compute(
    inputs: Iterable[ScoringInput], results: Mapping[int, dict] | None = None
) -> dict[tuple[str, str, str, Fraction], PeerAverage]:
    """The averages over the cycle's current inputs, keyed ``(criterion, indicator, population,
    maximum)``. ``results`` (``{input id: engine result}``) saves scoring a case twice.

    Scores take few distinct values, so each column's texts are counted first and turned into
    exact rationals once per distinct text (a cycle of 2,700 bodies sums in milliseconds)."""
    results = results if results is not None else {}
    counts: dict[tuple, list] = defaultdict(lambda: [Counter(), Counter(), []])
    for si in inputs:
        case = si.case
        if not isinstance(case.get("openness"), dict):
            continue
        result = results.get(si.pk)
        if result is None:
            try:
                result = score_case_dict(case)
            except ScoringError:  # a stored case is valid; an edition change could break it
                continue
        kind = case["body"]["kind"]
        edition = load_edition(case["edition"])
        own_needs = peer_average_needs(_merged_view(si))
        maxima = _maxima(edition, kind)
        for (name, ind), (kk, ru) in _effective_texts(case, result, edition).items():
            if (name, ind) in own_needs:
                continue  # a body taking the average is not part of it
            maximum = maxima[(name, ind)]
            acc = counts[(name, ind, ALL, maximum)]
            acc[0][kk] += 1
            acc[1][ru] += 1
            acc[2].append(si.body_id)
            if kind == "central":
                acc = counts[(name, ind, CENTRAL, maximum)]
                acc[0][kk] += 1
                acc[1][ru] += 1
                acc[2].append(si.body_id)
    return {
        key: PeerAverage(
            criterion=key[0], indicator=key[1], population=key[2], maximum=key[3],
            kk=_sum(kk) / len(ids), ru=_sum(ru) / len(ids), count=len(ids), body_ids=tuple(ids),
        )
        for key, (kk, ru, ids) in counts.items()
    }


def _sum(counter: Counter) -> Fraction:
    return sum((Fraction(text) * n for text, n in counter.items()), Fraction(0))


@cache
def _maxima_of(edition_name: str, kind: str) -> dict[tuple[str, str], Fraction]:
    tables = load_edition(edition_name).criteria[kind]
    return {
        (name, ind): Fraction(mx.n, mx.d)
        for name, table in tables.items()
        for ind, mx in table.indicators
    }


def _maxima(edition, kind: str) -> dict[tuple[str, str], Fraction]:
    return _maxima_of(edition.name, kind)


_POPULATION_LABEL = {
    ALL: "Средний балл всех оцениваемых органов ({n})",
    CENTRAL: "Средний балл центральных государственных органов ({n})",
}


def peer_averages_updates(
    inputs: Iterable[ScoringInput], averages: Mapping[tuple, PeerAverage]
) -> list[ScoringInputUpdate]:
    """The changes that write ``averages`` into the cases that take them (all of them; the
    writer keeps only those that change a value)."""
    updates = []
    for si in inputs:
        full = _merged_view(si)
        needs = peer_average_needs(full)
        if not needs:
            continue
        kind = full["body"]["kind"]
        tables = load_edition(full["edition"]).criteria[kind]
        values, sources = {}, {}
        for (name, ind), population in sorted(needs.items()):
            mx = tables[name].maxima[ind]
            avg = averages.get((name, ind, population, Fraction(mx.n, mx.d)))
            if avg is None:
                continue  # nobody scored on it: the openness waits in the draft (decision 5)
            path = f"openness.{name}.peer_average.{ind}"
            values[path] = avg.as_case_value()
            sources[path] = {
                "kind": "peer_average",
                "ref": f"{population}:{avg.count}",
                "label": _POPULATION_LABEL[population].format(n=avg.count),
            }
        if values:
            updates.append(ScoringInputUpdate(body=si.body, values=values, sources=sources))
    return updates


def peer_averages_apply(
    *,
    cycle: Cycle,
    actor=None,
    results: Mapping[int, dict] | None = None,
    schedule_recompute: bool = False,
) -> dict[int, ScoringInput]:
    """Compute the cycle's averages and write them into the cases that take them (a new version
    only where an average changed). Returns ``{body_id: current version}`` of those bodies."""
    from .scoring_inputs import scoring_inputs_set_many

    inputs = list(scoring_inputs_current(cycle=cycle).select_related("body"))
    averages = peer_averages_compute(inputs, results)
    updates = peer_averages_updates(inputs, averages)
    return scoring_inputs_set_many(
        cycle=cycle,
        updates=updates,
        actor=actor,
        reason="Расчёт средних баллов (п.67; прил. 10, табл. 2, 6)",
        action="peer_averages",
        schedule_recompute=schedule_recompute,
    )
