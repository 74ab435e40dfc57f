"""Template helpers of the scores pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

SOURCE_KINDS = {
    "report": _("Отчёт органа"),
    "import": _("Импорт из информационной системы"),
    "assessor": _("Оценка эксперта"),
    "finding": _("Перепроверка"),
    "peer_average": _("Средний балл"),
    "decision": _("Решение специальной комиссии"),
    "admin": _("Администратор"),
}

BANDS = {
    "high": _("Высокая степень эффективности"),
    "medium": _("Средняя степень эффективности"),
    "low": _("Низкая степень эффективности"),
    "ineffective": _("Деятельность неэффективна"),
}


@register.filter
def source_kind(kind: str) -> str:
    return SOURCE_KINDS.get(kind, kind)


@register.filter
def band_label(band: str) -> str:
    return BANDS.get(band, band or "—")


@register.filter
def value_text(value) -> str:
    """A case value as shown: lists joined, booleans as yes/no, nothing as a dash."""
    if value is None:
        return "—"
    if value is True:
        return str(_("да"))
    if value is False:
        return str(_("нет"))
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return "{}" if not value else ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def field_id(name: str) -> str:
    """An HTML id for a case path (``openness.open_data.flags:no_x`` → ``f-openness-…``)."""
    return "f-" + "".join(c if c.isalnum() or c == "_" else "-" for c in name)


@register.filter
def score(value) -> str:
    """A stored score as the engine prints it (``"84.12"``, a point whatever the language), or a
    dash; so the lists, the explanations and ``score_case`` read alike."""
    if value is None or value == "":
        return "—"
    return str(value)
