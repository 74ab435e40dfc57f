"""``manage.py demo_cycle --out DIR``: one assessment cycle played end to end (issue 8).

A cycle of its own ("demo-2025-N", reporting year 2025, edition 2023) with its own bodies (one
central body, ЦГО, and one local body, МИО) and its own people (usernames ``dcN-…``), so it
collides neither with ``seed_demo`` nor with an earlier run: each run takes the next N. The
evaluating bodies are the registry's (the Agency, the digital ministry, MIOD, the Committee:
created by the registry's own idempotent seed when missing), because who evaluates whom is
per kind of body.

Everything goes through the services the pages use, with the application clock moved along real
dates of the Kazakh calendar (the 2025 schedule: reports in January 2026, re-verification in
February, conclusions received on Thursday 19 March 2026 so that the objection window crosses
Nauryz and ends on Tuesday 31 March, appeals and block conclusions in April). Tasks run in
this process whatever the broker (the demo must not depend on a worker), and e-mails go to
memory. The PDFs, ``trust-root.pem`` and ``manifest.json`` (the contract
``DEMO_MANIFEST.md``) are written to DIR.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import logging
import time as time_module
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

YEAR = 2025
EDITION = "2023"
CODE_PREFIX = f"demo-{YEAR}-"
DEMO_PASSWORD = "demo-pass-2026"  # the demo credentials' passphrase (as seed_demo's)
APPEAL_DIRECTION = "services"  # the central body objects to its services conclusion

# The days the cycle is played on (Asia/Almaty). The conclusions are received on Thursday
# 19 March 2026: the five working days after it skip Nauryz (21–25 March) and the weekends.
DAYS = {
    "imports": date(2026, 1, 12),
    "submit": date(2026, 1, 14),
    "review": date(2026, 1, 15),
    "resubmit": date(2026, 1, 16),
    "openness": date(2026, 1, 21),
    "accept": date(2026, 1, 22),
    "rv_select": date(2026, 2, 2),
    "rv_documents": date(2026, 2, 5),
    "rv_findings": date(2026, 2, 11),
    "rv_act": date(2026, 2, 12),
    "rv_body_signs": date(2026, 2, 16),
    "automation": date(2026, 3, 3),
    "automation_issue": date(2026, 3, 5),
    "conclusions": date(2026, 3, 12),
    "conclusions_signed": date(2026, 3, 17),
    "received": date(2026, 3, 19),
    "no_objections": date(2026, 3, 20),
    "objection": date(2026, 3, 27),
    "windows_closed": date(2026, 4, 1),
    "sitting": date(2026, 4, 8),
    "acknowledged": date(2026, 4, 9),
    "block": date(2026, 4, 20),
    "block_issue": date(2026, 4, 24),
}


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    from assessments.kernel import clock

    return datetime.combine(day, time(hour, minute), tzinfo=clock.ZONE)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Who is who -------------------------------------------------------------------------------

# (key, full name, position, organisation key, role, direction, annexes)
# Organisation keys: "central" / "local" (the demo cycle's bodies), or an evaluating body's
# registry role ("agency", "digital_ministry", "information_ministry", "legal_statistics",
# "presidential_administration").
PEOPLE: tuple[tuple[str, str, str, str, str, str, tuple[int, ...]], ...] = (
    ("cgo-submitter", "Абенова Жанна Ерлановна", "Главный эксперт", "central", "body_submitter",
     "", ()),
    ("cgo-head", "Ермеков Талгат Султанович", "Ответственный секретарь", "central", "body_head",
     "", ()),
    ("cgo-deputy", "Искакова Лаура Маратовна", "Директор департамента", "central",
     "body_submitter", "", ()),
    ("mio-submitter", "Нургазина Асем Болатовна", "Главный специалист", "local",
     "body_submitter", "", ()),
    ("mio-head", "Рахимжанов Бауыржан Ерикович", "Руководитель аппарата акима", "local",
     "body_head", "", ()),
    ("agency-assessor", "Сатпаева Дана Кайратовна", "Эксперт", "agency", "assessor", "services",
     ()),
    ("agency-unit-head", "Мамыров Аскар Жумабекович", "Директор департамента", "agency",
     "assessor_unit_head", "services", ()),
    ("agency-deputy", "Тлеубаева Сауле Амангельдиновна", "Заместитель Председателя", "agency",
     "signatory", "", (3, 4, 15)),
    ("mdd-assessor", "Жаксылыков Ильяс Нурланович", "Главный эксперт", "digital_ministry",
     "assessor", "automation", ()),
    ("mdd-unit-head", "Бекмуратов Данияр Асланович", "Директор департамента", "digital_ministry",
     "assessor_unit_head", "automation", ()),
    ("mdd-head", "Омаров Канат Серикович", "Вице-министр", "digital_ministry", "signatory", "",
     (5,)),
    ("miod-assessor", "Ахметова Гульмира Сериковна", "Главный эксперт", "information_ministry",
     "assessor", "openness", ()),
    ("miod-unit-head", "Кенжебаев Руслан Маратович", "Директор департамента",
     "information_ministry", "assessor_unit_head", "openness", ()),
    ("miod-head", "Сулейменов Ержан Бахытович", "Вице-министр", "information_ministry",
     "signatory", "", (8,)),
    ("committee-assessor", "Жунусова Айгуль Кайратовна", "Прокурор управления",
     "legal_statistics", "assessor", "complaints", ()),
    ("committee-unit-head", "Токтаров Нуржан Ерланович", "Начальник управления",
     "legal_statistics", "assessor_unit_head", "complaints", ()),
    ("committee-head", "Садыков Мейрам Амантаевич", "Заместитель Председателя Комитета",
     "legal_statistics", "signatory", "", (12,)),
    ("commission-chair", "Байжанов Ерлан Муратович", "Заместитель Председателя", "agency",
     "commission_chair", "", ()),
    ("commission-secretary", "Касенова Айнур Ериковна", "Главный эксперт", "agency",
     "commission_secretary", "", ()),
    ("commission-member-1", "Мухамеджанов Нурлан Ерланович", "Директор департамента", "agency",
     "commission_member", "", ()),
    ("commission-member-2", "Серикбаева Асель Муратовна", "Эксперт", "agency",
     "commission_member", "", ()),
    ("working-body", "Иманов Тимур Кайратович", "Консультант", "presidential_administration",
     "working_body_rep", "", ()),
    ("coordinator", "Абдуллина Мадина Ерлановна", "Главный эксперт", "agency", "coordinator",
     "", ()),
)

# Who writes, reviews and signs (in the seed's order) each direction's conclusion.
FLOW = {
    "services": ("agency-assessor", "agency-unit-head", ("agency-deputy", "agency-unit-head")),
    "block": ("agency-assessor", "agency-unit-head", ("agency-deputy", "agency-unit-head")),
    "automation": ("mdd-assessor", "mdd-unit-head", ("mdd-head", "mdd-unit-head")),
    "openness": ("miod-assessor", "miod-unit-head", ("miod-head",)),
    "complaints": ("committee-assessor", "committee-unit-head", ("committee-head",)),
}
ASSESSOR_OF = {"services": "agency-assessor", "automation": "mdd-assessor",
               "openness": "miod-assessor", "complaints": "committee-assessor"}

ANALYSIS = {
    "K1": "Уровень удовлетворённости услугополучателей высокий; обоснованных жалоб немного.",
    "K2": "Выявлены нарушения сроков оказания отдельных услуг и необоснованные отказы.",
    "K3": "Большинство видов услуг автоматизировано; доступность в мобильном приложении растёт.",
    "P1": "Наборы открытых данных опубликованы, часть — с нарушением сроков.",
    "P2": "Отчёты об исполнении бюджета размещены.",
    "P3": "Проекты НПА размещаются с пояснительными записками.",
    "P4": "Блог-платформа руководителя ведётся регулярно.",
    "P5": "Интернет-ресурс наполнен по основным разделам.",
    "P6": "Взаимодействие со СМИ налажено.",
    "P7": "Нарушения подведомственных организаций не выявлены.",
    "R1": "Сроки рассмотрения жалоб в основном соблюдаются.",
    "R2": "Доля жалоб, удовлетворённых судом, низкая.",
    "R3": "Перенаправление по подведомственности своевременное.",
    "R4": "Меры дисциплинарной ответственности применяются.",
    "services": "Качество оказания государственных услуг — по заключению по направлению.",
    "openness": "Открытость государственного органа — по заключению по направлению.",
    "complaints": "Качество рассмотрения жалоб — по заключению по направлению.",
}
RECOMMENDATIONS = ("Рекомендуется обеспечить соблюдение сроков оказания услуг, исключить "
                   "необоснованные отказы и расширить проактивный формат.")

# The re-verification of the central body on services: (kind, fact, report section).
FACTS = (
    ("unreliable", "Число услуг, оказанных с нарушением сроков, занижено: в отчёте 41, по "
                   "данным проверки документов 52", "Таблица «Соблюдение сроков» (T1)"),
    ("unreliable", "Отказ по основаниям, не предусмотренным Законом «О государственных "
                   "услугах», показан как обоснованный", "Таблица «Необоснованные отказы» (T2)"),
    ("unreliable", "Истребование документов, не предусмотренных стандартом услуги, не отражено",
     "Таблица «Истребование документов» (T4)"),
)


@dataclass
class BodyPlan:
    """The numbers a demo body reports (the rest of each section is the schema's sample)."""

    key: str  # "central" | "local"
    services_rows: list
    automation: dict
    dialogue: dict
    media: dict
    complaints: dict
    satisfaction: list  # (service code, level)
    media_percent: str
    population_percent: str
    openness_quality: float  # share of each indicator's maximum the assessor gives


PLANS = {
    "central": BodyPlan(
        key="central",
        services_rows=[
            {"service": "00601006", "basis": "own_records", "rendered": 180000, "late": 41,
             "unjustified_refusals": 9, "incomplete_package": 2, "extra_documents": 3,
             "justified_complaints": 11},
            {"service": "00701007", "basis": "own_records", "rendered": 70000, "late": 19,
             "unjustified_refusals": 3, "incomplete_package": 0, "extra_documents": 1,
             "justified_complaints": 4},
        ],
        automation={"kinds_total": 120, "partially_automated": 30, "fully_automated": 60,
                    "electronic_volume": 800000, "total_volume": 1000000,
                    "automated_paper_volume": 50000, "automated_total_volume": 900000,
                    "mobile_available": 70, "proactive_services": 2, "digital_documents": 1},
        dialogue={"blog_posts": 30, "questions_received": 240, "questions_answered_on_time": 221,
                  "rated_answers": 200, "disliked_answers": 12},
        media={"events_high_publicity_kk": 10, "events_high_publicity_ru": 12,
               "events_total": 20, "requests_received": 40, "requests_answered": 38,
               "requests_answered_late": 3},
        complaints={"received": 5000, "handled": 2000, "handled_late": 30, "redirected_late": 100,
                    "court_upheld": 0, "disciplinary_actions": 120, "excused": 5},
        satisfaction=[("00601006", "4.85"), ("00701007", "4.61")],
        media_percent="85",
        population_percent="72",
        openness_quality=0.8,
    ),
    "local": BodyPlan(
        key="local",
        services_rows=[
            {"service": "00601006", "basis": "own_records", "rendered": 64000, "late": 25,
             "unjustified_refusals": 4, "incomplete_package": 1, "extra_documents": 0,
             "justified_complaints": 6},
            {"service": "00701007", "basis": "own_records", "rendered": 21000, "late": 7,
             "unjustified_refusals": 1, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 1},
        ],
        automation={},
        dialogue={"blog_posts": 18, "questions_received": 120, "questions_answered_on_time": 114,
                  "rated_answers": 90, "disliked_answers": 6},
        media={"events_high_publicity_kk": 7, "events_high_publicity_ru": 9,
               "events_total": 14, "requests_received": 25, "requests_answered": 24,
               "requests_answered_late": 1},
        complaints={"received": 3200, "handled": 1400, "handled_late": 12, "redirected_late": 20,
                    "court_upheld": 0, "disciplinary_actions": 27, "excused": 1},
        satisfaction=[("00601006", "4.72"), ("00701007", "4.40")],
        media_percent="78.5",
        population_percent="64",
        openness_quality=0.7,
    ),
}


@dataclass
class Run:
    """The state of one run: its number, cycle, bodies, people and what it produced."""

    number: int
    out: Path
    log: Callable[[str], None]
    cycle: object = None
    bodies: dict = field(default_factory=dict)  # "central" | "local" -> Organisation
    evaluators: dict = field(default_factory=dict)  # registry role -> Organisation
    users: dict = field(default_factory=dict)  # PEOPLE key -> User
    documents: list = field(default_factory=list)  # manifest entries
    objections: dict = field(default_factory=dict)  # body key -> [manifest entries]
    plans: dict = field(default_factory=lambda: copy.deepcopy(PLANS))  # this run's numbers

    def user(self, key: str):
        return self.users[key]

    @property
    def prefix(self) -> str:
        return f"dc{self.number}-"


# --- Set-up -------------------------------------------------------------------------------------


def _next_number() -> int:
    from assessments.models import Cycle

    taken = [int(code[len(CODE_PREFIX):]) for code in
             Cycle.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
             if code[len(CODE_PREFIX):].isdigit()]
    return max(taken, default=0) + 1


def _new_bin(serial: int) -> tuple[str, int]:
    """A fictitious BIN (registered 99/03, resident legal entity) not in the registry yet."""
    from assessments.kernel.validators import bin_control_digit
    from assessments.models import Organisation

    while True:
        head = f"990340{serial:05d}"
        control = bin_control_digit(head)
        serial += 1
        if control is not None and not Organisation.objects.filter(
                bin=head + str(control)).exists():
            return head + str(control), serial


def setup(run: Run) -> None:
    """The registry's evaluating bodies and rules (idempotent), the cycle, bodies and people."""
    from django.contrib.auth.hashers import make_password

    from assessments.demo import seed_evaluator_rules, seed_registry
    from assessments.demo_submission import seed_public_services
    from assessments.models import Organisation, Region, User
    from assessments.registry.services.assignments import assessor_assign
    from assessments.registry.services.cycles import cycle_create
    from assessments.registry.services.memberships import membership_grant
    from assessments.registry.services.organisations import organisation_create
    from reporting.signing.ca import demo_ca
    from reporting.signing.services import issue_demo_credential

    demo_ca()
    seed_registry()
    seed_evaluator_rules()
    seed_public_services()
    for role in ("agency", "digital_ministry", "information_ministry", "legal_statistics",
                 "presidential_administration"):
        run.evaluators[role] = Organisation.objects.filter(evaluator_role=role).order_by(
            "pk").first()
    run.cycle = cycle_create(
        actor=None, code=f"{CODE_PREFIX}{run.number}", year=YEAR, edition=EDITION,
        title=f"Демонстрационный цикл {run.number}: оценка за {YEAR} год",
        reason="demo_cycle",
    )
    label = f" (демо-цикл {run.number})"
    serial = 30000 + 100 * run.number
    bin_central, serial = _new_bin(serial)
    bin_local, serial = _new_bin(serial)
    run.bodies["central"] = organisation_create(
        actor=None, reason="demo_cycle", kind="central", central_type="ministry",
        name_ru="Министерство торговли и интеграции Республики Казахстан" + label,
        name_kk="Қазақстан Республикасының Сауда және интеграция министрлігі" + label,
        short_name_ru="МТИ", short_name_kk="СИМ", bin=bin_central, is_evaluated=True,
    )
    run.bodies["local"] = organisation_create(
        actor=None, reason="demo_cycle", kind="local", level="oblast_city",
        region=Region.objects.filter(code="almaty-oblast").first(),
        name_ru="Акимат города Конаев" + label,
        name_kk="Қонаев қаласының әкімдігі" + label,
        bin=bin_local, is_evaluated=True,
    )
    # One hash for everyone: they all log in with the demo password (hashing is slow on purpose).
    password = make_password(DEMO_PASSWORD)
    for key, full_name, position, org_key, role, direction, annexes in PEOPLE:
        organisation = run.bodies.get(org_key) or run.evaluators[org_key]
        user = User.objects.create(username=run.prefix + key, full_name=full_name,
                                   position=position, email=f"{run.prefix}{key}@example.kz",
                                   password=password)
        membership_grant(actor=None, user=user, organisation=organisation, role=role,
                         direction=direction, annexes=annexes, reason="demo_cycle")
        run.users[key] = user
    for body in run.bodies.values():
        for direction, username in ASSESSOR_OF.items():
            if direction == "automation" and body.kind != "central":
                continue
            assessor_assign(actor=None, cycle=run.cycle, body=body, direction=direction,
                            assessor=run.user(username))
    # Everyone who signs gets a credential of the demo CA (the passphrase: the demo password).
    signers = {"cgo-head", "mio-head", "commission-chair", "agency-assessor"}
    for names in FLOW.values():
        signers |= set(names[2])
    for key in sorted(signers):
        issue_demo_credential(run.user(key), DEMO_PASSWORD)


# --- Reports, imports, openness -----------------------------------------------------------------


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
    from assessments.demo_submission import sample_sections

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


def _fill(report, actor, plan: BodyPlan) -> None:
    """Save every section of the report (an unchanged section is left as it is)."""
    from assessments.models import ReportSection
    from assessments.submission.services.reports import body_kind, report_section_save

    for key, data in _sections(report.direction, body_kind(report.body), plan).items():
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

    body_people = {"central": ("cgo-submitter", "cgo-head"), "local": ("mio-submitter", "mio-head")}
    made = {}
    clock.set_now(at(DAYS["submit"], 11))
    for key, body in run.bodies.items():
        submitter, head = (run.user(k) for k in body_people[key])
        for direction in _report_directions(body):
            report = svc.report_get_or_create(cycle=run.cycle, body=body, direction=direction)
            _fill(report, submitter, run.plans[key])
            made[(key, direction)] = svc.report_submit(actor=head, report=report)
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
    clock.set_now(at(DAYS["openness"], 10))
    openness(run)
    clock.set_now(at(DAYS["accept"], 11))
    for (_key, direction), report in made.items():
        svc.report_accept(actor=run.user(ASSESSOR_OF[direction]), report=report)


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


def _body_slug(run: Run, key: str) -> str:
    return f"{key}-dc{run.number}"


def _document(run: Run, *, annex: int, body, direction: str, version: int, state: str,
              signed_document=None, rendered_document=None, name: str) -> None:
    """Copy a document's bytes to DIR and list them in the manifest: a signed document's
    current version (every signature), or a rendered one that is not signed."""
    field_file = (signed_document.current_file if signed_document is not None
                  else rendered_document.file)
    with field_file.open("rb") as handle:
        data = handle.read()
    (run.out / name).write_bytes(data)
    run.documents.append({
        "annex": annex, "body": body.name_ru, "direction": direction, "version": version,
        "state": state,
        "signed": signed_document is not None and signed_document.state == "signed",
        "sha256": sha256_hex(data), "file": name,
    })


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
            recommendations=c.recommendations if RECOMMENDATIONS in c.recommendations
            else (c.recommendations + "\n" + RECOMMENDATIONS).strip(),
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


# --- Appeals (p.109–122, annex 14) --------------------------------------------------------------


def appeals_available() -> bool:
    try:
        from appeals import services  # noqa: F401
    except ImportError:
        return False
    return all(hasattr(services, name) for name in (
        "objection_file", "no_objection_notify", "commission_get_or_create", "sitting_convene",
        "sitting_attendance", "objection_decide", "objection_chair_sign",
        "objection_acknowledge"))


SITTING_MEMBERS = (  # (person, capacity): the Agency's commission, the working body, the body
    ("commission-chair", "evaluator"), ("commission-secretary", "evaluator"),
    ("commission-member-1", "evaluator"), ("commission-member-2", "evaluator"),
    ("working-body", "working_body"), ("cgo-deputy", "body"),
)


def objection_rows(run: Run, conclusion) -> list[dict]:
    """The central body's disagreement table on its services conclusion: two rows, each
    claiming a number of the scoring input (the first is accepted, the second rejected)."""
    from assessments.scores.services.scoring_inputs import scoring_input_current

    case = scoring_input_current(cycle=run.cycle, body=conclusion.body).case
    late, refusals = case["services"]["late"], case["services"]["unjustified_refusals"]
    return [
        {"subject": "K2, T1: услуги, оказанные с нарушением сроков",
         "input_path": "services.late", "proposed_value": late - 11,
         "objection_text": (
             f"Из {late} услуг, учтённых как оказанные с нарушением сроков, 11 оказаны в срок: "
             "срок был приостановлен на время межведомственного запроса (письма прилагаются).")},
        {"subject": "K2, T2: необоснованные отказы",
         "input_path": "services.unjustified_refusals", "proposed_value": refusals - 3,
         "objection_text": (
             "Три отказа основаны на отрицательном заключении согласующего органа и являются "
             "обоснованными.")},
    ]


def appeals(run: Run, issued: dict) -> None:
    """The local body notifies that it has no objections (p.112); the central body objects to
    its services conclusion with a two-row disagreement table (annex 14) on Friday 27 March,
    the 3rd working day of the window (20 March, then Nauryz and the weekend, 26 and 27 March);
    its other windows close (the clock's job) and the final openness and complaints conclusions
    are handed over to the Agency; the Agency's special commission (≥ 5 members, composition
    rule of p.113) accepts one row and rejects the other; the corrected conclusion (version 2)
    is drafted from the recomputed scores; the chair signs the completed table; version 2 is
    reviewed, signed and issued with it (p.115) — version 1 is superseded; the body's head
    acknowledges the table the next day."""
    from appeals import services as ap
    from appeals.models import Objection
    from assessments.kernel import clock
    from assessments.models import Conclusion

    clock.set_now(at(DAYS["no_objections"], 11))
    for direction in ("services", "openness", "complaints"):
        clock.advance(minutes=10)
        ap.no_objection_notify(conclusion=issued[("local", direction)],
                               actor=run.user("mio-head"))
    clock.set_now(at(DAYS["objection"], 16, 30))
    appealed = issued[("central", APPEAL_DIRECTION)]
    objection = ap.objection_file(conclusion=appealed, actor=run.user("cgo-head"),
                                  rows=objection_rows(run, appealed), passphrase=DEMO_PASSWORD)
    windows_close(run)
    handovers(run)
    chair, secretary = run.user("commission-chair"), run.user("commission-secretary")
    clock.set_now(at(DAYS["sitting"], 9))
    ap.commission_get_or_create(cycle=run.cycle, evaluator=appealed.evaluator, chair=chair,
                                secretary=secretary, actor=chair)
    members = [(run.user(key), capacity) for key, capacity in SITTING_MEMBERS]
    sitting = ap.sitting_convene(objection=objection, members=members, held_on=DAYS["sitting"],
                                 actor=secretary)
    clock.set_now(at(DAYS["sitting"], 11))
    present = {user.pk for user, _capacity in members}
    ap.sitting_attendance(sitting=sitting, present=present, actor=secretary)
    rows = list(Objection.objects.get(pk=objection.pk).rows.order_by("number"))
    accepted, rejected = rows[0], rows[1]
    rulings = {
        accepted.pk: {"reasoning": (
            "Приостановление срока на время межведомственного запроса подтверждено письмами: "
            "11 услуг оказаны в срок."), "applied_value": accepted.proposed_value},
        rejected.pk: {"reasoning": (
            "Заключение согласующего органа не является основанием для отказа, "
            "предусмотренным Законом «О государственных услугах»."), "applied_value": None},
    }
    votes = {
        accepted.pk: {pk: "accept" for pk in present},
        rejected.pk: {pk: ("accept" if pk == run.user("cgo-deputy").pk else "reject")
                      for pk in present},
    }
    objection = ap.objection_decide(objection=objection, actor=chair, rulings=rulings,
                                    votes=votes)
    correction = objection.correction or Conclusion.objects.filter(
        supersedes=appealed).order_by("-version").first()
    # p.115: the corrected conclusion goes to the body together with the completed table, so
    # the chair signs the table before version 2 is issued.
    clock.set_now(at(DAYS["sitting"], 13))
    ap.objection_chair_sign(objection=objection, user=chair, passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["sitting"], 14))
    conclusion_through(run, correction, until="issued")
    clock.set_now(at(DAYS["acknowledged"], 10))
    objection = ap.objection_acknowledge(objection=Objection.objects.get(pk=objection.pk),
                                         user=run.user("cgo-head"), passphrase=DEMO_PASSWORD)
    objection = Objection.objects.get(pk=objection.pk)
    rows = list(objection.rows.order_by("number"))
    run.objections.setdefault("central", []).append(({
        "direction": objection.direction, "state": objection.state,
        "rows": len(rows), "accepted_rows": sum(r.decision == "accepted" for r in rows),
        "outcome": objection.outcome,
        "filed_on": _iso(objection.filed_on), "decision_due": _iso(objection.decision_due),
        "decided_on": _iso(objection.decided_on),
        "overall_after_appeal": objection.overall_after_appeal or None,
    }, objection.filed_signed_document, objection.table_document))


def windows_close(run: Run) -> None:
    """The clock's job the day after the windows' last day: conclusions with no objection
    become final (p.111)."""
    from assessments.conclusions.services import conclusion_windows_close
    from assessments.kernel import clock

    clock.set_now(at(DAYS["windows_closed"], 0, 5))
    conclusion_windows_close()


def handovers(run: Run) -> None:
    """Hand-over (p.116–121, issue item 6) once the windows closed: the clock's job creates the
    missing hand-overs of the final openness and complaints conclusions (their evaluators are
    not the Agency; the Agency's own services conclusions need none, p.121), and each
    evaluating body's assessor records that it handed its conclusions over to the Agency — on
    the day, before the block conclusions are drafted."""
    from appeals import services as ap
    from appeals.models import Handover
    from assessments.kernel import clock

    clock.set_now(at(DAYS["windows_closed"], 10))
    ap.handovers_job(cycle=run.cycle)
    for h in (Handover.objects.filter(conclusion__cycle=run.cycle, handed_at__isnull=True)
              .select_related("conclusion").order_by("conclusion__body_id",
                                                     "conclusion__direction")):
        clock.advance(minutes=10)
        ap.handover_record(handover=h, actor=run.user(ASSESSOR_OF[h.conclusion.direction]))


def blocks(run: Run) -> None:
    """The block conclusion (annex 15) of each body, once its three directions are final."""
    from assessments.conclusions import services as svc
    from assessments.kernel import clock

    for body in run.bodies.values():
        clock.set_now(at(DAYS["block"], 10))
        c = svc.conclusion_draft(cycle=run.cycle, body=body, direction="block",
                                 actor=run.user(FLOW["block"][0]))
        conclusion_through(run, c, until="issued", days=(DAYS["block"], DAYS["block_issue"]))


# --- The manifest ------------------------------------------------------------------------------


def _iso(day) -> str | None:
    from assessments.kernel import clock

    if day is None:
        return None
    if isinstance(day, datetime):
        day = clock._aware(day).date()
    return day.isoformat()


def collect_documents(run: Run) -> None:
    from assessments.models import Conclusion, ReconciliationAct

    for key, body in run.bodies.items():
        stem = _body_slug(run, key)
        for act in ReconciliationAct.objects.filter(
            reverification__cycle=run.cycle, reverification__body=body
        ).select_related("reverification", "signed_document").order_by("pk"):
            rv = act.reverification
            _document(run, annex=1, body=body, direction=rv.direction, version=act.version,
                      state=act.signed_document.state, signed_document=act.signed_document,
                      name=f"{stem}-annex1-{rv.direction}-v{act.version}.pdf")
        for c in Conclusion.objects.filter(cycle=run.cycle, body=body).exclude(
            signed_document=None
        ).select_related("signed_document").order_by("annex", "direction", "version"):
            _document(run, annex=c.annex, body=body, direction=c.direction, version=c.version,
                      state=c.state, signed_document=c.signed_document,
                      name=f"{stem}-annex{c.annex}-{c.direction}-v{c.version}.pdf")
        for entry, filed, table in run.objections.get(key, []):
            direction = entry["direction"]
            if filed is not None:  # as the body's head signed and filed it
                _document(run, annex=14, body=body, direction=direction, version=filed.version,
                          state=entry["state"], signed_document=filed,
                          name=f"{stem}-annex14-{direction}-v{filed.version}.pdf")
            if table is not None:  # with the commission's decision, signed by both sides
                _document(run, annex=14, body=body, direction=direction, version=table.version,
                          state=entry["state"], signed_document=table,
                          name=f"{stem}-annex14-{direction}-v{table.version}.pdf")


def body_manifest(run: Run, key: str) -> dict:
    from assessments.models import Conclusion, Report, Reverification
    from assessments.scores.services.scoring_inputs import scoring_input_current

    body = run.bodies[key]
    cycle = run.cycle
    result = {
        "name": body.name_ru,
        "kind": body.kind,
        "bin": body.bin,
        "reports": [
            {"direction": r.direction, "state": r.state, "late": r.late,
             "returned_times": r.returned_times}
            for r in Report.objects.filter(cycle=cycle, body=body).order_by("direction")
        ],
        "reverifications": [],
        "conclusions": [],
        "objections": [entry for entry, _filed, _table in run.objections.get(key, [])],
    }
    for rv in Reverification.objects.filter(cycle=cycle, body=body).order_by("direction"):
        act = rv.acts.order_by("-version").select_related("signed_document").first()
        result["reverifications"].append({
            "direction": rv.direction, "state": rv.state,
            "facts_unreliable": rv.unreliable_facts, "facts_incomplete": rv.incomplete_facts,
            "deduction": f"{rv.deduction:.2f}" if rv.deduction is not None else None,
            "act_version": act.version if act else None,
            "act_state": act.signed_document.state if act and act.signed_document else None,
        })
    for c in Conclusion.objects.filter(
        cycle=cycle, body=body, direction__in=("services", "openness", "complaints")
    ).order_by("direction", "version"):
        result["conclusions"].append({
            "direction": c.direction, "annex": c.annex, "version": c.version, "state": c.state,
            "final_score": c.values.get("final"),
            "received_on": _iso(c.received_at),
            "objection_deadline": _iso(c.objection_deadline),
        })
    result["no_objections"] = _no_objections(run, body)
    result["handovers"] = _handovers(run, body)
    sheets = _current_sheets(run, body)
    si = scoring_input_current(cycle=cycle, body=body)
    overall = sheets.get("overall")
    result["case"] = (overall.scoring_input.case if overall is not None else si.case)
    result["scores"] = {
        "services": _final(sheets.get("services")),
        "openness": _final(sheets.get("openness")),
        "complaints": _final(sheets.get("complaints")),
        "overall": overall.values.get("overall") if overall is not None else None,
        "band": overall.values.get("band") if overall is not None else None,
    }
    return result


def _handovers(run: Run, body) -> list[dict]:
    """The body's final direction conclusions handed over to the Agency (an extra key of the
    contract): direction, version, due date, the day handed over."""
    from appeals.models import Handover

    return [
        {"direction": h.conclusion.direction, "version": h.conclusion.version,
         "to": h.to.name_ru, "due_on": _iso(h.due_on), "handed_on": _iso(h.handed_at)}
        for h in Handover.objects.filter(conclusion__cycle=run.cycle, conclusion__body=body)
        .select_related("conclusion", "to").order_by("conclusion__direction",
                                                     "conclusion__version")
    ]


def _no_objections(run: Run, body) -> list[dict]:
    try:
        from appeals.models import NoObjectionNotice
    except ImportError:
        return []
    return [
        {"direction": n.conclusion.direction, "version": n.conclusion.version,
         "sent_on": _iso(n.sent_at)}
        for n in NoObjectionNotice.objects.filter(
            conclusion__cycle=run.cycle, body=body).select_related("conclusion").order_by(
            "conclusion__direction")
    ]


def _final(sheet) -> str | None:
    return sheet.values.get("final") if sheet is not None and sheet.values else None


def _current_sheets(run: Run, body) -> dict:
    from assessments.models import ScoreSheet

    return {s.direction: s for s in ScoreSheet.objects.filter(
        cycle=run.cycle, body=body, is_current=True).select_related("scoring_input")}


def manifest(run: Run) -> dict:
    return {
        "cycle": str(run.cycle.year),
        "cycle_code": run.cycle.code,
        "edition": run.cycle.edition,
        "documents": run.documents,
        "bodies": [body_manifest(run, key) for key in run.bodies],
    }


# --- The run -----------------------------------------------------------------------------------


def _remove_previous(out: Path) -> None:
    """A DIR used before holds the files of that run: the ones its manifest names go (nothing
    else in DIR is touched), so DIR then holds one run."""
    try:
        previous = json.loads((out / "manifest.json").read_text("utf-8"))
        names = [d["file"] for d in previous.get("documents", [])]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return
    for name in names:
        path = out / Path(str(name)).name
        if path.suffix == ".pdf":
            path.unlink(missing_ok=True)


@contextmanager
def _in_process():
    """Tasks run in this process and e-mails go to memory, whatever the environment; the
    application clock is given back as it was."""
    from django.test.utils import override_settings

    from assessments.kernel import clock
    from config.celery import app

    eager = app.conf.task_always_eager
    frozen_before = clock.now() if clock.is_frozen() else None
    app.conf.task_always_eager = True
    # No line per in-process task, nor kombu's note on the in-memory broker's default host.
    quiet = {name: logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")}
    levels = {name: logger.level for name, logger in quiet.items()}
    quiet["celery.app.trace"].setLevel(logging.WARNING)
    quiet["kombu.connection"].setLevel(logging.ERROR)
    try:
        with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        for name, logger in quiet.items():
            logger.setLevel(levels[name])
        clock.set_now(frozen_before)


def run_demo_cycle(out: Path | str, *, log: Callable[[str], None] = print,
                   with_appeals: bool = True) -> dict:
    """Play a new demo cycle and write DIR; returns the manifest."""
    from reporting.signing.ca import export_trust_root

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out)
    with _in_process():
        from assessments.kernel import clock

        clock.set_now(at(DAYS["imports"], 9))
        run = Run(number=_next_number(), out=out, log=log)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("cycle, bodies and people", lambda: setup(run)),
            ("imports of the information systems' data", lambda: imports(run)),
            ("reports, review and openness scores", lambda: reports(run)),
            ("re-verification and the act (annex 1)", lambda: reverification(run)),
        ]
        issued: dict = {}
        steps.append(("conclusions drafted, reviewed, signed and issued",
                      lambda: issued.update(conclusions(run))))
        if with_appeals:
            if not appeals_available():
                raise RuntimeError("the appeals services (appeals.services) are not installed")
            steps.append(("objections, special commission and the corrected conclusion",
                          lambda: appeals(run, issued)))
            steps.append(("block conclusions (annex 15)", lambda: blocks(run)))
        else:
            steps.append(("objection windows closed", lambda: windows_close(run)))
        for label, step in steps:
            started = time_module.monotonic()
            day = clock.today().isoformat()
            step()
            log(f"[{day} → {clock.today().isoformat()}] {label} "
                f"({time_module.monotonic() - started:.1f} s)")
        collect_documents(run)
        export_trust_root(out)
        data = manifest(run)
    (out / "manifest.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data
