"""Re-verification and conclusions of a demo cycle: the central body re-verified on services
(the act, annex 1), every conclusion drafted, reviewed, signed and issued, and the block
conclusions (annex 15) at the end.
"""

from __future__ import annotations

from datetime import date

from demo.cycle.plan import (
    ANALYSIS,
    DAYS,
    FACTS,
    FLOW,
    RECOMMENDATIONS,
    Run,
    at,
)
from demo.seed import DEMO_PASSWORD

# --- Re-verification (chapter 2, annex 1) -------------------------------------------------------


def reverification(run: Run):
    """The Agency re-verifies the central body's services report: a document requested and
    answered, a look into an information system, three untrue facts, the act (annex 1) signed
    by the Agency's assessor and by the body's head; the facts enter the scoring input."""
    from assessments.kernel import clock
    from assessments.reverification import services as rv_services
    from reporting.rendering import render_pdf

    body = run.bodies["central"]
    assessor = run.user("agency-assessor")
    clock.set_now(at(DAYS["rv_select"], 10))
    rv = rv_services.reverification_select(
        actor=assessor, cycle=run.cycle, body=body, direction="services",
        evaluator=run.evaluators["agency"],
        reason="Демонстрация: отобран по оценке риска (расхождение с данными проверок)",
    )
    request = rv_services.document_request_create(
        actor=assessor, reverification=rv, document_kind="departmental_report",
        title="Журнал регистрации заявлений на оказание услуги 00601006",
        report_section="Таблица «Соблюдение сроков» (T1)", classification="open",
        working_days=5,
    )
    clock.set_now(at(DAYS["rv_documents"], 14))
    data = render_pdf("pdf/sample.html", {
        "version": 1, "title_ru": "Журнал регистрации заявлений (выписка)",
        "title_kk": "Өтініштерді тіркеу журналы (үзінді)",
        "body_ru": "Оказано услуг с нарушением сроков: 52.", "body_kk": "",
        "kazakh_letters": "Ә Ғ Қ Ң Ө Ұ Ү Һ І",
    })
    document = rv_services.confirming_document_upload(
        actor=run.user("cgo-submitter"), request=request, upload=data,
        original_name="zhurnal-registracii.pdf", classification="open",
    )
    # the quarantine's check (the task queued after the commit), run at once: the demo's
    # finding cites the document, which only an accepted one may be (issue 16)
    from assessments.submission.services.quarantine import quarantine_check

    quarantine_check("confirming", document.pk)
    document.refresh_from_db()
    clock.set_now(at(DAYS["rv_findings"], 11))
    check = rv_services.system_check_record(
        actor=assessor, reverification=rv, system="ИС «Е-лицензирование»",
        subject="Сроки оказания услуги 00601006 за отчётный период", result="discrepancy",
        note="Просрочено 52 заявления, в отчёте указано 41",
    )
    for number, (kind, description, section) in enumerate(FACTS):
        rv_services.finding_record(
            actor=assessor, reverification=rv, kind=kind, description=description,
            report_section=section, document=document if number == 0 else None,
            system_check=check if number == 0 else None,
        )
    rv_services.findings_complete(actor=assessor, reverification=rv)
    clock.set_now(at(DAYS["rv_act"], 10))
    act = rv_services.reconciliation_act_issue(actor=assessor, reverification=rv)
    rv_services.reconciliation_act_sign(actor=assessor, act=act, passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["rv_body_signs"], 15))
    rv_services.reconciliation_act_sign(actor=run.user("cgo-head"), act=act,
                                        passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["rv_body_signs"], 17))
    rv = rv_services.reverification_close(actor=assessor, reverification=rv,
                                          note="Акт подписан сторонами, вычет учтён")
    return rv


# --- Conclusions --------------------------------------------------------------------------------


def conclusion_through(run: Run, c, *, until: str, days: tuple[date, date] | None = None):
    """Take conclusion ``c`` draft → submitted → approved → signed (→ issued with
    ``until="issued"``), by the direction's writer, reviewer and signatories."""
    from assessments.conclusions import services as svc
    from assessments.kernel import clock
    from assessments.models import Conclusion

    writer, reviewer, signers = FLOW[c.direction]
    writer, reviewer = run.user(writer), run.user(reviewer)
    if c.state == "draft":
        c = svc.conclusion_update(
            conclusion=c, actor=writer,
            analysis={code: ANALYSIS.get(code, "") for code in svc.CRITERIA[c.annex]},
            recommendations=c.recommendations
            if RECOMMENDATIONS[c.direction] in c.recommendations
            else (c.recommendations + "\n" + RECOMMENDATIONS[c.direction]).strip(),
            revision=c.revision,
        )
        c = svc.conclusion_submit(conclusion=c, actor=writer)
    if c.state == "in_review":
        clock.advance(hours=1)
        c = svc.conclusion_approve(conclusion=c, actor=reviewer)
    if c.state == "approved":
        if days:
            clock.set_now(at(days[0], 11))
        for key in signers:
            clock.advance(minutes=20)
            c = svc.conclusion_sign(conclusion=c, user=run.user(key), passphrase=DEMO_PASSWORD)
    if until == "issued" and c.state == "signed":
        if days:
            clock.set_now(at(days[1], 10))
        c = svc.conclusion_issue(conclusion=c, actor=writer)
    return Conclusion.objects.get(pk=c.pk)


def conclusions(run: Run) -> dict:
    """Annex 5 of the central body first (the digital ministry, before 6 March), then every
    direction conclusion of both bodies, all received on Thursday 19 March 2026."""
    from assessments.conclusions import services as svc
    from assessments.kernel import clock

    result = {}
    central = run.bodies["central"]
    clock.set_now(at(DAYS["automation"], 10))
    c = svc.conclusion_draft(cycle=run.cycle, body=central, direction="automation",
                             actor=run.user(FLOW["automation"][0]))
    result[("central", "automation")] = conclusion_through(
        run, c, until="issued", days=(DAYS["automation"], DAYS["automation_issue"]))
    for key, body in run.bodies.items():
        for direction in ("services", "openness", "complaints"):
            clock.set_now(at(DAYS["conclusions"], 10))
            c = svc.conclusion_draft(cycle=run.cycle, body=body, direction=direction,
                                     actor=run.user(FLOW[direction][0]))
            result[(key, direction)] = conclusion_through(
                run, c, until="signed", days=(DAYS["conclusions_signed"], DAYS["received"]))
    clock.set_now(at(DAYS["received"], 10))
    for (key, direction), c in list(result.items()):
        if c.state == "signed":
            clock.advance(minutes=5)
            result[(key, direction)] = svc.conclusion_issue(
                conclusion=c, actor=run.user(FLOW[direction][0]))
    return result


def blocks(run: Run) -> None:
    """The block conclusion (annex 15) of each body, once its three directions are final."""
    from assessments.conclusions import services as svc
    from assessments.kernel import clock

    for body in run.bodies.values():
        clock.set_now(at(DAYS["block"], 10))
        c = svc.conclusion_draft(cycle=run.cycle, body=body, direction="block",
                                 actor=run.user(FLOW["block"][0]))
        conclusion_through(run, c, until="issued", days=(DAYS["block"], DAYS["block_issue"]))
