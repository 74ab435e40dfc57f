"""Reads of conclusions that pages share, always through the access rules."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from assessments.kernel import access
from assessments.models import Conclusion, Cycle

# The criteria a conclusion prints, by code (the annexes' wording), shared by the conclusion's
# editor and the disagreement table's form.
CRITERION_LABELS = {
    "K1": gettext_lazy("Удовлетворенность услугополучателей качеством оказания "
                       "государственных услуг"),
    "K2": gettext_lazy("Обеспечение качества оказания государственных услуг"),
    "K3": gettext_lazy("Автоматизация государственных услуг"),
    "P1": gettext_lazy("Открытые данные"),
    "P2": gettext_lazy("Открытый бюджет"),
    "P3": gettext_lazy("Открытые нормативные правовые акты"),
    "P4": gettext_lazy("Открытый диалог"),
    "P5": gettext_lazy("Наполнение официального интернет-ресурса"),
    "P6": gettext_lazy("Открытость через СМИ"),
    "P7": gettext_lazy("Открытость подведомственных организаций"),
    "R1": gettext_lazy("Соблюдение сроков рассмотрения жалоб и заявлений"),
    "R2": gettext_lazy("Доля жалоб и заявлений, признанных обоснованными по решению суда"),
    "R3": gettext_lazy("Соблюдение сроков перенаправления жалоб и заявлений"),
    "R4": gettext_lazy("Внутренний контроль за качеством рассмотрения жалоб и заявлений"),
    "services": gettext_lazy("Качество оказания государственных услуг"),
    "openness": gettext_lazy("Открытость государственного органа"),
    "complaints": gettext_lazy("Качество рассмотрения жалоб и заявлений"),
}


def conclusions_for(user, cycle: Cycle | None = None) -> QuerySet:
    """The conclusions ``user`` may see (of ``cycle``), with what the list pages print."""
    qs = access.visible(user, Conclusion).select_related(
        "cycle", "body", "evaluator", "signed_document"
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("body__name_ru", "annex", "-version")


def conclusion_for_page(user, pk: int):
    return access.get_visible_or_404(
        user,
        Conclusion.objects.select_related(
            "cycle", "body", "evaluator", "score_sheet", "supersedes", "signed_document",
            "rendered_document", "submitted_by", "approved_by", "issued_by",
        ),
        pk=pk,
    )
