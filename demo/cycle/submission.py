"""Submission and scoring inputs of a demo cycle: the information systems' imports, every
body's reports (one returned once with comments), the openness assessor's scores, acceptance.
"""

from __future__ import annotations

import io

from demo.cycle.plan import (
    ASSESSOR_OF,
    CLOSURE_REASON,
    DAYS,
    ENTERED_SOURCE,
    FLOW,
    MISSING_TABLE,
    NOT_SUBMITTED,
    YEAR,
    BodyPlan,
    Run,
    at,
)


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


def _import(run: Run, kind: str, actor_key: str, rows: list[list[str]]) -> None:
    from assessments.models import ImportBatch
    from assessments.submission.imports.pipeline import import_apply, import_upload, import_validate

    batch = import_upload(actor=run.user(actor_key), cycle=run.cycle, kind=kind,
                          upload=io.BytesIO(_csv(rows)), original_name=f"{kind}-demo-cycle.csv")
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.state == ImportBatch.State.UPLOADED:
        batch = import_validate(batch_id=batch.pk)
    import_apply(batch_id=batch.pk, actor=run.user(actor_key))


def imports(run: Run) -> None:
    """The information systems' data: public monitoring of satisfaction (the Agency), the media
    and population surveys (MIOD), the e-government incidents (the digital ministry)."""
    central = run.bodies["central"]
    levels = [["bin", "service_code", "level"]]
    media = [["bin", "media_satisfied_percent"]]
    population = [["bin", "population_satisfied_percent"]]
    for key, body in run.bodies.items():
        plan = run.plans[key]
        levels += [[body.bin, code, level] for code, level in plan.satisfaction]
        media.append([body.bin, plan.media_percent])
        population.append([body.bin, plan.population_percent])
    _import(run, "satisfaction", "agency-assessor", levels)
    _import(run, "media_survey", "miod-assessor", media)
    _import(run, "population_survey", "miod-assessor", population)
    _import(run, "egov_incidents", "mdd-assessor", [
        ["incident_id", "bin", "date", "hours", "body_response"],
        [f"INC-DC{run.number}-1", central.bin, f"{YEAR}-05-02", "4.5", "none"],
        [f"INC-DC{run.number}-2", central.bin, f"{YEAR}-09-14", "3", "confirmed"],
        [f"INC-DC{run.number}-3", central.bin, f"{YEAR}-11-20", "6", "disputed"],
    ])


def _sections(direction: str, kind: str, plan: BodyPlan) -> dict:
    from demo.submission import sample_sections

    sections = sample_sections(direction, kind)
    for key, data in sections.items():
        fields = data.setdefault("fields", {})
        if key == "services":
            data["rows"] = [dict(row) for row in plan.services_rows]
        elif key == "automation":
            fields.update(plan.automation)
        elif key == "t5_open_dialogue":
            fields.update(plan.dialogue)
        elif key == "t5_1_media":
            fields.update(plan.media)
        elif key == "complaints":
            fields.update(plan.complaints)
    return sections


def _fill(report, actor, plan: BodyPlan, leave_out: tuple[str, ...] = ()) -> None:
    """Save every section of the report (an unchanged section is left as it is) but those left
    out."""
    from assessments.models import ReportSection
    from assessments.submission.services.reports import body_kind, report_section_save

    for key, data in _sections(report.direction, body_kind(report.body), plan).items():
        if key in leave_out:
            continue
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=actor, report=report, key=key, data=data,
                            expected_version=row.version if row else 0, reason="demo_cycle")


def _report_directions(body) -> list[str]:
    return (["services", "automation", "openness", "complaints"] if body.kind == "central"
            else ["services", "openness", "complaints"])


RETURNED = ("local", "services")  # the report returned once with comments
RETURN_COMMENT = ("Сведения по услуге 00701007 не сходятся с журналом регистрации: уточните "
                  "число услуг, оказанных с нарушением сроков, и приложите подтверждения.")


def reports(run: Run) -> None:
    """Every body reports on each direction (a central body on automation too) before the
    deadline; the local body's services report is returned once with comments, corrected and
    submitted again; the openness assessor scores annex 10; every report is accepted, and each
    acceptance assembles the body's scoring input (the task, in this process)."""
    from assessments.kernel import clock
    from assessments.submission.services import reports as svc

    body_people = {"central": ("cgo-submitter", "cgo-head"), "local": ("mio-submitter", "mio-head"),
                   "local2": ("mio2-submitter", "mio2-head")}
    made = {}
    clock.set_now(at(DAYS["submit"], 11))
    for key, body in run.bodies.items():
        submitter, head = (run.user(k) for k in body_people[key])
        for direction in _report_directions(body):
            report = svc.report_get_or_create(cycle=run.cycle, body=body, direction=direction)
            if (key, direction) == NOT_SUBMITTED:
                continue  # the body never submits it
            leave_out = (MISSING_TABLE[2],) if (key, direction) == MISSING_TABLE[:2] else ()
            _fill(report, submitter, run.plans[key], leave_out)
            # a table left out: submitted after the body's confirmation (p.18: a fact each)
            made[(key, direction)] = svc.report_submit(actor=head, report=report,
                                                       confirm_missing=bool(leave_out))
    clock.set_now(at(DAYS["review"], 15))
    for (key, direction), report in made.items():
        made[(key, direction)] = svc.report_start_review(
            actor=run.user(ASSESSOR_OF[direction]), report=report)
    key, direction = RETURNED
    made[RETURNED] = svc.report_return(
        actor=run.user(ASSESSOR_OF[direction]), report=made[RETURNED],
        comments={"services": RETURN_COMMENT},
        comment="Отчёт возвращён на доработку по таблице услуг.")
    clock.set_now(at(DAYS["resubmit"], 12))
    plan = run.plans[key]
    plan.services_rows[1]["late"] += 2  # the body's correction after the comments
    _fill(made[RETURNED], run.user("mio-submitter"), plan)
    made[RETURNED] = svc.report_submit(actor=run.user("mio-head"), report=made[RETURNED])
    clock.set_now(at(DAYS["resubmit"], 16))
    made[RETURNED] = svc.report_start_review(actor=run.user(ASSESSOR_OF[direction]),
                                             report=made[RETURNED])
    not_submitted(run)
    clock.set_now(at(DAYS["openness"], 10))
    openness(run)
    clock.set_now(at(DAYS["accept"], 11))
    for (_key, direction), report in made.items():
        svc.report_accept(actor=run.user(ASSESSOR_OF[direction]), report=report)


def not_submitted(run: Run) -> None:
    """The day after the deadline the Committee's unit head closes the third body's complaints
    report as not submitted (every element a fact, p.18); what no source holds — the report's
    numbers — the Committee's assessor enters from the Committee's own data, with its source."""
    from assessments.kernel import clock
    from assessments.scores.services.entered import entered_input_set, missing_inputs
    from assessments.submission.services import reports as svc

    key, direction = NOT_SUBMITTED
    body = run.bodies[key]
    clock.set_now(at(DAYS["closed"], 9, 30))
    report = svc.report_get_or_create(cycle=run.cycle, body=body, direction=direction)
    svc.report_close_not_submitted(actor=run.user(FLOW[direction][1]), report=report,
                                   reason=CLOSURE_REASON)
    clock.set_now(at(DAYS["closed"], 14))
    values = run.plans[key].complaints
    for item in missing_inputs(cycle=run.cycle, body=body):
        name = item.path.split(".", 1)[1]
        clock.advance(minutes=2)
        entered_input_set(actor=run.user(ASSESSOR_OF[direction]), cycle=run.cycle, body=body,
                          path=item.path, value=values[name], source=ENTERED_SOURCE)


def openness(run: Run) -> None:
    """MIOD's assessor scores every indicator of annex 10 that an assessor scores, per language
    column (a share of its maximum, one decimal), for both bodies."""
    from decimal import ROUND_DOWN, Decimal

    from assessments.submission.services.openness import indicator_rows, openness_score_set

    assessor = run.user("miod-assessor")
    for key, body in run.bodies.items():
        quality = Decimal(str(run.plans[key].openness_quality))
        for number, row in enumerate(indicator_rows(run.cycle, body)):
            if row.computed:
                continue
            for column in ("kk", "ru"):
                full = (number + (column == "ru")) % 3 == 0
                value = row.maximum if full else (row.maximum * quality).quantize(
                    Decimal("0.1"), rounding=ROUND_DOWN)
                openness_score_set(actor=assessor, cycle=run.cycle, body=body,
                                   criterion=row.criterion, indicator=row.indicator,
                                   column=column, value=value)
