"""The fields of a scoring input, labelled, for the pages that show and edit a case.

A case (SCORING_IO.md) is plain JSON; the input page lists its numbers with their sources and the
what-if page edits them. Both need each number's label, in the methodology's words, and its place
(direction, criterion). :func:`case_fields` lists them for a body's kind from the edition (which
indicators each criterion has, which flags it takes), so a new edition needs no code here.

:func:`read_whatif_form` turns a submitted what-if form back into a case: it starts from the
stored case and replaces each field's value by the submitted text (an empty field removes the
value; ``2,5`` is read as ``2.5``; spaces inside numbers are ignored), leaving the engine to judge
the result — the page shows the engine's error next to the field it names.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessments.scoring import ScoringError, load_edition

COLUMNS = ("kk", "ru")
COLUMN_LABELS = {"kk": _("каз."), "ru": _("рус.")}

SERVICES_COUNTS = {
    "rendered": _("Оказано государственных услуг (b, b1)"),
    "justified_complaints": _("Обоснованные жалобы на качество (i)"),
    "late": _("Услуги, оказанные с нарушением сроков (a)"),
    "unjustified_refusals": _("Необоснованные отказы (a)"),
    "incomplete_package": _("Оказано при неполном пакете документов (c)"),
    "extra_documents": _("Истребование документов, не предусмотренных НПА (e)"),
}
AUTOMATION = {
    "kinds_total": _("Видов услуг, всего (n)"),
    "partially_automated": _("Частично автоматизированные виды (c)"),
    "fully_automated": _("Полностью автоматизированные виды (d)"),
    "electronic_volume": _("Оказано в электронном виде (e)"),
    "total_volume": _("Оказано всего (z)"),
    "automated_paper_volume": _("Автоматизированные услуги, оказанные на бумаге (b)"),
    "automated_total_volume": _("Автоматизированные услуги, оказано всего (c)"),
    "mobile_available": _("Доступно в мобильных приложениях (w)"),
    "unavailability_hours": _("Часы недоступности (t)"),
    "proactive_services": _("Услуги, переведённые в проактивный формат (q)"),
    "digital_documents": _("Выпущенные цифровые документы (l)"),
}
CRITERIA = {
    "open_data": _("Открытые данные (P1)"),
    "open_budget": _("Открытый бюджет (P2)"),
    "open_npa": _("Открытые НПА (P3)"),
    "open_dialogue": _("Открытый диалог (P4)"),
    "website": _("Наполнение интернет-ресурса (P5)"),
}
INDICATORS = {
    "published": _("Наборы данных по Единому перечню"),
    "on_request": _("Дополнительные наборы по запросам"),
    "timeliness": _("Своевременность публикации"),
    "correctness": _("Корректность и полнота"),
    "needs_events": _("Мероприятия по выявлению потребностей"),
    "api_stimulus": _("Стимул: автоматизированное размещение через API"),
    "fs_balance": _("Бухгалтерский баланс"),
    "fs_results": _("Отчёт о результатах финансовой деятельности"),
    "fs_cash_flows": _("Отчёт о движении денег"),
    "fs_net_assets": _("Отчёт об изменениях в чистых активах"),
    "fs_note": _("Пояснительная записка"),
    "strategic_plan_report": _("Отчёт о реализации стратегического плана"),
    "programme_reports": _("Отчёты о реализации бюджетных программ"),
    "audit_results": _("Результаты государственного аудита"),
    "citizens_budget": _("Гражданский бюджет"),
    "materials_correctness": _("Корректность и полнота материалов"),
    "materials_timeliness": _("Своевременность материалов"),
    "drafts_correctness": _("Корректность проектов бюджетных программ"),
    "drafts_timeliness": _("Своевременность проектов бюджетных программ"),
    "comments": _("Мониторинг и обработка комментариев"),
    "press_releases": _("Пресс-релизы о публичных обсуждениях"),
    "law_concepts": _("Концепции проектов законов"),
    "drafts_with_notes": _("Проекты НПА с пояснительными записками и сравнительными таблицами"),
    "forms_correctness": _("Корректность форм"),
    "explanation_events": _("Разъяснение проектов законов"),
    "blog_answers": _("Ответы на вопросы блог-платформы в срок"),
    "conferences_polls": _("Интернет-конференции и опросы"),
    "blog_posts": _("Блог первого руководителя"),
    "online_meetings": _("Онлайн-трансляция заседаний коллегии"),
    "meetings_schedule": _("Встречи с населением: соблюдение графика"),
    "meetings_action_plan": _("Встречи с населением: план мероприятий"),
    "meetings_reception": _("Личный приём граждан"),
    "meetings_ngo": _("Встреча с НПО"),
    "contacts": _("Контакты и сведения о руководстве"),
    "budget_spending": _("Расходование бюджетных средств"),
    "inspections": _("Результаты проверок"),
    "lawmaking": _("Нормотворческая деятельность"),
    "statistics": _("Отраслевая статистика"),
    "ask_question": _("Ответы в сервисе «Задать вопрос»"),
}
FLAGS = {
    "no_requests_and_needs_events_held": _(
        "Запросов не было, все мероприятия по выявлению потребностей проведены (п.62)"
    ),
    "no_unified_list_datasets": _("В системах органа нет наборов Единого перечня"),
    "no_press_releases": _("Не было пресс-релизов о публичных обсуждениях"),
    "no_state_audit": _("Государственный аудит в периоде не проводился (п.67)"),
    "no_drafts_planned": _("Разработка проектов не планировалась (п.71)"),
    "no_user_comments": _("Комментариев пользователей не было (п.71)"),
}
DIALOGUE_RAW = {
    "blog_posts": _("Записей в блоге первого руководителя"),
    "rated_answers": _("Оценённых ответов блог-платформы"),
    "disliked_answers": _("Ответов с оценкой «не нравится»"),
}
MEDIA = {
    "events_total": _("Проведено мероприятий (b)"),
    "requests_received": _("Поступило запросов СМИ (a)"),
    "requests_answered": _("Дано ответов (b)"),
    "requests_answered_late": _("Из них с нарушением срока (c)"),
    "media_satisfied_percent": _("Доля удовлетворённых СМИ, % (C)"),
    "population_satisfied_percent": _("Удовлетворённость населения освещением, % (D)"),
}
SUBORDINATE_PENALTIES = {
    "website_missing": _("Нет сведений на интернет-ресурсе (табл. 9)"),
    "datasets_missing": _("Наборы данных не опубликованы (табл. 10)"),
    "datasets_not_updated": _("Наборы данных не обновлены в срок (табл. 10)"),
    "datasets_incorrect": _("Наборы данных заполнены некорректно (табл. 10)"),
    "no_blog": _("Нет блога первого руководителя (табл. 11)"),
    "answers_below_90": _("Доля ответов на вопросы ниже 90 % (табл. 11)"),
}
COMPLAINTS = {
    "handled": _("Рассмотрено жалоб и заявлений (p)"),
    "handled_late": _("Рассмотрено с нарушением сроков (f)"),
    "court_upheld": _("Признано обоснованными решением суда (a)"),
    "received": _("Поступило (m)"),
    "redirected_late": _("Перенаправлено с нарушением сроков (n)"),
    "disciplinary_actions": _("Принято мер дисциплинарной ответственности"),
    "excused": _("Меры невозможны объективно (увольнение)"),
}
PENALTIES = {
    "unreliable_facts": _("Факты недостоверных сведений (0,2 балла)"),
    "incomplete_facts": _("Факты неполных сведений (2 балла)"),
}
DIRECTION_LABELS = {
    "services": _("Качество оказания государственных услуг"),
    "openness": _("Открытость государственного органа"),
    "complaints": _("Качество рассмотрения жалоб и заявлений"),
}


@dataclass
class CaseField:
    """One editable value of a case: its JSON path, label and kind of input."""

    path: str
    label: Any
    kind: str  # "count", "number", "levels", "flag", "bool"
    direction: str
    group: Any = ""
    flag: str = ""  # for kind "flag": the flag's name (the path is the list's)
    hint: Any = ""

    @property
    def name(self) -> str:
        """The form field's name (the path; a flag's is the list's path + ":" + flag)."""
        return f"{self.path}:{self.flag}" if self.flag else self.path


@dataclass
class FieldGroup:
    direction: str
    label: Any
    fields: list[CaseField] = field(default_factory=list)


def case_fields(kind: str, edition: str = "2023") -> list[FieldGroup]:
    """The editable values of a case for a body of ``kind``, grouped for a form."""
    ed = load_edition(edition)
    groups: list[FieldGroup] = []

    g = FieldGroup("services", _("Удовлетворённость и обеспечение качества (K1, K2)"))
    g.fields.append(
        CaseField("services.satisfaction_levels", _("Уровни удовлетворённости по видам услуг"),
                  "levels", "services", hint=_("через точку с запятой, например 4,85; 4,61"))
    )  # fmt: skip
    for key, label in SERVICES_COUNTS.items():
        g.fields.append(CaseField(f"services.{key}", label, "count", "services"))
    groups.append(g)
    if kind == "central":
        g = FieldGroup("services", _("Автоматизация государственных услуг (K3)"))
        for key, label in AUTOMATION.items():
            number = key == "unavailability_hours"
            g.fields.append(
                CaseField(f"services.automation.{key}", label, "number" if number else "count",
                          "services")
            )  # fmt: skip
        groups.append(g)

    tables = ed.criteria[kind]
    for name, table in tables.items():
        g = FieldGroup("openness", CRITERIA.get(name, name))
        for ind, mx in table.indicators:
            if ind in table.computed:
                continue
            for col in COLUMNS:
                g.fields.append(
                    CaseField(
                        f"openness.{name}.scores.{ind}.{col}",
                        INDICATORS.get(ind, ind),
                        "number",
                        "openness",
                        group=COLUMN_LABELS[col],
                        hint=_("не более %(max)s") % {"max": mx.text},
                    )
                )
        for flag in table.flags:
            g.fields.append(
                CaseField(f"openness.{name}.flags", FLAGS.get(flag, flag), "flag", "openness",
                          flag=flag)
            )  # fmt: skip
        if table.not_assessed_allowed:
            for ind, _mx in table.indicators:
                g.fields.append(
                    CaseField(
                        f"openness.{name}.not_assessed",
                        INDICATORS.get(ind, ind),
                        "flag",
                        "openness",
                        flag=ind,
                        group=_("Не оценивается (бюджет секретный или ДСП, п.67)"),
                    )
                )
        if name == "open_dialogue":
            for key, label in DIALOGUE_RAW.items():
                g.fields.append(CaseField(f"openness.{name}.{key}", label, "count", "openness"))
        groups.append(g)

    g = FieldGroup("openness", _("Открытость через СМИ (P6)"))
    for col in COLUMNS:
        g.fields.append(
            CaseField(f"openness.media.events_high_publicity.{col}",
                      _("Мероприятия высокой публичности (a)"), "count", "openness",
                      group=COLUMN_LABELS[col])
        )  # fmt: skip
    for key, label in MEDIA.items():
        number = key.endswith("_percent")
        g.fields.append(
            CaseField(f"openness.media.{key}", label, "number" if number else "count", "openness")
        )
    groups.append(g)
    if kind == "central":
        g = FieldGroup("openness", _("Подведомственные организации (P7, штраф)"))
        for key, label in SUBORDINATE_PENALTIES.items():
            for col in COLUMNS:
                g.fields.append(
                    CaseField(f"openness.subordinates.penalties.{key}.{col}", label, "bool",
                              "openness", group=COLUMN_LABELS[col])
                )  # fmt: skip
        groups.append(g)

    g = FieldGroup("complaints", _("Жалобы и заявления (R1–R4)"))
    for key, label in COMPLAINTS.items():
        g.fields.append(CaseField(f"complaints.{key}", label, "count", "complaints"))
    groups.append(g)

    for direction in DIRECTION_LABELS:
        g = FieldGroup(direction, _("Штрафные баллы по итогам перепроверки (п.20)"))
        for key, label in PENALTIES.items():
            g.fields.append(CaseField(f"penalties.{direction}.{key}", label, "count", direction))
        groups.append(g)
    return groups


# --- Reading values from a case and from a submitted form ---------------------------------


def get_path(case: Any, path: str) -> Any:
    node = case
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(case: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node = case
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            if value is None:
                return
            node[part] = {}
        node = node[part]
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_initial(case: dict, groups: list[FieldGroup]) -> dict[str, Any]:
    """``{field name: value shown}`` for a case (numbers as text, flags and booleans as bool)."""
    out: dict[str, Any] = {}
    for g in groups:
        for f in g.fields:
            value = get_path(case, f.path)
            if f.kind == "flag":
                out[f.name] = isinstance(value, list) and f.flag in value
            elif f.kind == "bool":
                out[f.name] = value is True
            elif f.kind == "levels":
                out[f.name] = "; ".join(_text(v) for v in value) if isinstance(value, list) else ""
            else:
                out[f.name] = _text(value)
    return out


_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _number_text(raw: str) -> str:
    """Read a number as typed: spaces (thousands) dropped, a decimal comma made a point."""
    return _SPACES.sub("", raw).replace(",", ".")


def read_whatif_form(
    base: dict, groups: list[FieldGroup], data, directions: tuple[str, ...]
) -> dict:
    """The case ``base`` with the values of the submitted ``data`` (a QueryDict) for the fields
    of ``directions``. A direction (or a penalties entry) left with no value at all is dropped
    from the case, as if never given."""
    case = copy.deepcopy(base)
    flags: dict[str, list[str]] = {}
    for g in groups:
        if g.direction not in directions:
            continue
        for f in g.fields:
            if f.kind == "flag":
                current = get_path(base, f.path)
                lst = flags.setdefault(
                    f.path,
                    [x for x in current if isinstance(x, str)] if isinstance(current, list) else [],
                )
                if data.get(f.name):
                    if f.flag not in lst:
                        lst.append(f.flag)
                elif f.flag in lst:
                    lst.remove(f.flag)
            elif f.kind == "bool":
                _set(case, f.path, bool(data.get(f.name)) or None)
            elif f.kind == "levels":
                raw = str(data.get(f.name, ""))
                _set(case, f.path, [_number_text(x) for x in raw.split(";") if x.strip()])
            else:
                _set(case, f.path, _number_text(str(data.get(f.name, ""))) or None)
    for path, lst in flags.items():
        _set(case, path, lst or None)
    for direction in directions:
        if direction in case and _is_empty(case[direction]):
            del case[direction]
        penalties = case.get("penalties")
        if isinstance(penalties, dict) and _is_empty(penalties.get(direction, 0)):
            penalties.pop(direction, None)
    if case.get("penalties") == {}:
        del case["penalties"]
    return case


def _is_empty(block: Any) -> bool:
    """No value at all in ``block`` (nested empty objects and lists, no numbers)."""
    if isinstance(block, dict):
        return all(_is_empty(v) for v in block.values())
    if isinstance(block, list):
        return all(_is_empty(v) for v in block)
    return block is None or block == "" or block is False


# --- Errors, in the user's language -------------------------------------------------------

_GENERIC = (
    (re.compile(r"^required"), _("Значение обязательно.")),
    (re.compile(r"not a decimal number|must be a number|finite|out of the supported range"),
     _("Введите число, например 12,5.")),
    (re.compile(r"whole number"), _("Введите целое неотрицательное число.")),
    (re.compile(r"must not be negative"), _("Значение не может быть отрицательным.")),
    (re.compile(r"zero base"), _("При нулевой базе нарушений быть не может.")),
    (re.compile(r"exceeds"), _("Значение больше допустимого.")),
    (re.compile(r"^unknown"), _("Недопустимое значение.")),
)  # fmt: skip


def error_text(error: ScoringError):
    """A translated generic wording for an engine error (the page adds the path and the
    engine's own message)."""
    for pattern, text in _GENERIC:
        if pattern.search(error.message):
            return text
    return _("Здесь это значение не допускается.")
