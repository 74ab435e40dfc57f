"""The demo cycle's plan: its year and dates, who is who, what each body reports, and the state
of one run (``Run``). The phases (setup, submission, conclusions, appeals, manifest) read it.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

YEAR = 2025
EDITION = "2023"
CODE_PREFIX = f"demo-{YEAR}-"
APPEAL_DIRECTION = "services"  # the central body objects to its services conclusion

# The days the cycle is played on (Asia/Almaty). The conclusions are received on Thursday
# 19 March 2026: the five working days after it skip Nauryz (21–25 March) and the weekends.
DAYS = {
    "imports": date(2026, 1, 12),
    "submit": date(2026, 1, 14),
    "review": date(2026, 1, 15),
    "resubmit": date(2026, 1, 16),
    "closed": date(2026, 1, 21),  # the day after the submission deadline (Tuesday 20 January)
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


def iso(day) -> str | None:
    from assessments.kernel import clock

    if day is None:
        return None
    if isinstance(day, datetime):
        day = clock.aware(day).date()
    return day.isoformat()


# --- Who is who -------------------------------------------------------------------------------

# (key, full name, position, organisation key, role, direction, annexes)
# Organisation keys: "central" / "local" / "local2" (the demo cycle's bodies), or an evaluating
# body's registry role ("agency", "digital_ministry", "information_ministry", "legal_statistics",
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
    ("mio2-submitter", "Оспанова Динара Сериковна", "Главный специалист", "local2",
     "body_submitter", "", ()),
    ("mio2-head", "Жуматаев Нурболат Кайратович", "Руководитель аппарата акима", "local2",
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
    ("mdd-commission-chair", "Ахметжанов Ерболат Кайратович", "Вице-министр",
     "digital_ministry", "commission_chair", "", ()),
    ("mdd-commission-secretary", "Тулегенова Алия Маратовна", "Главный эксперт",
     "digital_ministry", "commission_secretary", "", ()),
    ("mdd-commission-member", "Оспанов Данияр Ерланович", "Директор департамента",
     "digital_ministry", "commission_member", "", ()),
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
# "Выводы и рекомендации", each direction its own (p.21): the services sentence belongs to the
# services conclusions only.
RECOMMENDATIONS = {
    "services": ("Рекомендуется обеспечить соблюдение сроков оказания услуг, исключить "
                 "необоснованные отказы и расширить проактивный формат."),
    "automation": ("Рекомендуется завершить автоматизацию частично автоматизированных услуг и "
                   "обеспечить их доступность в мобильном приложении."),
    "openness": ("Рекомендуется соблюдать сроки публикации наборов открытых данных и "
                 "актуализировать их по запросам пользователей."),
    "complaints": ("Рекомендуется исключить нарушения сроков рассмотрения и перенаправления "
                   "жалоб и заявлений и усилить внутренний контроль."),
    "block": ("Рекомендуется принять меры по направлениям с наименьшими оценками согласно "
              "заключениям по направлениям."),
}

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
    "local2": BodyPlan(
        key="local2",
        services_rows=[
            {"service": "00601006", "basis": "own_records", "rendered": 38000, "late": 14,
             "unjustified_refusals": 2, "incomplete_package": 0, "extra_documents": 1,
             "justified_complaints": 3},
            {"service": "00701007", "basis": "own_records", "rendered": 9000, "late": 5,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 1},
        ],
        automation={},
        dialogue={"blog_posts": 9, "questions_received": 70, "questions_answered_on_time": 61,
                  "rated_answers": 40, "disliked_answers": 5},
        media={"events_high_publicity_kk": 4, "events_high_publicity_ru": 5,
               "events_total": 10, "requests_received": 12, "requests_answered": 11,
               "requests_answered_late": 2},
        # never submitted: what the Committee's own data say (entered by its assessor)
        complaints={"received": 1800, "handled": 760, "handled_late": 21, "redirected_late": 9,
                    "court_upheld": 1, "disciplinary_actions": 11, "excused": 2},
        satisfaction=[("00601006", "4.51"), ("00701007", "4.33")],
        media_percent="71",
        population_percent="58",
        openness_quality=0.6,
    ),
}


# The third body (a local one, "local2") reports imperfectly (p.17–20): its openness report lacks
# table 4 (submitted after its confirmation, accepted: one incompleteness fact), and it never
# submits its complaints report (closed as not submitted after the deadline; the Committee's
# assessor enters its numbers from the Committee's own data, with their source).
MISSING_TABLE = ("local2", "openness", "t4_open_npa")
NOT_SUBMITTED = ("local2", "complaints")
CLOSURE_REASON = ("Отчёт не представлен в срок (20.01.2026); напоминания за 5 и 1 рабочий день "
                  "оставлены без ответа.")
ENTERED_SOURCE = "ИС «Единый учёт обращений», данные Комитета по правовой статистике"


@dataclass
class Run:
    """The state of one run: its number, cycle, bodies, people and what it produced."""

    number: int
    out: Path
    log: Callable[[str], None]
    cycle: object = None
    bodies: dict = field(default_factory=dict)  # "central" | "local" | "local2" -> Organisation
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
