"""The cycle seen whole: every evaluated body × direction with its stage and next deadline, and
the rankings by score. Reads only what the other features store (reports, re-verifications,
conclusions, score sheets, the schedule), always through the access registry.

Every read is a fixed number of queries whatever the number of bodies (tests pin them): the
overview reads the bodies once per direction, then the reports, re-verifications, conclusions,
current sheets, milestones and the calendar's overrides once each; filters, sorting and counts
run over those rows in memory (≈ 8,100 rows for the national cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, clock, stages
from assessments.kernel.calendar import working_days_left
from assessments.models import (
    Conclusion,
    ConclusionState,
    Cycle,
    Milestone,
    Organisation,
    Region,
    Report,
    Reverification,
    ScoreSheet,
)
from assessments.models.directions import MAIN_DIRECTIONS

DIRECTIONS = tuple(str(d) for d in MAIN_DIRECTIONS)
RANKING_DIRECTIONS = (*DIRECTIONS, "overall")

# The stages of a body × direction, in the cycle's order (the overview's columns and filter).
STAGES: dict[str, object] = {
    "report_due": _("Ожидается отчёт"),
    "report_returned": _("Отчёт возвращён на доработку"),
    "report_submitted": _("Отчёт представлен"),
    "report_not_submitted": _("Отчёт не представлен"),
    "report_accepted": _("Отчёт принят"),
    "reverification": _("Перепроверка"),
    "conclusion_draft": _("Проект заключения"),
    "conclusion_review": _("Заключение на рассмотрении"),
    "conclusion_signing": _("Заключение на подписании"),
    "window_open": _("Срок для возражений открыт"),
    "issued": _("Заключение направлено"),
    "commission": _("Рассмотрение специальной комиссией"),
    "final": _("Окончательно"),
    "handover_due": _("Ожидает передачи в Агентство"),
    "handed_over": _("Передано в Агентство"),
}
# Which milestone is a stage's next deadline (the window's own last day for ``window_open``).
STAGE_MILESTONE = {
    "report_due": Milestone.Code.SUBMISSION,
    "report_returned": Milestone.Code.SUBMISSION,
    "report_submitted": Milestone.Code.REVERIFICATION,
    "reverification": Milestone.Code.REVERIFICATION,
    "report_accepted": Milestone.Code.CONCLUSIONS,
    "report_not_submitted": Milestone.Code.CONCLUSIONS,
    "conclusion_draft": Milestone.Code.CONCLUSIONS,
    "conclusion_review": Milestone.Code.CONCLUSIONS,
    "conclusion_signing": Milestone.Code.CONCLUSIONS,
    "commission": Milestone.Code.APPEALS,
}
BANDS = {b.value: b.label for b in ScoreSheet.Band}
LOCAL_LEVELS = {lv.value: lv.label for lv in Organisation.Level}


def _name(ru: str, kk: str) -> str:
    return kk if get_language() == "kk" and kk else ru


def cycle_for(user, code: str | None) -> Cycle | None:
    """The cycle ``code`` among those the user sees, else the current one (None: no cycle)."""
    cycles = access.visible(user, Cycle)
    if code:
        found = cycles.filter(code=code).first()
        if found is not None:
            return found
    return cycles.filter(is_current=True).first() or cycles.order_by("-year", "code").first()


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest cycle of an earlier year (the rankings' movement is measured against it)."""
    return Cycle.objects.filter(year__lt=cycle.year).order_by("-year", "-is_current",
                                                              "code").first()


def may_view(user) -> bool:
    """Whether the user may open the overview (the access registry's section ``overview``:
    whoever sees every body, an evaluating body's people, a body's staff)."""
    return access.may_open(user, "overview")


# --- The overview ------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    body_id: int
    name: str
    bin: str
    kind: str
    level: str
    region_id: int | None
    region: str
    direction: str
    evaluator_id: int | None
    evaluator: str
    stage: str
    deadline: date | None = None
    days_left: int | None = None
    score: Decimal | None = None
    band: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def stage_label(self):
        return STAGES[self.stage]

    @property
    def direction_label(self):
        return ScoreSheet.Direction(self.direction).label

    @property
    def band_label(self):
        return BANDS.get(self.band, "")

    @property
    def kind_label(self):
        return Organisation.Kind(self.kind).label

    @property
    def level_label(self):
        return LOCAL_LEVELS.get(self.level, "")


@dataclass
class Overview:
    cycle: Cycle
    today: date
    rows: list[Row]  # filtered and sorted
    counts: dict[str, int]  # per stage, over the rows before the stage filter
    overdue: int
    total: int  # every row the user sees, unfiltered
    evaluators: list[tuple[int, str]] = field(default_factory=list)
    regions: list[tuple[int, str]] = field(default_factory=list)


def _stage(report_state: str | None, reverification_state: str | None,
           conclusion: tuple | None, today: date) -> str:
    if conclusion is not None:
        state, objection_deadline, outcome = conclusion
        if state == ConclusionState.DRAFT:
            return "conclusion_draft"
        if state == ConclusionState.IN_REVIEW:
            return "conclusion_review"
        if state in (ConclusionState.APPROVED, ConclusionState.SIGNED):
            return "conclusion_signing"
        if state == ConclusionState.ISSUED:
            if objection_deadline is not None and objection_deadline >= today and not outcome:
                return "window_open"
            return "issued"
        if state == ConclusionState.UNDER_APPEAL:
            return "commission"
        return "final"
    if reverification_state is not None:
        return "reverification"
    return {
        Report.State.SUBMITTED: "report_submitted",
        Report.State.UNDER_REVIEW: "report_submitted",
        Report.State.RETURNED: "report_returned",
        Report.State.ACCEPTED: "report_accepted",
        Report.State.NOT_SUBMITTED: "report_not_submitted",
    }.get(report_state, "report_due")


def overview_rows(user, cycle: Cycle, today: date | None = None) -> list[Row]:
    """Every evaluated body × main direction the user may see in ``cycle``, with its stage, its
    next deadline and working days left (negative: overdue), its current score and band."""
    today = today or clock.today()
    p = access.principal(user)
    rules = p.rules
    bodies = Organisation.objects.filter(
        is_evaluated=True, kind__in=(Organisation.Kind.CENTRAL, Organisation.Kind.LOCAL)
    ).order_by()
    fields = ("pk", "name_ru", "name_kk", "bin", "kind", "level", "region_id")
    if p.sees_every_body:  # one read serves every direction
        every = list(bodies.values_list(*fields))
        visible_by_direction = {d: every for d in DIRECTIONS}
    else:
        visible_by_direction = {
            d: list(bodies.filter(access.direction_bodies_q(user, d)).values_list(*fields))
            for d in DIRECTIONS
        }
    reports = {
        (b, d): (s, deadline) for b, d, s, deadline in access.visible(
            user, Report.objects.filter(cycle=cycle, direction__in=DIRECTIONS)
        ).order_by().values_list("body_id", "direction", "state", "deadline")
    }
    reverifications = {
        (b, d): s for b, d, s in access.visible(
            user, Reverification.objects.filter(cycle=cycle, direction__in=DIRECTIONS)
            .exclude(state__in=(Reverification.State.CLOSED, Reverification.State.CANCELLED))
        ).order_by().values_list("body_id", "direction", "state")
    }
    latest = access.visible(user, Conclusion.objects.filter(
        cycle=cycle, direction__in=DIRECTIONS)).exclude(state=ConclusionState.SUPERSEDED)
    conclusions: dict[tuple[int, str], tuple] = {}
    for b, d, state, deadline, outcome in latest.values_list(
            "body_id", "direction", "state", "objection_deadline", "window_outcome"
    ).order_by("version"):  # the latest version last: it wins
        conclusions[(b, d)] = (state, deadline, outcome)
    sheets = {
        (b, d): (final, band) for b, d, final, band in access.visible(
            user, ScoreSheet.objects.filter(cycle=cycle, is_current=True,
                                            direction__in=DIRECTIONS)
        ).order_by().values_list("body_id", "direction", "final", "band")
    }
    milestones: dict[tuple[str, str], date] = {
        (code, d): due for code, d, due in Milestone.objects.filter(cycle=cycle).values_list(
            "code", "direction", "due_on")
    }
    evaluator_ids = set(rules.by_kind.values()) | set(rules.by_body.values())
    evaluator_names = {
        pk: _name(ru, kk) for pk, ru, kk in Organisation.objects.filter(
            pk__in=evaluator_ids).values_list("pk", "short_name_ru", "short_name_kk")
    }
    missing = [pk for pk, n in evaluator_names.items() if not n]
    if missing:
        evaluator_names.update({pk: _name(ru, kk) for pk, ru, kk in Organisation.objects.filter(
            pk__in=missing).values_list("pk", "name_ru", "name_kk")})
    region_names = {pk: _name(ru, kk) for pk, ru, kk in Region.objects.values_list(
        "pk", "name_ru", "name_kk")}
    later = stages.stage_facts(user, cycle)  # hand-overs (appeals), through the registry

    rows: list[Row] = []
    in_kazakh = get_language() == "kk"
    for d in DIRECTIONS:
        for pk, ru, kk, bin_, kind, level, region_id in visible_by_direction[d]:
            evaluator_id = rules.by_body.get((pk, d)) or rules.by_kind.get((kind, d))
            if evaluator_id is None:
                continue  # not evaluated on this direction
            report_state, report_deadline = reports.get((pk, d), (None, None))
            stage = _stage(report_state, reverifications.get((pk, d)), conclusions.get((pk, d)),
                           today)
            fact = later.get((pk, d)) if stage == "final" else None
            if fact is not None:
                stage, deadline = fact.stage, fact.deadline
            elif stage == "window_open":
                deadline = conclusions[(pk, d)][1]
            elif stage in STAGE_MILESTONE:
                code = STAGE_MILESTONE[stage]
                deadline = milestones.get((code, d)) or milestones.get((code, ""))
                if stage in ("report_due", "report_returned") and report_deadline:
                    deadline = report_deadline
            else:
                deadline = None
            final, band = sheets.get((pk, d), (None, ""))
            rows.append(Row(
                body_id=pk, name=kk if in_kazakh and kk else ru, bin=bin_, kind=kind, level=level,
                region_id=region_id, region=region_names.get(region_id, ""), direction=d,
                evaluator_id=evaluator_id, evaluator=evaluator_names.get(evaluator_id, ""),
                stage=stage, deadline=deadline, score=final, band=band or "",
            ))
    left = working_days_left(today, (r.deadline for r in rows))
    for r in rows:
        if r.deadline is not None:
            r.days_left = left[r.deadline]
    return rows


OVERVIEW_SORTS = {
    "urgent": lambda r: (not r.overdue, r.days_left is None, r.days_left or 0, r.name, r.direction),
    "name": lambda r: (r.name, r.direction),
    "-name": None,  # reverse of name
    "deadline": lambda r: (r.deadline is None, r.deadline or date.max, r.name),
    "stage": lambda r: (list(STAGES).index(r.stage), r.name),
    "score": lambda r: (r.score is None, r.score or 0, r.name),
    "-score": lambda r: (r.score is None, -(r.score or 0), r.name),
}


def choices(rows: list[Row]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The evaluating bodies and the regions among ``rows`` (the filters' choices)."""
    evaluators = sorted({(r.evaluator_id, r.evaluator) for r in rows}, key=lambda e: e[1])
    regions = sorted({(r.region_id, r.region) for r in rows if r.region_id}, key=lambda e: e[1])
    return evaluators, regions


def overview(user, cycle: Cycle, *, filters: dict | None = None, sort: str = "urgent",
             today: date | None = None, rows: list[Row] | None = None) -> Overview:
    """The overview filtered and sorted (``filters``: kind, region, level, evaluator, direction,
    stage, band, overdue, q); overdue rows first unless another order is asked for. ``rows``:
    the user's ``overview_rows`` when already read."""
    today = today or clock.today()
    filters = filters or {}
    all_rows = rows if rows is not None else overview_rows(user, cycle, today)
    rows = all_rows
    q = (filters.get("q") or "").strip().casefold()
    if q:
        rows = [r for r in rows if q in r.name.casefold() or r.bin.startswith(q)]
    for key, attr in (("kind", "kind"), ("level", "level"), ("direction", "direction"),
                      ("band", "band")):
        if filters.get(key):
            rows = [r for r in rows if getattr(r, attr) == filters[key]]
    if filters.get("region"):
        rows = [r for r in rows if r.region_id == int(filters["region"])]
    if filters.get("evaluator"):
        rows = [r for r in rows if r.evaluator_id == int(filters["evaluator"])]
    if filters.get("overdue"):
        rows = [r for r in rows if r.overdue]
    counts = {stage: 0 for stage in STAGES}
    for r in rows:
        counts[r.stage] += 1
    if filters.get("stage"):
        rows = [r for r in rows if r.stage == filters["stage"]]
    if sort == "-name":
        rows = sorted(rows, key=OVERVIEW_SORTS["name"], reverse=True)
    else:
        rows = sorted(rows, key=OVERVIEW_SORTS.get(sort) or OVERVIEW_SORTS["urgent"])
    evaluators, regions = choices(all_rows)
    return Overview(cycle=cycle, today=today, rows=rows, counts=counts,
                    overdue=sum(1 for r in rows if r.overdue), total=len(all_rows),
                    evaluators=evaluators, regions=regions)


# --- Rankings ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RankedRow:
    rank: int
    body_id: int
    name: str
    bin: str
    kind: str
    level: str
    score: Decimal
    band: str
    final: bool  # the body's conclusion on the direction is final
    previous_rank: int | None = None

    @property
    def movement(self) -> int | None:
        """Places gained (+) or lost (−) against the previous cycle, None if not ranked then."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def band_label(self):
        return BANDS.get(self.band, "")


@dataclass
class Ranking:
    cycle: Cycle
    direction: str
    group: str
    rows: list[RankedRow]  # the rows the user may see, in rank order
    ranked: int  # bodies ranked in the group (all of them, seen or not)
    provisional: bool  # some conclusion behind a ranked score is not final yet
    previous: Cycle | None

    @property
    def direction_label(self):
        return ranking_direction_label(self.direction)

    @property
    def group_label(self):
        return group_label(self.group)


def ranking_direction_label(direction: str):
    return ScoreSheet.Direction(direction).label


def groups() -> dict[str, object]:
    """The ranking groups: central bodies, local bodies, and local bodies per level (p.23)."""
    out: dict[str, object] = {"central": _("Центральные государственные органы"),
                              "local": _("Местные исполнительные органы")}
    for level, label in LOCAL_LEVELS.items():
        out[f"local:{level}"] = label
    return out


def group_label(group: str):
    return groups().get(group, group)


def _group_filter(group: str) -> dict:
    if group == "central":
        return {"body__kind": Organisation.Kind.CENTRAL}
    if group.startswith("local:"):
        return {"body__kind": Organisation.Kind.LOCAL, "body__level": group.split(":", 1)[1]}
    return {"body__kind": Organisation.Kind.LOCAL}


def rank(scores: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank, the next rank skips."""
    out: dict[int, int] = {}
    ordered = sorted(scores, key=lambda item: -item[1])
    previous, position = None, 0
    for index, (body_id, score) in enumerate(ordered, start=1):
        if score != previous:
            position, previous = index, score
        out[body_id] = position
    return out


def _scores(cycle: Cycle, direction: str, group: str) -> list[tuple]:
    return list(ScoreSheet.objects.filter(
        cycle=cycle, direction=direction, is_current=True, final__isnull=False,
        **_group_filter(group),
    ).order_by().values_list("body_id", "final", "band", "body__name_ru", "body__name_kk",
                             "body__bin", "body__kind", "body__level"))


def ranking(user, cycle: Cycle, direction: str, group: str) -> Ranking:
    """The ranking of ``group`` on ``direction`` (or ``overall``) in ``cycle``.

    Every ranked body counts for the places (the ranks are the cycle's, not the viewer's), but
    the rows listed are those whose score sheet the user may see. A score counts as final when
    the body's latest conclusion on the direction (the block conclusion, annex 15, for the
    overall score) is final; while one is not, the ranking is provisional and says so.
    """
    scores = _scores(cycle, direction, group)
    ranks = rank([(row[0], row[1]) for row in scores])
    conclusion_direction = "block" if direction == "overall" else direction
    # The group's filter, not the ranked ids (no list of thousands of parameters).
    latest = dict(Conclusion.objects.filter(
        cycle=cycle, direction=conclusion_direction, **_group_filter(group),
    ).exclude(state=ConclusionState.SUPERSEDED).order_by().values("body_id").annotate(
        v=Max("version")).values_list("body_id", "v"))
    final_ids = set(Conclusion.objects.filter(
        cycle=cycle, direction=conclusion_direction, state=ConclusionState.FINAL,
        **_group_filter(group),
    ).order_by().values_list("body_id", "version"))
    final = {b for b, v in final_ids if latest.get(b) == v}
    previous = previous_cycle(cycle)
    previous_ranks: dict[int, int] = {}
    if previous is not None:
        previous_ranks = rank([(r[0], r[1]) for r in _scores(previous, direction, group)])
    p = access.principal(user)
    if p.sees_every_body:
        seen = set(ranks)
    else:
        seen = set(access.visible(user, ScoreSheet.objects.filter(
            cycle=cycle, direction=direction, is_current=True, final__isnull=False,
            **_group_filter(group),
        )).order_by().values_list("body_id", flat=True))
    in_kazakh = get_language() == "kk"
    rows = [
        RankedRow(rank=ranks[b], body_id=b, name=kk if in_kazakh and kk else ru, bin=bin_,
                  kind=kind,
                  level=level, score=final_score, band=band or "", final=b in final,
                  previous_rank=previous_ranks.get(b))
        for b, final_score, band, ru, kk, bin_, kind, level in scores if b in seen
    ]
    rows.sort(key=lambda r: (r.rank, r.name))
    return Ranking(cycle=cycle, direction=direction, group=group, rows=rows, ranked=len(ranks),
                   provisional=len(final) < len(ranks), previous=previous)


def band_distribution(cycle: Cycle, group: str | None = None) -> dict[str, dict[str, int]]:
    """``{direction: {band: bodies}}`` of the current scores (all bodies: a count, no names)."""
    qs = ScoreSheet.objects.filter(cycle=cycle, is_current=True, final__isnull=False)
    if group:
        qs = qs.filter(**_group_filter(group))
    out = {d: {b: 0 for b in BANDS} for d in RANKING_DIRECTIONS}
    for direction, band in qs.order_by().values_list("direction", "band"):
        if direction in out and band in out[direction]:
            out[direction][band] += 1
    return out


def final_pairs(cycle: Cycle) -> set[tuple[int, str]]:
    """``(body, direction)`` whose latest conclusion is final (``block`` for the overall)."""
    final, pending = set(), set()
    for body_id, direction, state in Conclusion.objects.filter(cycle=cycle).exclude(
            state=ConclusionState.SUPERSEDED).order_by().values_list("body_id", "direction",
                                                                     "state"):
        (final if state == ConclusionState.FINAL else pending).add((body_id, direction))
    return final - pending


def ranking_status(cycle: Cycle) -> bool:
    """Whether the cycle's scores are provisional: a scored body × direction whose conclusion
    is not final yet (the exports and the cycle report say so)."""
    final = final_pairs(cycle)
    scored = ScoreSheet.objects.filter(cycle=cycle, is_current=True, final__isnull=False)
    for body_id, direction in scored.order_by().values_list("body_id", "direction"):
        if (body_id, "block" if direction == "overall" else direction) not in final:
            return True
    return False


# --- A body across cycles ----------------------------------------------------------------------


@dataclass
class BodyCycle:
    cycle: Cycle
    sheets: dict[str, ScoreSheet]  # direction -> current sheet the user may see
    conclusions: list[Conclusion]


def body_history(user, body: Organisation) -> list[BodyCycle]:
    """The body's current sheets and conclusions (every version) in every cycle the user sees,
    newest cycle first: two queries for sheets and conclusions, one for the cycles."""
    cycles = list(access.visible(user, Cycle).order_by("-year", "code"))
    sheets: dict[int, dict[str, ScoreSheet]] = {}
    for sheet in access.visible(user, ScoreSheet.objects.filter(
            body=body, is_current=True, cycle__in=cycles)).defer("explain"):
        sheets.setdefault(sheet.cycle_id, {})[sheet.direction] = sheet
    conclusions: dict[int, list[Conclusion]] = {}
    for c in access.visible(user, Conclusion.objects.filter(body=body, cycle__in=cycles)).order_by(
            "annex", "direction", "version"):
        conclusions.setdefault(c.cycle_id, []).append(c)
    return [BodyCycle(cycle=c, sheets=sheets.get(c.pk, {}), conclusions=conclusions.get(c.pk, []))
            for c in cycles if c.pk in sheets or c.pk in conclusions]
