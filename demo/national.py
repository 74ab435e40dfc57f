"""National data for benchmarks: one generated world that every benchmark states the same way
(``manage.py generate_national_data``; benchmarks/README.md).

The world, for ``bodies`` evaluated bodies and a ``seed``:

* the demo registry first (the real names of the 20 regions' akimats and of the central bodies,
  the evaluating bodies, who evaluates whom, one person per role: ``demo.seed``);
* generated bodies up to ``bodies`` evaluated ones: central bodies (≈10 %: ministries,
  agencies, other central bodies, each with a committee and a territorial unit that are not
  evaluated in their own right, p.23) and local executive bodies of every level in the 20
  regions (districts, cities of oblast significance, city districts, towns, settlements,
  villages, rural okrugs; a lower level under a district of its region);
* ``services`` public services of the register (most connected to "Мониторинг");
* ``cycles`` cycles (2 by default): the older with every report accepted, every body's score
  sheets and every conclusion final; the current one in progress (reports and conclusions at
  every stage), set as the current cycle;
* scoring inputs (``demo.scores.demo_case``, seeded per body and year) scored by the cycle
  recompute itself (``cycle_recompute``: peer averages, then every body's four sheets), so every
  sheet is the engine's;
* ``monitoring_rows`` applied "Мониторинг" rows (``ImportRecord``) in the current cycle, in one
  applied batch. They are not what the scoring inputs were assembled from (the inputs are
  generated directly): an import run against the world re-assembles the bodies it touches.

Generated bodies are the BINs of serials 80000–99999 (``demo_bin``) and generated cycles the
codes ``nat-<year>``. The world's parameters are written in the cycles' titles once complete:
a second run with the same parameters does nothing; other parameters (or ``replace``) delete the
generated world (cycles, their rows, generated bodies) and make it anew. Demo data, other
cycles and other bodies are never touched.

Inserts go by ``COPY`` on PostgreSQL (``assessments.kernel.bulk.copy_insert``), ``bulk_create``
elsewhere; 2,700 bodies with two cycles take about a minute on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

SERIAL_FROM = 80_000
BIN_FROM, BIN_TO = "9902408", "990241"  # demo_bin(80000…99999) sort between these
CYCLE_PREFIX = "nat-"
SERVICE_PREFIX = "7"  # register codes 7xxxxxxx (the import benchmark's are 9xxxxxxx)
CENTRAL_SHARE = 0.10
MARK = "generated:"

CENTRAL_TYPES = ("ministry", "agency", "other_body")
CENTRAL_NAMES = {
    "ministry": ("Министерство № {n} Республики Казахстан",
                 "Қазақстан Республикасының № {n} министрлігі"),
    "agency": ("Агентство № {n} Республики Казахстан",
               "Қазақстан Республикасының № {n} агенттігі"),
    "other_body": ("Центральный государственный орган № {n}", "№ {n} орталық мемлекеттік орган"),
    "committee": ("Комитет № {n} ({parent})", "№ {n} комитет ({parent})"),
    "territorial": ("Департамент № {n} по региону «{region}»",
                    "«{region_kk}» өңірі бойынша № {n} департамент"),
}
LOCAL_NAMES = {
    "district": ("Акимат района № {n} ({region})", "№ {n} аудан әкімдігі ({region_kk})"),
    "oblast_city": ("Акимат города областного значения № {n} ({region})",
                    "№ {n} облыстық маңызы бар қала әкімдігі ({region_kk})"),
    "city_district": ("Акимат района № {n} города ({region})",
                      "Қаланың № {n} ауданының әкімдігі ({region_kk})"),
    "town": ("Акимат города районного значения № {n} ({region})",
             "№ {n} аудандық маңызы бар қала әкімдігі ({region_kk})"),
    "settlement": ("Аппарат акима поселка № {n} ({region})",
                   "№ {n} кент әкімінің аппараты ({region_kk})"),
    "village": ("Аппарат акима села № {n} ({region})",
                "№ {n} ауыл әкімінің аппараты ({region_kk})"),
    "rural_okrug": ("Аппарат акима сельского округа № {n} ({region})",
                    "№ {n} ауылдық округ әкімінің аппараты ({region_kk})"),
}
# The levels below an oblast, in the proportions of the registry (most are rural okrugs).
OBLAST_PATTERN = ("district", "rural_okrug", "rural_okrug", "village", "oblast_city",
                  "rural_okrug", "town", "rural_okrug", "settlement", "rural_okrug")
UNDER_DISTRICT = {"rural_okrug", "village", "town", "settlement"}

# The current cycle's stages: (weight, report state, conclusion state or None).
CURRENT_STAGES = (
    (6, "draft", None), (4, "submitted", None), (4, "under_review", None),
    (2, "returned", None), (2, "not_submitted", None),
    (10, "accepted", None), (8, "accepted", "draft"), (5, "accepted", "in_review"),
    (4, "accepted", "approved"), (3, "accepted", "signed"), (20, "accepted", "issued"),
    (4, "accepted", "under_appeal"), (28, "accepted", "final"),
)


@dataclass(frozen=True)
class Params:
    bodies: int = 2700
    cycles: int = 2
    seed: int = 2023
    services: int = 300
    monitoring_rows: int = 100_000
    conclusions: bool = True

    def mark(self) -> str:
        return (f"{MARK} bodies={self.bodies} cycles={self.cycles} seed={self.seed} "
                f"services={self.services} monitoring={self.monitoring_rows} "
                f"conclusions={int(self.conclusions)}")


def generated_bodies_q():
    from django.db.models import Q

    return Q(bin__gte=BIN_FROM, bin__lt=BIN_TO)


def cycle_years(today: date, count: int) -> list[int]:
    """The reporting years, oldest first, ending with the demo's current period."""
    from demo.seed import demo_cycle_year

    last = demo_cycle_year(today)
    return list(range(last - count + 1, last + 1))


def _say(out: Callable[[str], None] | None, started: float, text: str) -> None:
    if out is not None:
        out(f"[{time.perf_counter() - started:6.1f} s] {text}")


def generate(params: Params, *, replace: bool = False,
             out: Callable[[str], None] | None = None) -> dict:
    """Make the world of ``params`` (nothing when it is there already); returns its counts."""
    from assessments.kernel import clock
    from assessments.models import Cycle

    started = time.perf_counter()
    years = cycle_years(clock.today(), params.cycles)
    codes = [f"{CYCLE_PREFIX}{y}" for y in years]
    present = list(Cycle.objects.filter(code__startswith=CYCLE_PREFIX))
    if (not replace and sorted(c.code for c in present) == sorted(codes)
            and all(f"({params.mark()})" in c.title for c in present)):
        _say(out, started, "the world of these parameters is there already: nothing to do")
        return {"created": False}
    _base(out, started)
    remove_generated(out=out, started=started)
    rng = random.Random(params.seed)
    bodies = _make_bodies(params, rng)
    _say(out, started, f"bodies: {len(bodies)} evaluated in the world")
    services = _make_services(params)
    _say(out, started, f"services: {len(services)}")
    cycles = []
    for i, year in enumerate(years):
        current = i == len(years) - 1
        cycle = _make_cycle(params, year, current=current, bodies=bodies, rng=rng, out=out,
                            started=started)
        cycles.append(cycle)
    if params.monitoring_rows:
        n = _make_monitoring(params, cycles[-1], bodies, services, rng)
        _say(out, started, f"Мониторинг rows: {n}")
    for cycle in cycles:
        Cycle.objects.filter(pk=cycle.pk).update(
            title=f"Национальная оценка за {cycle.year} год ({params.mark()})")
    _say(out, started, "done")
    return {"created": True, "bodies": len(bodies), "cycles": [c.code for c in cycles]}


def _base(out, started) -> None:
    """The demo registry: real names, evaluating bodies, rules, one person per role."""
    from demo.seed import seed_admin, seed_evaluator_rules, seed_people, seed_registry

    seed_admin()
    seed_registry()
    seed_evaluator_rules()
    seed_people()
    _say(out, started, "demo registry, rules and people in place")


def remove_generated(*, out=None, started: float | None = None) -> None:
    """Delete the generated world: its cycles with everything in them, its bodies."""
    from django.db import transaction

    from assessments.models import (
        AssessorAssignment,
        Conclusion,
        Cycle,
        ImportBatch,
        ImportRecord,
        ImportStagingRow,
        Organisation,
        OrganisationName,
        Report,
        ReportSection,
        ScoreSheet,
        ScoringInput,
    )

    with transaction.atomic():
        cycles = Cycle.objects.filter(code__startswith=CYCLE_PREFIX)
        ids = list(cycles.values_list("pk", flat=True))
        if ids:
            Conclusion.objects.filter(cycle_id__in=ids).update(supersedes=None)
            Conclusion.objects.filter(cycle_id__in=ids)._raw_delete("default")
            ScoreSheet.objects.filter(cycle_id__in=ids)._raw_delete("default")
            ScoringInput.objects.filter(cycle_id__in=ids)._raw_delete("default")
            ImportRecord.objects.filter(cycle_id__in=ids)._raw_delete("default")
            batches = ImportBatch.objects.filter(cycle_id__in=ids)
            ImportStagingRow.objects.filter(batch__in=batches)._raw_delete("default")
            batches._raw_delete("default")
            ReportSection.objects.filter(report__cycle_id__in=ids)._raw_delete("default")
            Report.objects.filter(cycle_id__in=ids)._raw_delete("default")
            AssessorAssignment.objects.filter(cycle_id__in=ids)._raw_delete("default")
            cycles.delete()
        generated = Organisation.objects.filter(generated_bodies_q())
        OrganisationName.objects.filter(organisation__in=generated)._raw_delete("default")
        Organisation.objects.filter(generated_bodies_q()).update(parent=None)
        generated._raw_delete("default")
    if started is not None:
        _say(out, started, "the previous generated world removed")


def _bins(n: int) -> list[str]:
    from demo.seed import demo_bin

    out, serial = [], SERIAL_FROM
    for _ in range(n):
        value = demo_bin(serial)
        serial = int(value[6:11]) + 1
        out.append(value)
    if out and out[-1] >= BIN_TO:
        raise ValueError("too many generated bodies for the BIN range")
    return out


def _make_bodies(params: Params, rng: random.Random) -> list:
    """Generated bodies up to ``params.bodies`` evaluated ones; returns every evaluated body of
    the world (demo and generated), ordered by id, with ``parent`` loaded."""
    from assessments.kernel.bulk import copy_insert
    from assessments.models import Organisation, Region

    existing = Organisation.objects.filter(is_evaluated=True, kind__in=["central", "local"])
    wanted = max(0, params.bodies - existing.count())
    n_central = round(wanted * CENTRAL_SHARE)
    n_local = wanted - n_central
    regions = list(Region.objects.order_by("code"))
    akimats = {o.region_id: o for o in Organisation.objects.filter(
        kind="local", level__in=["oblast", "capital", "republican_city"], parent=None)}
    # Every generated body's BIN, in order: central, their committees and territorial units,
    # then local bodies (the first pass creates the top levels, the second those under them).
    bins = iter(_bins(n_central * 3 + n_local))
    top: list[Organisation] = []
    for i in range(n_central):
        ctype = CENTRAL_TYPES[i % 3]
        ru, kk = CENTRAL_NAMES[ctype]
        top.append(Organisation(kind="central", central_type=ctype, name_ru=ru.format(n=i + 1),
                                name_kk=kk.format(n=i + 1), bin=next(bins), is_evaluated=True))
    local_plan: list[tuple[Region, str, int]] = []
    per_region: dict[int, int] = {}
    for i in range(n_local):
        region = regions[i % len(regions)]
        k = per_region.get(region.pk, 0)
        per_region[region.pk] = k + 1
        level = ("city_district" if region.kind != "oblast"
                 else OBLAST_PATTERN[k % len(OBLAST_PATTERN)])
        local_plan.append((region, level, k + 1))
    for region, level, k in local_plan:
        if level in UNDER_DISTRICT:
            continue
        ru, kk = LOCAL_NAMES[level]
        top.append(Organisation(
            kind="local", level=level, region=region, parent=akimats.get(region.pk),
            name_ru=ru.format(n=k, region=region.name_ru),
            name_kk=kk.format(n=k, region_kk=region.name_kk), bin=next(bins),
            is_evaluated=True))
    copy_insert(Organisation, top)
    made = {o.bin: o for o in Organisation.objects.filter(generated_bodies_q())}
    districts: dict[int, list[Organisation]] = {}
    for o in made.values():
        if o.level == "district":
            districts.setdefault(o.region_id, []).append(o)
    for group in districts.values():
        group.sort(key=lambda o: o.bin)
    lower: list[Organisation] = []
    for region, level, k in local_plan:
        if level not in UNDER_DISTRICT:
            continue
        group = districts[region.pk]
        ru, kk = LOCAL_NAMES[level]
        lower.append(Organisation(
            kind="local", level=level, region=region, parent=group[k % len(group)],
            name_ru=ru.format(n=k, region=region.name_ru),
            name_kk=kk.format(n=k, region_kk=region.name_kk), bin=next(bins),
            is_evaluated=True))
    centrals = [o for o in made.values() if o.kind == "central"]
    centrals.sort(key=lambda o: o.bin)
    committees = []
    for i, parent in enumerate(centrals):
        ru, kk = CENTRAL_NAMES["committee"]
        committees.append(Organisation(
            kind="central", central_type="committee", parent=parent, bin=next(bins),
            name_ru=ru.format(n=i + 1, parent=parent.name_ru),
            name_kk=kk.format(n=i + 1, parent=parent.name_kk), is_evaluated=False))
    copy_insert(Organisation, lower + committees)
    by_parent = {o.parent_id: o for o in Organisation.objects.filter(
        generated_bodies_q(), central_type="committee")}
    territorial = []
    for i, parent in enumerate(centrals):
        region = regions[i % len(regions)]
        ru, kk = CENTRAL_NAMES["territorial"]
        territorial.append(Organisation(
            kind="central", central_type="territorial", parent=by_parent[parent.pk],
            region=region, bin=next(bins), is_evaluated=False,
            name_ru=ru.format(n=i + 1, region=region.name_ru),
            name_kk=kk.format(n=i + 1, region_kk=region.name_kk)))
    copy_insert(Organisation, territorial)
    return list(Organisation.objects.filter(is_evaluated=True, kind__in=["central", "local"])
                .select_related("parent__parent__parent").order_by("pk"))


def _make_services(params: Params) -> list:
    from assessments.kernel.bulk import copy_insert
    from assessments.models import PublicService

    codes = [f"{SERVICE_PREFIX}{i:07d}" for i in range(1, params.services + 1)]
    have = set(PublicService.objects.filter(code__in=codes).values_list("code", flat=True))
    copy_insert(PublicService, [
        PublicService(code=code, name_ru=f"Государственная услуга № {code}",
                      name_kk=f"№ {code} мемлекеттік қызмет", monitored=i % 10 != 0,
                      electronic=i % 3 == 0)
        for i, code in enumerate(codes) if code not in have])
    return list(PublicService.objects.filter(code__in=codes).order_by("code"))


def _make_cycle(params: Params, year: int, *, current: bool, bodies: list, rng: random.Random,
                out, started: float):
    from assessments.kernel.bulk import copy_insert
    from assessments.kernel.jobs import job_create
    from assessments.models import Cycle, ScoringInput
    from assessments.registry.services.cycles import cycle_create
    from assessments.scores.services.scoring_inputs import _plain
    from assessments.scores.services.sheets import RECOMPUTE_KIND, cycle_recompute
    from demo.scores import SOURCES, demo_case

    cycle = cycle_create(actor=None, code=f"{CYCLE_PREFIX}{year}", year=year, edition="2023",
                         title=f"Национальная оценка за {year} год (формируется)",
                         reason="national data")
    if current:
        Cycle.objects.filter(is_current=True).update(is_current=False)
        Cycle.objects.filter(pk=cycle.pk).update(is_current=True)
        cycle.is_current = True
    now = _cycle_now(cycle)
    inputs = []
    for body in bodies:
        case = demo_case(body.kind, body.special, f"{params.seed}:{year}:{body.bin}")
        sources = {key: SOURCES[key] for key in ("services", "openness", "complaints",
                                                 "penalties") if key in case}
        inputs.append(ScoringInput(cycle=cycle, body=body, version=1, case=_plain(case, ""),
                                   sources=sources, reason="Национальные данные (сгенерировано)",
                                   created_at=now))
    copy_insert(ScoringInput, inputs)
    _say(out, started, f"{cycle.code}: {len(inputs)} scoring inputs")
    job = job_create(kind=RECOMPUTE_KIND, label=f"Пересчёт оценок цикла «{cycle.code}»",
                     subject=cycle)
    summary = cycle_recompute(cycle=cycle, job_id=job.pk)
    _say(out, started, f"{cycle.code}: recompute — {summary['sheets_created']} sheets, "
                       f"{summary['peer_average_versions']} peer-average versions, "
                       f"{len(summary['failed'])} failed")
    stages = _stages(bodies, current, rng)
    n = _make_reports(cycle, bodies, stages, now)
    _say(out, started, f"{cycle.code}: {n} reports")
    if params.conclusions:
        n = _make_conclusions(cycle, bodies, stages, now)
        _say(out, started, f"{cycle.code}: {n} conclusions")
    return cycle


def _cycle_now(cycle) -> datetime:
    """When the generated rows of a cycle were made: now for the current cycle, the end of the
    older cycle's schedule (June of the year after its period) for an older one."""
    from assessments.kernel import clock

    if cycle.is_current:
        return clock.now()
    from django.utils import timezone

    return timezone.make_aware(datetime(cycle.year + 1, 6, 30, 12, 0))


def _stages(bodies, current: bool, rng: random.Random) -> dict[tuple[int, str], tuple]:
    """Per body × direction: (report state, conclusion state or None)."""
    from assessments.models import Direction

    weights = [w for w, *_ in CURRENT_STAGES]
    out = {}
    for body in bodies:
        for direction in Direction.values:
            if direction == "automation" and body.kind != "central":
                continue
            if current:
                _w, report, conclusion = rng.choices(CURRENT_STAGES, weights)[0]
            else:
                report, conclusion = "accepted", "final"
            out[(body.pk, direction)] = (report, conclusion)
    return out


def _make_reports(cycle, bodies, stages, now) -> int:
    from assessments.kernel.bulk import copy_insert
    from assessments.models import Report
    from assessments.registry.services.cycles import milestone_due

    deadline = milestone_due(cycle, "submission")
    rows = []
    for (body_id, direction), (state, _c) in stages.items():
        submitted = state not in ("draft", "not_submitted")
        rows.append(Report(
            cycle=cycle, body_id=body_id, direction=direction, state=state, deadline=deadline,
            version=1 if submitted or state == "not_submitted" else 0,
            submitted_at=now - timedelta(days=60) if submitted else None,
            submitted_on=(now - timedelta(days=60)).date() if submitted else None,
            first_submitted_on=(now - timedelta(days=60)).date() if submitted else None,
            returned_times=1 if state == "returned" else 0,
            accepted_at=now - timedelta(days=40) if state == "accepted" else None,
            closed_at=now - timedelta(days=50) if state == "not_submitted" else None,
            closed_reason="Не представлен в срок (сгенерировано)"
            if state == "not_submitted" else ""))
    return copy_insert(Report, rows)


def _make_conclusions(cycle, bodies, stages, now) -> int:
    from assessments.conclusions.services.common import (
        AUTOMATION_CODES,
        CRITERIA,
        SHEET_DIRECTION,
        annex_for,
    )
    from assessments.kernel import calendar
    from assessments.kernel.bulk import copy_insert
    from assessments.kernel.evaluators import RuleTable, chain, reference_day
    from assessments.models import Conclusion, ScoreSheet

    rules = RuleTable.load(reference_day(cycle))
    sheets = {(s.body_id, s.direction): s for s in ScoreSheet.objects.filter(
        cycle=cycle, is_current=True).only("id", "body_id", "direction", "values")}
    issued_on = now - timedelta(days=3)
    deadline = calendar.add_working_days(issued_on.date(), 5)
    rows = []
    finals: dict[int, set[str]] = {}
    for body in bodies:
        for direction in ("services", "automation", "openness", "complaints"):
            report, state = stages.get((body.pk, direction), (None, None))
            if state is None:
                continue
            sheet = sheets.get((body.pk, SHEET_DIRECTION[direction]))
            evaluator = rules.evaluator_id(chain(body), direction)
            if sheet is None or not sheet.values or evaluator is None:
                continue
            values = ({c: sheet.values[c] for c in AUTOMATION_CODES if c in sheet.values}
                      if direction == "automation" else dict(sheet.values))
            annex = annex_for(direction, body)
            rows.append(_conclusion(cycle, body, direction, annex, evaluator, sheet, values,
                                    state, now, issued_on, deadline, CRITERIA))
            if state == "final" and direction != "automation":
                finals.setdefault(body.pk, set()).add(direction)
        if finals.get(body.pk) == {"services", "openness", "complaints"}:
            overall = sheets.get((body.pk, "overall"))
            evaluator = rules.evaluator_id(chain(body), "services")
            if overall is not None and overall.values and evaluator is not None:
                values = {d: sheets[(body.pk, d)].values.get("final")
                          for d in ("services", "openness", "complaints")}
                values.update(overall=overall.values["overall"], band=overall.values["band"])
                rows.append(_conclusion(cycle, body, "block", 15, evaluator, None, values,
                                        "final", now, issued_on, None, CRITERIA))
    return copy_insert(Conclusion, rows)


def _conclusion(cycle, body, direction, annex, evaluator_id, sheet, values, state, now,
                issued_on, deadline, criteria):
    from assessments.models import Conclusion

    delivered = state in ("issued", "under_appeal", "final")
    window = annex in (3, 4, 8, 12)
    return Conclusion(
        cycle=cycle, body=body, direction=direction, version=1, annex=annex,
        evaluator_id=evaluator_id, state=state, score_sheet=sheet, values=values,
        analysis={code: "Анализ по критерию (сгенерировано)" for code in criteria[annex]},
        recommendations="Выводы и рекомендации (сгенерировано)",
        received_at=issued_on if delivered else None,
        objection_deadline=deadline if delivered and window else None,
        finalised_at=now if state == "final" else None,
        window_outcome=("objection" if state == "under_appeal" else
                        "silent" if state == "final" and window else ""),
        created_at=now - timedelta(days=20), updated_at=now)


def _make_monitoring(params: Params, cycle, bodies, services, rng: random.Random) -> int:
    """``monitoring_rows`` applied "Мониторинг" rows of the current cycle, in one batch: each
    body's services (a few dozen of the connected ones) day by day through the year."""
    from django.db import connection

    from assessments.kernel.bulk import copy_insert
    from assessments.models import ImportBatch, ImportRecord, Organisation, User

    monitored = [s for s in services if s.monitored] or services
    agency = Organisation.objects.filter(evaluator_role="agency").first()
    now = _cycle_now(cycle)
    digest = hashlib.sha256(params.mark().encode()).hexdigest()
    n = params.monitoring_rows
    copy_insert(ImportBatch, [ImportBatch(
        kind="monitoring", cycle=cycle, evaluator=agency, file=f"imports/monitoring/{digest}.csv",
        original_name="monitoring-generated.csv", file_format="csv", size=0, sha256=digest,
        state="applied", created_by=User.objects.filter(username="admin").first(),
        rows_total=n, rows_valid=n, rows_created=n, created_at=now,
        applied_at=now, validated_at=now, confirmed_at=now,
        message="Национальные данные (сгенерировано)")])
    batch = ImportBatch.objects.get(cycle=cycle, sha256=digest)
    days = [date(cycle.year, 1, 1) + timedelta(days=d) for d in range(365)]
    per_body = max(1, -(-n // len(bodies)))
    width = max(1, min(len(monitored), -(-per_body // len(days))))

    def rows():
        made = 0
        for b in bodies:
            chosen = rng.sample(monitored, width)
            k = 0
            for day in days:
                for s in chosen:
                    if made >= n or k >= per_body:
                        break
                    rendered = rng.randint(20, 400)
                    late = rng.randint(0, 3) if rng.random() < 0.2 else 0
                    refusals = 1 if rng.random() < 0.03 else 0
                    yield (b, s, day, rendered, late, refusals)
                    made += 1
                    k += 1
                if made >= n or k >= per_body:
                    break
            if made >= n:
                return

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(
            "COPY assessments_importrecord (cycle_id, kind, row_key, body_id, service_id, day, "
            "data, batch_id) FROM STDIN"
        ) as copy:
            block = []
            for b, s, day, rendered, late, refusals in rows():
                iso = day.isoformat()
                block.append(
                    f"{cycle.pk}\tmonitoring\t{b.bin}|{s.code}|{iso}\t{b.pk}\t{s.pk}\t{iso}\t"
                    f'{{"rendered":{rendered},"late":{late},"unjustified_refusals":{refusals},'
                    f'"incomplete_package":0,"extra_documents":0}}\t{batch.pk}\n')
                if len(block) >= 5000:
                    copy.write("".join(block))
                    block.clear()
            copy.write("".join(block))
    else:
        copy_insert(ImportRecord, [
            ImportRecord(cycle=cycle, kind="monitoring", row_key=f"{b.bin}|{s.code}|{day}",
                         body=b, service=s, day=day, batch=batch,
                         data={"rendered": rendered, "late": late,
                               "unjustified_refusals": refusals, "incomplete_package": 0,
                               "extra_documents": 0})
            for b, s, day, rendered, late, refusals in rows()])
    return ImportRecord.objects.filter(cycle=cycle, kind="monitoring").count()
