"""Assembling a body's scoring input from accepted reports, imports and the assessors' openness
scores (p.31–104), with the source of every number.

    scoring_values(cycle=, body=) -> Assembled(values, sources, notes)
    scoring_input_assemble(cycle=, body=, actor=) -> ScoringInput | None
    assembly_failure(cycle=, body=) -> BackgroundJob | None   (the engine's refusal, if any)

Source precedence for the violations of a service (p.37, p.40): inspection results first; else,
for a service connected to "Мониторинг", its records — less those dated within an information-
system failure confirmed by the informatisation authority; else the body's own report. The
body's internal-control findings are never a source (p.8): report rows marked so are left out.
Every service with inspection or "Мониторинг" records counts, whether or not the body listed it
in its services table (leaving a service out cannot drop its violations); one with inspections
alone has no rendered count: its violations count over what the other sources rendered, and a
note names it.
Unavailability hours (p.53): incidents the body did not answer count as confirmed; disputed
ones do not count. A direction is assembled only from an accepted report (automation too, for a
central body's services) — or from what the system holds when the report was closed as not
submitted (p.18): the imports, the assessors' scores, and the numbers an assessor entered with
their source (``EnteredInput``). A number that only the report would give and no source holds is
never a silent zero: it is listed in ``Assembled.missing`` (the scoring-input page asks for it)
and its direction waits in ``draft``. The same holds for a section missing from an accepted
report.

Penalties (p.17–20): ``penalties.<direction>`` holds the facts that count for the direction —
the untrue and incomplete facts of the body's signed reconciliation act and the incompleteness
facts recorded at submission (elements missing, a report closed as not submitted); an act's
incomplete fact naming an element the submission already counted is not counted twice. The
engine applies 0.2 / 2 points and the cap of 5.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Q
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.kernel.people import assigned_assessors
from assessments.models import (
    BackgroundJob,
    Cycle,
    Direction,
    ImportKind,
    ImportRecord,
    OpennessAssessment,
    OpennessScore,
    Organisation,
    PublicService,
    Report,
)
from assessments.scoring import ScoringError, load_edition
from assessments.submission.report_schema import COLUMNS
from assessments.submission.services.reports import body_kind

VIOLATIONS = ("late", "unjustified_refusals", "incomplete_package", "extra_documents")
AUTOMATION_KEYS = (
    "kinds_total", "partially_automated", "fully_automated", "electronic_volume", "total_volume",
    "automated_paper_volume", "automated_total_volume", "mobile_available",
    "proactive_services", "digital_documents",
)
COMPLAINT_KEYS = ("handled", "handled_late", "court_upheld", "received", "redirected_late",
                  "disciplinary_actions", "excused")
SPECIAL_CODES = ("ministry_of_defence", "ministry_of_foreign_affairs", "national_bank")


@dataclass
class Assembled:
    values: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    missing: list = field(default_factory=list)  # paths no source holds (to be entered)
    entered: dict = field(default_factory=dict)  # path -> EnteredInput

    def put(self, path: str, value, kind: str, ref, label: str) -> None:
        self.values[path] = value
        self.sources[path] = {"kind": kind, "ref": ref, "label": label}

    def need(self, path: str) -> None:
        """A number only the body's report would give, which it did not: the assessor's entry
        if there is one, else listed as missing (never a silent zero)."""
        item = self.entered.get(path)
        if item is None:
            self.missing.append(path)
            return
        when = clock_local(item.entered_at)
        self.put(path, item.value, "assessor", f"entered:{item.pk}",
                 f"{item.source} ({item.entered_by}, {when:%d.%m.%Y})")


def clock_local(moment):
    from assessments.kernel import clock

    return moment.astimezone(clock.ZONE)


def _accepted(cycle: Cycle, body: Organisation) -> dict[str, Report]:
    reports = Report.objects.filter(cycle=cycle, body=body, state=Report.State.ACCEPTED)
    return {r.direction: r for r in reports.prefetch_related("sections")}


def _closed(cycle: Cycle, body: Organisation) -> set[str]:
    """Directions whose report was closed as not submitted (p.18)."""
    return set(Report.objects.filter(cycle=cycle, body=body, state=Report.State.NOT_SUBMITTED)
               .values_list("direction", flat=True))


def _section(report: Report, key: str) -> dict:
    for row in report.sections.all():
        if row.key == key:
            return row.data or {}
    return {}


def _report_ref(report: Report, key: str) -> str:
    return f"report:{report.pk}#{key}"


def _import_ref(batches) -> str:
    """The source reference of imported numbers: ``import:<batch id>,…`` (empty: none)."""
    ids = sorted({b for b in batches if b is not None})
    return f"import:{','.join(str(b) for b in ids)}" if ids else ""


def _mixed_ref(report_ref: str, batches) -> str:
    """A total made of the body's report and imports: ``report:…#…; import:…``."""
    imports = _import_ref(batches)
    return f"{report_ref}; {imports}" if imports else report_ref


def _records(cycle, kind, **filters):
    return ImportRecord.objects.filter(cycle=cycle, kind=kind, **filters)


# --- Services (p.31–53) --------------------------------------------------------------------


def _failure_windows(cycle: Cycle) -> list[tuple]:
    return list(_records(cycle, ImportKind.IS_FAILURES).values_list("service_id", "day", "day_to",
                                                                     "batch_id"))


def _in_failure(windows, service_id, day) -> bool:
    return any(day is not None and start <= day <= end and sid in (None, service_id)
               for sid, start, end, _b in windows)


def _services(out: Assembled, cycle: Cycle, body: Organisation, reports: dict, kind: str,
              closed: set) -> None:
    report = reports.get(Direction.SERVICES)
    if report is None and Direction.SERVICES not in closed:
        return
    if kind == "central" and Direction.AUTOMATION not in reports \
            and Direction.AUTOMATION not in closed:
        out.notes.append(_("Направление «госуслуги» ждёт принятия отчёта по автоматизации."))
        return
    rows = (_section(report, "services").get("rows") or []) if report is not None else []
    services = PublicService.objects.in_bulk([r.get("service") for r in rows], field_name="code")
    inspected: dict[int, dict] = defaultdict(lambda: dict.fromkeys(VIOLATIONS, 0))
    inspection_batches: dict[int, set] = defaultdict(set)
    for record in _records(cycle, ImportKind.INSPECTIONS, body=body):
        for name in VIOLATIONS:
            inspected[record.service_id][name] += int(record.data.get(name, 0))
        inspection_batches[record.service_id].add(record.batch_id)
    windows = _failure_windows(cycle)
    monitored: dict[int, dict] = defaultdict(lambda: dict.fromkeys(("rendered",) + VIOLATIONS, 0))
    monitoring_batches: dict[int, set] = defaultdict(set)
    excluded_days = 0
    for service_id, day, data, batch_id in _records(
        cycle, ImportKind.MONITORING, body=body
    ).values_list("service_id", "day", "data", "batch_id").iterator(chunk_size=5000):
        totals = monitored[service_id]
        totals["rendered"] += int(data.get("rendered", 0))
        monitoring_batches[service_id].add(batch_id)
        if windows and _in_failure(windows, service_id, day):
            excluded_days += 1
            continue
        for name in VIOLATIONS:
            totals[name] += int(data.get(name, 0))
    # Every service with a violation on record counts, listed by the body or not (p.37, p.40):
    # the inspections and "Мониторинг" come before the body's report, so leaving a service out
    # of the report cannot drop them.
    listed: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        service = services.get(row.get("service"))
        if service is not None:
            listed[service.pk].append(row)
    by_pk = {s.pk: s for s in services.values()}
    omitted_ids = (set(inspected) | set(monitoring_batches)) - set(listed) - {None}
    by_pk.update(PublicService.objects.in_bulk(omitted_ids))
    totals = dict.fromkeys(("rendered", "justified_complaints") + VIOLATIONS, 0)
    basis_of: dict[str, list[str]] = defaultdict(list)
    omitted: list[str] = []
    unknown_rendered: list[str] = []
    zero = dict.fromkeys(VIOLATIONS, 0)
    for pk in sorted(set(listed) | omitted_ids, key=lambda k: by_pk[k].code):
        service, service_rows = by_pk[pk], listed.get(pk, [])
        code = service.code
        if not service_rows:
            # Not in the body's report: only the inspections and "Мониторинг" speak for it.
            # Its records count even where the register does not mark it connected (the
            # records show it is). With inspections alone its rendered count is unknown: the
            # violations still count (the body's omission cannot erase them) over the services
            # rendered the other sources give, and a note names the service.
            omitted.append(code)
            suffix = " (услуга не указана в отчёте органа)"
            if pk in monitoring_batches:
                totals["rendered"] += monitored[pk]["rendered"]
                basis_of["rendered"].append(f"{code}: Мониторинг{suffix}")
            else:
                unknown_rendered.append(code)
                basis_of["rendered"].append(f"{code}: нет данных{suffix}")
            if pk in inspected:
                source, counts = "проверки", inspected[pk]
            else:
                source, counts = "Мониторинг", monitored[pk]
            for name in VIOLATIONS:
                totals[name] += counts[name]
                basis_of[name].append(f"{code}: {source}{suffix}")
            continue
        own_rows = [r for r in service_rows if r.get("basis") != "internal_control"]
        if service.monitored and pk in monitoring_batches:
            totals["rendered"] += monitored[pk]["rendered"]
            basis_of["rendered"].append(f"{code}: Мониторинг")
        else:
            totals["rendered"] += sum(int(r.get("rendered") or 0) for r in service_rows)
            basis_of["rendered"].append(f"{code}: отчёт органа")
        totals["justified_complaints"] += sum(int(r.get("justified_complaints") or 0)
                                              for r in service_rows)
        if pk in inspected:
            source, counts = "проверки", inspected[pk]
        elif service.monitored:
            source, counts = "Мониторинг", monitored.get(pk) or zero
        elif own_rows:
            source, counts = "отчёт органа", {
                n: sum(int(r.get(n) or 0) for r in own_rows) for n in VIOLATIONS}
        else:
            source, counts = "внутренний контроль — не учитывается (п.8)", zero
        for name in VIOLATIONS:
            totals[name] += counts[name]
            basis_of[name].append(f"{code}: {source}")
    ref = _report_ref(report, "services") if report is not None else ""
    batches = sorted({b for s in monitoring_batches.values() for b in s}
                     | {b for s in inspection_batches.values() for b in s})
    rendered_batches = {b for s in monitoring_batches.values() for b in s}
    reported = bool(rows)  # the body's table: without it only the imports speak
    if reported or rendered_batches:
        out.put("services.rendered", totals["rendered"],
                "import" if rendered_batches else "report",
                _mixed_ref(ref, rendered_batches) if ref else _import_ref(rendered_batches),
                "; ".join(basis_of["rendered"]))
    else:
        out.need("services.rendered")
    if reported:
        out.put("services.justified_complaints", totals["justified_complaints"], "report", ref,
                _("Обоснованные жалобы по данным органа (п.33)"))
    else:
        out.need("services.justified_complaints")
    for name in VIOLATIONS:
        if reported or batches:
            out.put(f"services.{name}", totals[name], "import" if batches else "report",
                    _mixed_ref(ref, batches) if ref else _import_ref(batches),
                    "; ".join(basis_of[name]))
        else:
            out.need(f"services.{name}")
    if omitted:
        out.notes.append(_("Услуги, не указанные в отчёте органа, учтены по проверкам и "
                           "«Мониторингу» (п.37, п.40): %(codes)s") % {"codes": ", ".join(omitted)})
    if unknown_rendered:
        out.notes.append(_("Нет числа оказанных услуг (только проверки, услуга не указана в "
                           "отчёте органа): %(codes)s") % {"codes": ", ".join(unknown_rendered)})
    if excluded_days:
        out.notes.append(_("Исключено записей «Мониторинга» в периоды подтверждённых сбоев: "
                           "%(n)s") % {"n": excluded_days})
    levels = list(_records(cycle, ImportKind.SATISFACTION, body=body)
                  .order_by("service__code").values_list("data", "batch_id"))
    out.put("services.satisfaction_levels", [d["level"] for d, _b in levels], "import",
            _import_ref(b for _d, b in levels), _("Общественный мониторинг (п.31, прил. 6)"))
    if kind == "central":
        auto = reports.get(Direction.AUTOMATION)
        fields = (_section(auto, "automation").get("fields") or {}) if auto is not None else {}
        for name in AUTOMATION_KEYS:
            if not fields:
                out.need(f"services.automation.{name}")
                continue
            out.put(f"services.automation.{name}", int(fields.get(name) or 0), "report",
                    _report_ref(auto, "automation"),
                    _("Отчёт по автоматизации, проверенный МЦРИАП (прил. 5)"))
        hours = Decimal(0)
        incident_batches = set()
        for data, batch_id in _records(cycle, ImportKind.EGOV_INCIDENTS, body=body).values_list(
            "data", "batch_id"
        ):
            if data.get("confirmed"):
                hours += Decimal(data["hours"])
                incident_batches.add(batch_id)
        out.put("services.automation.unavailability_hours", format(hours.normalize(), "f")
                if hours else "0", "import", _import_ref(incident_batches),
                _("Инциденты АО «НИТ»: без ответа органа — подтверждённые (п.53)"))


# --- Openness (annex 10) -------------------------------------------------------------------


def peer_averages(cycle: Cycle, criterion: str, indicators, *, central_only: bool,
                  exclude_body: int) -> dict[str, dict[str, str]]:
    """The average of the other bodies' scores on each indicator and column (p.67, table 6)."""
    qs = OpennessScore.objects.filter(cycle=cycle, criterion=criterion,
                                      indicator__in=list(indicators)).exclude(body_id=exclude_body)
    if central_only:
        qs = qs.filter(body__kind=Organisation.Kind.CENTRAL)
    result: dict[str, dict[str, str]] = {i: {c: "0" for c in COLUMNS} for i in indicators}
    for row in qs.values("indicator", "column").annotate(avg=Avg("value")):
        value = Decimal(str(row["avg"])).quantize(Decimal("0.01"))
        result[row["indicator"]][row["column"]] = format(value, "f")
    return result


def _openness(out: Assembled, cycle: Cycle, body: Organisation, reports: dict, kind: str,
              closed: set) -> None:
    report = reports.get(Direction.OPENNESS)
    if report is None and Direction.OPENNESS not in closed:
        return
    edition = load_edition(cycle.edition)
    criteria = edition.criteria[kind]
    assessment = OpennessAssessment.objects.filter(cycle=cycle, body=body).first()
    flags = (assessment.flags if assessment else {}) or {}
    not_assessed = list((assessment.not_assessed if assessment else []) or [])
    for score in OpennessScore.objects.filter(cycle=cycle, body=body).select_related("scored_by"):
        table = criteria.get(score.criterion)
        if table is None or score.indicator not in table.scorable:
            continue
        out.put(f"openness.{score.criterion}.scores.{score.indicator}.{score.column}",
                format(score.value, "f"), "assessor", score.pk,
                f"{score.scored_by} {score.scored_at:%d.%m.%Y %H:%M}")
    for criterion, items in flags.items():
        if items:
            out.put(f"openness.{criterion}.flags", sorted(items), "assessor",
                    assessment.pk, _("Особые правила, отмеченные экспертом"))
    special = body.special if body.special in SPECIAL_CODES else ""
    if not_assessed or special == "national_bank":
        peer = set(not_assessed)
        if special == "national_bank":
            peer |= set(criteria["open_budget"].special_peer.get("national_bank", ((), ""))[0])
        if not_assessed:
            out.put("openness.open_budget.not_assessed", sorted(not_assessed), "assessor",
                    assessment.pk, _("Бюджет секретный или ДСП (п.67)"))
        out.put("openness.open_budget.peer_average",
                peer_averages(cycle, "open_budget", sorted(peer), central_only=False,
                              exclude_body=body.pk),
                "peer_average", cycle.pk, _("Средний балл всех органов (п.67)"))
    if special in ("ministry_of_defence", "ministry_of_foreign_affairs"):
        indicators = criteria["open_dialogue"].special_peer.get(special, ((), ""))[0]
        out.put("openness.open_dialogue.peer_average",
                peer_averages(cycle, "open_dialogue", sorted(indicators), central_only=True,
                              exclude_body=body.pk),
                "peer_average", cycle.pk, _("Средний балл центральных государственных органов "
                                            "(табл. 6, прим. **)"))
    dialogue = (_section(report, "t5_open_dialogue").get("fields") or {}) if report else {}
    ref = _report_ref(report, "t5_open_dialogue") if report else ""
    for name in ("blog_posts", "rated_answers", "disliked_answers"):
        if not dialogue:  # table 5 missing or no report: never a silent zero
            out.need(f"openness.open_dialogue.{name}")
            continue
        out.put(f"openness.open_dialogue.{name}", int(dialogue.get(name) or 0), "report", ref,
                _("Отчёт органа, таблица 5"))
    media = (_section(report, "t5_1_media").get("fields") or {}) if report else {}
    ref = _report_ref(report, "t5_1_media") if report else ""
    if media:
        out.put("openness.media.events_high_publicity",
                {c: int(media.get(f"events_high_publicity_{c}") or 0) for c in COLUMNS},
                "report", ref, _("Отчёт органа, таблица 5-1"))
    else:
        for c in COLUMNS:
            out.need(f"openness.media.events_high_publicity.{c}")
    for name in ("events_total", "requests_received", "requests_answered",
                 "requests_answered_late"):
        if not media:
            out.need(f"openness.media.{name}")
            continue
        out.put(f"openness.media.{name}", int(media.get(name) or 0), "report", ref,
                _("Отчёт органа, таблица 5-1"))
    for import_kind, name in ((ImportKind.MEDIA_SURVEY, "media_satisfied_percent"),
                              (ImportKind.POPULATION_SURVEY, "population_satisfied_percent")):
        record = _records(cycle, import_kind, body=body).first()
        if record is not None:
            out.put(f"openness.media.{name}", record.data[name], "import",
                    _import_ref([record.batch_id]),
                    _("Опрос (импорт)"))
        else:
            out.notes.append(_("Нет данных опроса: %(n)s") % {"n": name})
    if kind == "central" and assessment and assessment.subordinate_penalties:
        penalties = {key: {c: bool(v.get(c)) for c in COLUMNS}
                     for key, v in assessment.subordinate_penalties.items()
                     if any(v.get(c) for c in COLUMNS)}
        if penalties:
            out.put("openness.subordinates.penalties", penalties, "assessor", assessment.pk,
                    _("Штрафы подведомственных организаций (табл. 9–11)"))


# --- Complaints (p.92–104) -----------------------------------------------------------------


def _complaints(out: Assembled, reports: dict, closed: set) -> None:
    report = reports.get(Direction.COMPLAINTS)
    if report is None and Direction.COMPLAINTS not in closed:
        return
    fields = (_section(report, "complaints").get("fields") or {}) if report else {}
    ref = _report_ref(report, "complaints") if report else ""
    for name in COMPLAINT_KEYS:
        if not fields:
            out.need(f"complaints.{name}")
            continue
        out.put(f"complaints.{name}", int(fields.get(name) or 0), "report", ref,
                _("ИС «Единый учёт обращений», форма 1-ОЛ (п.9)"))


# --- Penalties (p.17–20) -------------------------------------------------------------------

PENALTY_DIRECTIONS = ("services", "openness", "complaints")


def _same_element(finding_section: str, fact) -> bool:
    text = (finding_section or "").strip().casefold()
    return bool(text) and text in (fact.element.casefold(), fact.title.strip().casefold())


def penalty_facts(*, cycle: Cycle, body: Organisation) -> dict[str, dict]:
    """Per direction: ``unreliable`` and ``incomplete`` (the counts that enter
    ``penalties.<direction>``), the act's counts, the submission's counted facts and the label
    of their source. The act's are those of the body's signed reconciliation act on the
    direction (kept on the re-verification when the act is closed — signed by both sides, or
    closed as not signed by the body past its term; a later act replaces them once closed);
    a submission fact naming the same element as one of the act's incomplete facts counts once."""
    from assessments.models import ReconciliationAct, Reverification
    from assessments.reverification.services import findings_for
    from assessments.submission.services.incompleteness import incomplete_counts

    acts = defaultdict(lambda: [0, 0])
    for direction, unreliable, incomplete in Reverification.objects.filter(
            cycle=cycle, body=body).values_list("direction", "unreliable_facts",
                                                "incomplete_facts"):
        acts[direction][0] += unreliable
        acts[direction][1] += incomplete
    submitted = incomplete_counts(cycle=cycle, body=body)
    result = {}
    for direction in PENALTY_DIRECTIONS:
        unreliable, act_incomplete = acts[direction]
        facts = submitted[direction]
        if facts and act_incomplete:
            sections = [f.report_section for f in findings_for(
                cycle=cycle, body=body, direction=direction) if f.kind == "incomplete"]
            facts = [f for f in facts if not any(_same_element(s, f) for s in sections)]
        labels, refs = [], []
        if unreliable or act_incomplete:
            act = (ReconciliationAct.objects.filter(
                Q(signed_at__isnull=False) | Q(closed_unsigned_at__isnull=False),
                reverification__cycle=cycle, reverification__body=body,
                reverification__direction=direction)
                .order_by("-version").values_list("pk", "version", "closed_unsigned_at").first())
            if act is None:
                name = _("акт сверки")
            elif act[2] is not None:
                name = _("Акт сверки, версия %(v)s (не подписан органом)") % {"v": act[1]}
            else:
                name = _("Акт сверки, версия %(v)s") % {"v": act[1]}
            refs.append(str(act[0]) if act else "")
            labels.append(_("%(act)s — недостоверных %(u)s, неполных %(i)s")
                          % {"act": name, "u": unreliable, "i": act_incomplete})
        if facts:
            labels.append(_("отчёт: нет элементов — %(items)s")
                          % {"items": "; ".join(f.title for f in facts)})
            refs.append("report:" + ",".join(sorted({str(f.report_id) for f in facts})))
        result[direction] = {
            "ref": "; ".join(r for r in refs if r),
            "unreliable": unreliable, "incomplete": act_incomplete + len(facts),
            "act": (unreliable, act_incomplete), "facts": facts,
            "label": _("Факты п.17–20: %(l)s") % {"l": ", ".join(labels)} if labels
            else _("Фактов недостоверной и неполной информации нет"),
        }
    return result


def _penalties(out: Assembled, cycle: Cycle, body: Organisation) -> None:
    """``penalties.<direction>`` for every direction once anything else is assembled (and for a
    direction with facts in any case)."""
    anything = bool(out.values)
    for direction, item in penalty_facts(cycle=cycle, body=body).items():
        if not anything and not (item["unreliable"] or item["incomplete"]):
            continue
        for name, key in (("unreliable_facts", "unreliable"), ("incomplete_facts", "incomplete")):
            out.put(f"penalties.{direction}.{name}", item[key], "finding", item["ref"],
                    item["label"])


def scoring_values(*, cycle: Cycle, body: Organisation) -> Assembled:
    from assessments.models import EnteredInput

    out = Assembled()
    out.entered = {e.path: e for e in EnteredInput.objects.filter(cycle=cycle, body=body)
                   .select_related("entered_by")}
    kind = body_kind(body)
    reports = _accepted(cycle, body)
    closed = _closed(cycle, body)
    _services(out, cycle, body, reports, kind, closed)
    _openness(out, cycle, body, reports, kind, closed)
    _complaints(out, reports, closed)
    _penalties(out, cycle, body)
    return out


def case_from_values(values: dict, *, body: Organisation, edition: str) -> dict:
    """The nested case (SCORING_IO.md) the dotted values describe (for checks and previews)."""
    special = [body.special] if body.special in SPECIAL_CODES else []
    case: dict = {"edition": edition, "body": {"kind": body_kind(body), "special": special}}
    for path, value in values.items():
        node = case
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return case


ASSEMBLY_JOB = "scoring_input_assembly"
_DIRECTION_ASSESSORS = {
    "services": (Direction.SERVICES, Direction.AUTOMATION),
    "openness": (Direction.OPENNESS,),
    "complaints": (Direction.COMPLAINTS,),
}


def _failures(cycle: Cycle, body: Organisation):
    from django.contrib.contenttypes.models import ContentType

    return BackgroundJob.objects.filter(
        kind=ASSEMBLY_JOB, content_type=ContentType.objects.get_for_model(Organisation),
        object_id=body.pk, result__cycle=cycle.pk)


def assembly_failure(*, cycle: Cycle, body: Organisation):
    """The body's outstanding assembly failure (a failed ``BackgroundJob`` whose ``result`` has
    the engine's ``path`` and ``message``), or None once an assembly has succeeded since."""
    return (_failures(cycle, body).filter(state=BackgroundJob.State.FAILED)
            .order_by("-created_at", "-id").first())


def _failure_record(cycle: Cycle, body: Organisation, error) -> None:
    """Keep the engine's refusal where the scoring-input page shows it and tell the body's
    assessors (once per distinct failure: a re-run failing the same way only touches it)."""
    from django.urls import reverse

    from assessments.kernel import clock
    from assessments.kernel.jobs import job_create
    from assessments.kernel.notifications import notify

    current = assembly_failure(cycle=cycle, body=body)
    if current is not None and current.result.get("path") == error.path \
            and current.result.get("message") == error.message:
        BackgroundJob.objects.filter(pk=current.pk).update(finished_at=clock.now())
        return
    if current is not None:
        BackgroundJob.objects.filter(pk=current.pk).update(
            state=BackgroundJob.State.DONE, message=_("Заменено новой ошибкой"))
    job = job_create(kind=ASSEMBLY_JOB, label=_("Сборка исходных данных оценки: %(b)s")
                     % {"b": body}, subject=body)
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=BackgroundJob.State.FAILED, error=str(error)[:5000], finished_at=clock.now(),
        result={"cycle": cycle.pk, "path": error.path, "message": error.message})
    directions = _DIRECTION_ASSESSORS.get(error.path.split(".", 1)[0])
    assessors = assigned_assessors(cycle_id=cycle.pk, body_id=body.pk,
                                   directions=directions or None)
    notify(assessors,
           _("Исходные данные оценки органа «%(b)s» не обновлены: данные противоречат друг "
             "другу (%(path)s). Подробности — на странице исходных данных.")
           % {"b": body, "path": error.path},
           reverse("scores:scoring_input_page", args=[cycle.code, body.pk]))


def penalties_store(*, cycle: Cycle, body: Organisation, actor, reason: str):
    """Store the body's ``penalties`` now (the act just signed, a fact recorded): the same
    counts the assembly gives, written alone (the rest of the input is left as it is)."""
    from assessments.scores.services.scoring_inputs import scoring_input_set

    with translation.override(settings.LANGUAGE_CODE):
        out = Assembled()
        out.values["_"] = True  # every direction, like a full assembly
        _penalties(out, cycle, body)
        del out.values["_"]
        return scoring_input_set(cycle=cycle, body=body, values=out.values,
                                 sources=out.sources, actor=actor, reason=reason)


def scoring_input_assemble(*, cycle: Cycle, body: Organisation, actor=None):
    """Store what the accepted data say as the body's scoring input (a new version only when
    something changed; the scoring-input service validates and schedules the recompute).

    When the engine refuses the assembled data (inspection violations above the services
    rendered, complaints with nothing rendered …) nothing is stored: the refusal is recorded
    (:func:`assembly_failure`, shown on the body's scoring-input page) and the assessors are
    notified; the next successful assembly clears it.

    The stored labels and notes are in the default language (Russian) whoever's request ran
    the assembly: with tasks in-process, a Kazakh page would otherwise store Kazakh labels."""
    with translation.override(settings.LANGUAGE_CODE):
        return _assemble(cycle=cycle, body=body, actor=actor)


def _assemble(*, cycle: Cycle, body: Organisation, actor=None):
    assembled = scoring_values(cycle=cycle, body=body)
    if not assembled.values:
        return None
    from assessments.scores.services.scoring_inputs import scoring_input_set

    try:
        result = scoring_input_set(
            cycle=cycle, body=body, values=assembled.values, sources=assembled.sources,
            actor=actor, reason=_("Сборка из принятых отчётов, импортов и оценок экспертов"),
        )
    except ScoringError as error:
        _failure_record(cycle, body, error)
        return None
    _failures(cycle, body).filter(state=BackgroundJob.State.FAILED).update(
        state=BackgroundJob.State.DONE, message=_("Исправлено: сборка прошла"))
    return result
