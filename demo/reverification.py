"""Demo data of re-verification (idempotent): the Ministry of Finance re-verified by the Agency on
"Quality of public services" in the current cycle, through the same services the pages use —
picked by risk, a document requested and answered (when the schedule's re-verification window is
still open), a check of "ИС «Мониторинг»", three facts recorded, the act (annex 1) issued and
signed by the Agency's assessor: it waits for the ministry's head (``cgo-head``) to sign.
"""

from __future__ import annotations

DEMO_BODY = "mf"
DEMO_DIRECTION = "services"
DEMO_FACTS = (
    ("unreliable", "Число услуг, оказанных с нарушением сроков, занижено: в отчёте 4, по данным "
                   "ИС «Мониторинг» 14", "Таблица «Соблюдение сроков» (T1)"),
    ("unreliable", "Отказ по основаниям, не предусмотренным Законом «О государственных "
                   "услугах», показан как обоснованный", "Таблица «Необоснованные отказы» (T2)"),
    ("incomplete", "Отсутствует раздел о жалобах на качество оказания услуг, поступивших через "
                   "Госкорпорацию", "Раздел «Обжалование качества» (P2)"),
)


def seed_reverification() -> None:
    from assessments.kernel.errors import DomainError
    from assessments.models import Cycle, Reverification, User
    from assessments.reverification import services as rv_services
    from demo.seed import DEMO_PASSWORD, body
    from demo.signing import seed_demo_signing
    from reporting.rendering import render_pdf

    cycle = Cycle.objects.filter(is_current=True).first()
    if cycle is None:
        return
    ministry, agency = body(DEMO_BODY), body("agency")
    if Reverification.objects.filter(cycle=cycle, body=ministry,
                                     direction=DEMO_DIRECTION).exists():
        return
    seed_demo_signing()  # the CA and everyone's credential (idempotent)
    assessor = User.objects.get(username="agency-assessor")
    submitter = User.objects.get(username="cgo-submitter")
    rv = rv_services.reverification_select(
        actor=assessor, cycle=cycle, body=ministry, direction=DEMO_DIRECTION, evaluator=agency,
        reason="Демонстрация: отобран по оценке риска",
    )
    document = None
    try:
        request = rv_services.document_request_create(
            actor=assessor, reverification=rv, document_kind="departmental_report",
            title="Ведомственный отчёт о сроках оказания государственных услуг",
            report_section="Таблица «Соблюдение сроков» (T1)", classification="open",
            working_days=5,
        )
    except DomainError:
        request = None  # the schedule's re-verification window has closed: no request
    if request is not None:
        data = render_pdf("pdf/sample.html", {
            "version": 1, "title_ru": "Ведомственный отчёт о сроках оказания услуг",
            "title_kk": "Қызмет көрсету мерзімдері туралы ведомстволық есеп",
            "body_ru": "Оказано услуг с нарушением сроков: 4.", "body_kk": "",
            "kazakh_letters": "Ә Ғ Қ Ң Ө Ұ Ү Һ І",
        })
        document = rv_services.confirming_document_upload(
            actor=submitter, request=request, upload=data, original_name="otchet-sroki.pdf",
            classification="open",
        )
        # the quarantine's check (the task queued after the commit), run at once: the demo's
        # finding cites the document, which only an accepted one may be (issue 16)
        from assessments.submission.services.quarantine import quarantine_check

        quarantine_check("confirming", document.pk)
        document.refresh_from_db()
    check = rv_services.system_check_record(
        actor=assessor, reverification=rv, system="ИС «Мониторинг»",
        subject="Сроки оказания услуг за отчётный период", result="discrepancy",
        note="Просрочено 14 услуг, в отчёте указано 4",
    )
    for number, (kind, description, section) in enumerate(DEMO_FACTS):
        rv_services.finding_record(
            actor=assessor, reverification=rv, kind=kind, description=description,
            report_section=section, document=document if number == 0 else None,
            system_check=check if number == 0 else None,
        )
    rv_services.findings_complete(actor=assessor, reverification=rv)
    act = rv_services.reconciliation_act_issue(actor=assessor, reverification=rv)
    rv_services.reconciliation_act_sign(actor=assessor, act=act, passphrase=DEMO_PASSWORD)

