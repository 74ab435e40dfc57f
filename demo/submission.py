"""Demo data of submission (idempotent): a small register of public services, the demo bodies'
reports in various states, and one applied "Мониторинг" import."""

from __future__ import annotations

# (code, name_ru, name_kk, connected to "Мониторинг", electronic)
PUBLIC_SERVICES = (
    ("00101001", "Регистрация по месту жительства граждан Республики Казахстан",
     "Қазақстан Республикасы азаматтарын тұрғылықты жері бойынша тіркеу", True, True),
    ("00201002", "Выдача справки о наличии либо отсутствии судимости",
     "Соттылығының болуы не болмауы туралы анықтама беру", True, True),
    ("00301003", "Государственная регистрация юридических лиц",
     "Заңды тұлғаларды мемлекеттік тіркеу", True, True),
    ("00401004", "Выдача разрешения на строительство",
     "Құрылысқа рұқсат беру", True, False),
    ("00501005", "Назначение государственной адресной социальной помощи",
     "Атаулы әлеуметтік көмек тағайындау", True, True),
    ("00601006", "Постановка на учёт нуждающихся в жилище",
     "Тұрғын үйге мұқтаждарды есепке қою", False, False),
    ("00701007", "Выдача дубликата документа об образовании",
     "Білім туралы құжаттың телнұсқасын беру", False, False),
    ("00801008", "Приём документов для постановки на учёт налогоплательщиков",
     "Салық төлеушілерді есепке қою үшін құжаттар қабылдау", True, True),
)


def seed_public_services() -> None:
    from assessments.models import PublicService

    for code, name_ru, name_kk, monitored, electronic in PUBLIC_SERVICES:
        PublicService.objects.get_or_create(code=code, defaults={
            "name_ru": name_ru, "name_kk": name_kk, "monitored": monitored,
            "electronic": electronic})


def links(host: str) -> dict:
    return {"kk": [f"https://{host}/kk/1"], "ru": [f"https://{host}/ru/1"]}


def sample_sections(direction: str, kind: str) -> dict[str, dict]:
    """Complete, consistent demo data for every section of a direction."""
    from assessments.submission.report_schema import COLUMNS, sections_for

    result = {}
    for section in sections_for(direction, kind):
        fields = {}
        for spec in section.fields_for(kind):
            if spec.type == "links":
                fields[spec.key] = links(f"{section.key.replace('_', '-')}.example.kz/{spec.key}")
            elif spec.type == "count":
                fields[spec.key] = 0
        rows = []
        if section.key == "services":
            rows = [
                {"service": "00101001", "basis": "own_records", "rendered": 12000, "late": 3,
                 "unjustified_refusals": 1, "incomplete_package": 0, "extra_documents": 0,
                 "justified_complaints": 2},
                {"service": "00601006", "basis": "own_records", "rendered": 800, "late": 4,
                 "unjustified_refusals": 0, "incomplete_package": 1, "extra_documents": 0,
                 "justified_complaints": 0},
            ]
        elif section.key == "automation":
            fields.update({"kinds_total": 40, "partially_automated": 10, "fully_automated": 25,
                           "electronic_volume": 90000, "total_volume": 100000,
                           "automated_paper_volume": 5000, "automated_total_volume": 95000,
                           "mobile_available": 20, "proactive_services": 1,
                           "digital_documents": 1})
        elif section.key == "t5_open_dialogue":
            fields.update({"blog_posts": 30, "questions_received": 120,
                           "questions_answered_on_time": 110, "rated_answers": 80,
                           "disliked_answers": 5})
        elif section.key == "t5_1_media":
            fields.update({"events_high_publicity_kk": 8, "events_high_publicity_ru": 9,
                           "events_total": 15, "requests_received": 40,
                           "requests_answered": 38, "requests_answered_late": 2})
        elif section.key == "complaints":
            fields.update({"received": 5000, "handled": 4800, "handled_late": 30,
                           "redirected_late": 10, "court_upheld": 0,
                           "disciplinary_actions": 35, "excused": 2})
        elif section.key == "t1_open_data":
            rows = [{"title": "Реестр услуг", "column": c, "due_on": "2025-03-08",
                     "published_on": "2025-03-10", "link": f"https://data.egov.kz/{c}"}
                    for c in COLUMNS]
        data = {"fields": fields}
        if section.table is not None:
            data["rows"] = rows
        result[section.key] = data
    return result


def _fill(report, actor) -> None:
    from assessments.models import ReportSection
    from assessments.submission.services.reports import body_kind, report_section_save

    for key, data in sample_sections(report.direction, body_kind(report.body)).items():
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=actor, report=report, key=key, data=data,
                            expected_version=row.version if row else 0, reason="demo")


def _advance(report, target: str, *, head, assessor) -> None:
    from assessments.models import Report
    from assessments.submission.services import reports as svc
    order = [Report.State.DRAFT, Report.State.SUBMITTED, Report.State.UNDER_REVIEW,
             Report.State.RETURNED, Report.State.ACCEPTED]
    if report.state != Report.State.DRAFT or target == Report.State.DRAFT:
        return  # already moved (a second run changes nothing)
    _fill(report, head)
    report = svc.report_submit(actor=head, report=report)
    if order.index(target) >= order.index(Report.State.UNDER_REVIEW):
        report = svc.report_start_review(actor=assessor, report=report)
    if target == Report.State.RETURNED:
        key = next(iter(sample_sections(report.direction, svc.body_kind(report.body))))
        svc.report_return(actor=assessor, report=report,
                          comments={key: "Уточните данные и приложите подтверждения."})
    elif target == Report.State.ACCEPTED:
        svc.report_accept(actor=assessor, report=report)


# (body key, direction, target state, head username, assessor username)
DEMO_REPORTS = (
    ("mf", "services", "accepted", "cgo-head", "agency-assessor"),
    ("mf", "automation", "accepted", "cgo-head", "mdd-assessor"),
    ("mf", "openness", "under_review", "cgo-head", "miod-assessor"),
    ("mf", "complaints", "submitted", "cgo-head", "committee-assessor"),
    ("akimat-akmola", "services", "returned", "mio-head", "agency-assessor"),
    ("akimat-akmola", "openness", "draft", "mio-head", "miod-assessor"),
    ("akimat-akmola", "complaints", "accepted", "mio-head", "committee-assessor"),
)


def seed_reports() -> None:
    from assessments.models import User
    from assessments.registry.services.cycles import current_cycle
    from assessments.submission.services.reports import report_get_or_create
    from demo.seed import body

    cycle = current_cycle()
    if cycle is None:
        return
    for body_key, direction, target, head, assessor in DEMO_REPORTS:
        report = report_get_or_create(cycle=cycle, body=body(body_key), direction=direction)
        _advance(report, target, head=User.objects.get(username=head),
                 assessor=User.objects.get(username=assessor))


def sample_monitoring_csv(year: int) -> bytes:
    from demo.seed import body

    lines = ["bin,service_code,date,rendered,late,unjustified_refusals,incomplete_package,"
             "extra_documents"]
    for key in ("mf", "akimat-akmola"):
        bin_value = body(key).bin
        for month in range(1, 13):
            lines.append(f"{bin_value},00101001,{year}-{month:02d}-15,1000,{month % 3},0,"
                         f"{month % 2},0")
    return ("\n".join(lines) + "\n").encode()


def seed_sample_import() -> None:
    import io

    from assessments.kernel.errors import DomainError
    from assessments.models import ImportBatch, User
    from assessments.registry.services.cycles import current_cycle
    from assessments.submission.imports.pipeline import import_apply, import_upload

    cycle = current_cycle()
    if cycle is None or ImportBatch.objects.filter(cycle=cycle, kind="monitoring",
                                                   state="applied").exists():
        return
    actor = User.objects.get(username="agency-assessor")
    try:
        batch = import_upload(actor=actor, cycle=cycle, kind="monitoring",
                              upload=io.BytesIO(sample_monitoring_csv(cycle.year)),
                              original_name="monitoring-demo.csv")
    except DomainError:
        return
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.state == "uploaded":  # tasks not eager: validate here
        from assessments.submission.imports.pipeline import import_validate

        batch = import_validate(batch_id=batch.pk)
    import_apply(batch_id=batch.pk, actor=actor)


def seed_submission() -> None:
    seed_public_services()
    seed_sample_import()
    seed_reports()
