"""What each report holds: its sections, their fields and tables, as data (p.8–10, annex 9).

One schema drives the forms, the completeness check on submission, the validation of every value
and the assembly into the scoring input, so a field is declared once. A section's data is stored
as ``{"fields": {key: value}, "rows": [{column: value}, …]}``; a ``links`` value is
``{"kk": [url, …], "ru": [url, …]}`` (every openness indicator is reported per language version,
annex 9 and annex 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from assessments.models import Direction

COLUMNS = ("kk", "ru")
COLUMN_LABELS = {"kk": _("государственный язык"), "ru": _("русский язык")}


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    type: str  # count | percent | date | text | links | choice | service | bool
    required: bool = True
    help: object = ""
    choices: tuple = ()
    kinds: tuple[str, ...] = ("central", "local")
    # annex 10 (criterion, indicator) pairs this report item is evidence for
    scores: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    key: str
    label: object
    columns: tuple[Field, ...]
    min_rows: int = 0
    extra_rows: int = 3


@dataclass(frozen=True)
class Section:
    key: str
    direction: str
    title: object
    source: str
    fields: tuple[Field, ...] = ()
    table: Table | None = None
    kinds: tuple[str, ...] = ("central", "local")
    required: bool = True
    help: object = ""
    # relations: (smaller field, larger field(s) summed) checked on the fields
    relations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    row_relations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # evidence required when a count is above zero: (count field, indicator, label, message)
    evidence_when: tuple[tuple[str, str, object, object], ...] = ()

    def fields_for(self, kind: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if kind in f.kinds)

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds

    def link_fields(self, kind: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields_for(kind) if f.type == "links")


def _count(key, label, **kw) -> Field:
    return Field(key, label, "count", **kw)


def _links(key, label, scores=(), **kw) -> Field:
    return Field(key, label, "links", required=kw.pop("required", False), scores=scores, **kw)


BASIS_CHOICES = (
    ("own_records", _("Собственный учёт органа")),
    ("internal_control", _("Внутренний государственный контроль (не источник, п.8)")),
)

EVENT_CATEGORIES = (
    ("closed", _("Без участия сторонних лиц")),
    ("stream", _("С анонсированием и онлайн-трансляцией")),
    ("stream_invited", _("С анонсированием, трансляцией и приглашением заинтересованных лиц")),
    ("full", _("С анонсированием, трансляцией, журналистами и вопросами в прямом эфире")),
)

DATED_COLUMNS = (
    Field("title", _("Документ / набор данных"), "text"),
    Field("column", _("Языковая версия"), "choice", choices=(("kk", _("государственный язык")),
                                                            ("ru", _("русский язык")))),
    Field("due_on", _("Срок размещения (актуализации)"), "date"),
    Field("published_on", _("Дата размещения (актуализации)"), "date"),
    Field("link", _("Ссылка"), "url"),
)

SECTIONS: tuple[Section, ...] = (
    # --- Quality of public services (p.27–44) -------------------------------------------------
    Section(
        "services",
        Direction.SERVICES,
        _("Данные по видам государственных услуг"),
        "p.31–44",
        help=_(
            "По каждому виду услуги из реестра: оказано, с нарушением срока, необоснованные "
            "отказы, при неполном пакете, истребование лишних документов, обоснованные жалобы. "
            "Для услуг, подключённых к ИС «Мониторинг», нарушения берутся из ИС «Мониторинг» "
            "и результатов проверок (п.37, п.40); данные внутреннего контроля не учитываются (п.8)."
        ),
        table=Table(
            "services",
            _("Виды услуг"),
            (
                Field("service", _("Услуга (код по реестру)"), "service"),
                Field("basis", _("Источник сведений"), "choice", choices=BASIS_CHOICES),
                _count("rendered", _("Оказано услуг")),
                _count("late", _("С нарушением срока")),
                _count("unjustified_refusals", _("Необоснованные отказы")),
                _count("incomplete_package", _("При неполном пакете документов")),
                _count("extra_documents", _("Истребование непредусмотренных документов")),
                _count("justified_complaints", _("Обоснованные жалобы на качество")),
            ),
            min_rows=1,
        ),
        row_relations=(
            ("late", ("rendered",)),
            ("unjustified_refusals", ("rendered",)),
            ("incomplete_package", ("rendered",)),
            ("extra_documents", ("rendered",)),
        ),
    ),
    Section(
        "automation",
        Direction.AUTOMATION,
        _("Автоматизация государственных услуг"),
        "p.45–53; annex 5",
        kinds=("central",),
        help=_("Проверяется и дополняется Министерством цифрового развития (приложение 5)."),
        fields=(
            _count("kinds_total", _("Видов услуг (без освобождённых МВК, п.48)")),
            _count("partially_automated", _("Частично автоматизировано видов")),
            _count("fully_automated", _("Полностью автоматизировано видов")),
            _count("electronic_volume", _("Оказано в электронном виде")),
            _count("total_volume", _("Оказано всего")),
            _count("automated_paper_volume", _("Оказано в бумажном виде (автоматизированные)")),
            _count("automated_total_volume", _("Оказано всего (автоматизированные)")),
            _count("mobile_available", _("Доступно в мобильных приложениях")),
            _count("proactive_services", _("Переведено в проактивный формат")),
            _count("digital_documents", _("Выпущено цифровых документов")),
        ),
        relations=(
            ("partially_automated", ("kinds_total",)),
            ("fully_automated", ("kinds_total",)),
            ("electronic_volume", ("total_volume",)),
            ("automated_paper_volume", ("automated_total_volume",)),
            ("mobile_available", ("partially_automated", "fully_automated")),
        ),
    ),
    # --- Openness (annex 9) -----------------------------------------------------------------
    Section(
        "t1_open_data",
        Direction.OPENNESS,
        _("Таблица 1. Открытые данные"),
        "p.60–62; annex 9, table 1",
        help=_(
            "Если срок размещения или актуализации приходится на нерабочий день, сроком "
            "считается следующий рабочий день (п.62)."
        ),
        fields=(
            _links("published", _("Наборы открытых данных по Единому перечню"),
                   scores=(("open_data", "published"), ("open_data", "correctness"))),
            _links("on_request", _("Наборы, опубликованные по запросам"),
                   scores=(("open_data", "on_request"),)),
            _links("needs_events", _("Мероприятия по выявлению потребностей населения"),
                   scores=(("open_data", "needs_events"),)),
            _links("api", _("Наборы, размещаемые автоматически через API"),
                   scores=(("open_data", "api_stimulus"),)),
        ),
        table=Table("publications", _("Сроки размещения и актуализации наборов"),
                    DATED_COLUMNS),
    ),
    Section(
        "t2_open_budget",
        Direction.OPENNESS,
        _("Таблица 2. Открытый бюджет (ЦГО)"),
        "p.63–67; annex 9, table 2",
        kinds=("central",),
        fields=(
            _links("financial_statements", _("Консолидированная финансовая отчётность"),
                   scores=tuple(("open_budget", k) for k in (
                       "fs_balance", "fs_results", "fs_cash_flows", "fs_net_assets", "fs_note"))),
            _links("strategic_plan_report", _("Отчёт о реализации стратегического плана"),
                   scores=(("open_budget", "strategic_plan_report"),)),
            _links("programme_reports", _("Отчёты о реализации бюджетных программ"),
                   scores=(("open_budget", "programme_reports"),)),
            _links("audit_results", _("Результаты государственного аудита и финансового контроля"),
                   scores=(("open_budget", "audit_results"),)),
            _links("drafts", _("Проекты бюджетных программ"),
                   scores=(("open_budget", "drafts_correctness"),
                           ("open_budget", "drafts_timeliness"))),
            _links("citizens_budget", _("Гражданский бюджет"),
                   scores=(("open_budget", "citizens_budget"),)),
            _links("comments", _("Комментарии и предложения пользователей"),
                   scores=(("open_budget", "comments"),)),
            _links("press_releases", _("Пресс-релизы о публичных обсуждениях"),
                   scores=(("open_budget", "press_releases"),)),
        ),
        table=Table("dated", _("Даты размещения"), DATED_COLUMNS),
    ),
    Section(
        "t3_open_budget",
        Direction.OPENNESS,
        _("Таблица 3. Открытый бюджет (МИО)"),
        "p.63–67; annex 9, table 3",
        kinds=("local",),
        fields=(
            _links("programme_reports", _("Отчёты о реализации бюджетных программ"),
                   scores=(("open_budget", "programme_reports"),)),
            _links("audit_results", _("Результаты государственного аудита и финансового контроля"),
                   scores=(("open_budget", "audit_results"),)),
            _links("citizens_budget", _("Гражданский бюджет"),
                   scores=(("open_budget", "citizens_budget"),)),
            _links("drafts", _("Проекты бюджетных программ"),
                   scores=(("open_budget", "drafts_correctness"),
                           ("open_budget", "drafts_timeliness"))),
            _links("comments", _("Комментарии и предложения пользователей"),
                   scores=(("open_budget", "comments"),)),
            _links("press_releases", _("Пресс-релизы о публичных обсуждениях"),
                   scores=(("open_budget", "press_releases"),)),
        ),
        table=Table("dated", _("Даты размещения"), DATED_COLUMNS),
    ),
    Section(
        "t4_open_npa",
        Direction.OPENNESS,
        _("Таблица 4. Открытые нормативные правовые акты"),
        "p.68–71; annex 9, table 4",
        fields=(
            _links("law_concepts", _("Проекты концепций законопроектов"), kinds=("central",),
                   scores=(("open_npa", "law_concepts"),)),
            _links("drafts_with_notes", _("Проекты НПА с пояснительными записками и "
                                          "сравнительными таблицами"),
                   scores=(("open_npa", "drafts_with_notes"),
                           ("open_npa", "forms_correctness"))),
            _links("comments", _("Комментарии пользователей к проектам НПА и АРВ"),
                   scores=(("open_npa", "comments"),)),
            _links("press_releases", _("Пресс-релизы о публичных обсуждениях"),
                   scores=(("open_npa", "press_releases"),)),
            _links("explanation_events", _("Мероприятия по разъяснению законопроектов"),
                   kinds=("central",), scores=(("open_npa", "explanation_events"),)),
        ),
        table=Table(
            "events",
            _("Мероприятия программ разъяснения (по степени публичности)"),
            (
                Field("title", _("Мероприятие"), "text"),
                Field("category", _("Степень публичности"), "choice", choices=EVENT_CATEGORIES),
                Field("link", _("Ссылка"), "url"),
            ),
        ),
    ),
    Section(
        "t5_open_dialogue",
        Direction.OPENNESS,
        _("Таблица 5. Открытый диалог"),
        "p.72–74; annex 9, table 5",
        fields=(
            _links("blog_questions", _("Вопросы на блог-платформе и ответы на них"),
                   scores=(("open_dialogue", "blog_answers"),)),
            _links("conferences_polls", _("Интернет-конференции и опросы"),
                   scores=(("open_dialogue", "conferences_polls"),)),
            _links("online_meetings", _("Открытые заседания в режиме онлайн-трансляции"),
                   scores=(("open_dialogue", "online_meetings"),)),
            _links("blog_posts_links", _("Записи в блоге первого руководителя")),
            _links("meetings_schedule", _("Встречи с населением по графику (анонсы)"),
                   scores=(("open_dialogue", "meetings_schedule"),)),
            _links("meetings_action_plan", _("Планы действий по проблемным вопросам"),
                   scores=(("open_dialogue", "meetings_action_plan"),)),
            _links("meetings_reception", _("Личный приём граждан"),
                   scores=(("open_dialogue", "meetings_reception"),)),
            _links("meetings_ngo", _("Встреча с НКО"), kinds=("central",),
                   scores=(("open_dialogue", "meetings_ngo"),)),
            _count("blog_posts", _("Записей в блоге первого руководителя за период")),
            _count("questions_received", _("Вопросов поступило на блог-платформу")),
            _count("questions_answered_on_time", _("Из них отвечено в срок")),
            _count("rated_answers", _("Ответов, оценённых пользователями")),
            _count("disliked_answers", _("Из них с оценкой «не нравится»")),
        ),
        relations=(
            ("questions_answered_on_time", ("questions_received",)),
            ("disliked_answers", ("rated_answers",)),
        ),
    ),
    Section(
        "t5_1_media",
        Direction.OPENNESS,
        _("Таблица 5-1. Открытость через СМИ"),
        "p.78–85; annex 9, table 5-1",
        fields=(
            _links("high_publicity_events", _("Мероприятия высокой степени публичности")),
            _count("events_high_publicity_kk",
                   _("Мероприятий высокой публичности (государственный язык)")),
            _count("events_high_publicity_ru", _("Мероприятий высокой публичности (русский язык)")),
            _count("events_total", _("Всего мероприятий информационной политики")),
            _count("requests_received", _("Запросов СМИ поступило")),
            _count("requests_answered", _("Запросов СМИ отвечено")),
            _count("requests_answered_late", _("Из них отвечено с нарушением срока")),
        ),
        relations=(
            ("events_high_publicity_kk", ("events_total",)),
            ("events_high_publicity_ru", ("events_total",)),
            ("requests_answered", ("requests_received",)),
            ("requests_answered_late", ("requests_answered",)),
        ),
    ),
    Section(
        "t6_subordinates",
        Direction.OPENNESS,
        _("Таблица 6. Открытость подведомственных организаций"),
        "p.86–90; annex 9, table 6",
        kinds=("central",),
        required=False,
        table=Table(
            "organisations",
            _("Подведомственные организации"),
            (
                Field("name", _("Организация"), "text"),
                Field("website", _("Интернет-ресурс (или раздел на сайте органа)"), "url"),
                Field("datasets", _("Наборы открытых данных"), "url", required=False),
                _count("blog_questions", _("Вопросов на блог-платформе"), required=False),
            ),
        ),
    ),
    # --- Complaints (p.92–104) ----------------------------------------------------------------
    Section(
        "complaints",
        Direction.COMPLAINTS,
        _("Жалобы и заявления: ИС «Единый учёт обращений» и форма 1-ОЛ"),
        "p.9, p.92–104",
        fields=(
            _count("received", _("Поступило жалоб и заявлений")),
            _count("handled", _("Рассмотрено")),
            _count("handled_late", _("Рассмотрено с нарушением срока")),
            _count("redirected_late", _("Перенаправлено с нарушением срока")),
            _count("court_upheld", _("Признано обоснованными по решению суда")),
            _count("disciplinary_actions", _("Принято мер дисциплинарной ответственности")),
            _count("excused", _("Случаи объективной невозможности (увольнение и т.п.)")),
        ),
        relations=(
            ("handled_late", ("handled",)),
            ("redirected_late", ("received",)),
            ("excused", ("handled_late", "redirected_late")),
        ),
        evidence_when=(
            ("court_upheld", "court_decisions", _("Решения судов"),
             _("Приложите решения судов, вступившие в законную силу.")),
        ),
    ),
)

SECTIONS_BY_KEY = {s.key: s for s in SECTIONS}


def sections_for(direction: str, kind: str) -> list[Section]:
    """The sections of a report of ``direction`` for a body of ``kind`` (central / local)."""
    return [s for s in SECTIONS if s.direction == direction and s.applies_to(kind)]


def element_sections(direction: str, kind: str) -> list[Section]:
    """The elements of a report (p.18: "приложения, разделы, таблицы"): each required section of
    the schema — a table of annex 9, the services table, the automation block, the complaints
    block. An element with none of its required content counts missing (an incompleteness fact,
    2 points); a section the schema does not require (table 6: subordinates) is never one."""
    return [s for s in sections_for(direction, kind) if s.required]


def content_paths(section: Section, kind: str) -> tuple[str, ...]:
    """The paths whose presence makes ``section`` not missing: its required fields and, when
    the table needs rows, ``rows``; where nothing is required (annex 9's lists of links), any of
    its fields or rows."""
    required = tuple(f"fields.{f.key}" for f in section.fields_for(kind) if f.required)
    if section.table is not None and section.table.min_rows:
        required += ("rows",)
    if required:
        return required
    every = tuple(f"fields.{f.key}" for f in section.fields_for(kind))
    return every + (("rows",) if section.table is not None else ())


def penalty_direction(direction: str) -> str:
    """The direction whose deduction a report's facts count in: the automation criterion is
    part of the services direction (p.45), so its report's facts count there."""
    return Direction.SERVICES if direction == Direction.AUTOMATION else direction


def report_directions(kind: str) -> list[str]:
    """Directions a body of ``kind`` reports on (automation only for central bodies)."""
    result = [Direction.SERVICES, Direction.OPENNESS, Direction.COMPLAINTS]
    if kind == "central":
        result.insert(1, Direction.AUTOMATION)
    return result


def evidence_indicators(section: Section, kind: str) -> list[tuple[str, object]]:
    """Indicators a document can be attached to in ``section`` ('' = the section itself)."""
    items = [("", _("Раздел в целом"))]
    items += [(f.key, f.label) for f in section.link_fields(kind)]
    items += [(key, label) for _count_key, key, label, _message in section.evidence_when]
    return items


def publication_deadline(due_on: date) -> date:
    """p.62: a publishing or updating deadline on a non-working day moves to the next working
    day."""
    from assessments.kernel.calendar import next_working_day

    return next_working_day(due_on)
