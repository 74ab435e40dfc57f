"""Reads of conclusions that pages share, always through the access rules."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from assessments.kernel import access
from assessments.models import Conclusion, Cycle, WindowOutcome

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


# The codes each conclusion prints, labelled by the conclusion's own direction (the codes repeat
# across directions: P1 is a services indicator and an openness criterion). The annexes'
# wording (annexes 3, 4, 5, 8, 12, 15); the summary rows have no code of their own on the page.
_SERVICES_INDICATORS = {
    "K1": CRITERION_LABELS["K1"],
    "P1": gettext_lazy("Уровень удовлетворенности качеством оказания государственных услуг"),
    "P2": gettext_lazy("Обжалование качества оказания государственных услуг"),
    "K2": CRITERION_LABELS["K2"],
    "T1": gettext_lazy("Соблюдение сроков оказания государственных услуг"),
    "T2": gettext_lazy("Необоснованные отказы в оказании государственных услуг"),
    "T3": gettext_lazy("Оказание государственных услуг при неполном пакете документов"),
    "T4": gettext_lazy("Истребование документов, не предусмотренных подзаконными нормативными "
                       "правовыми актами, определяющими порядок оказания государственной услуги"),
    "K3": CRITERION_LABELS["K3"],
    "T": gettext_lazy("Степень автоматизации государственных услуг"),
    "V": gettext_lazy("Эффективность автоматизации государственных услуг"),
    "C": gettext_lazy("Смартфонизация государственных услуг"),
    "P": gettext_lazy("Штрафной показатель «Длительность недоступности автоматизированных "
                      "государственных услуг»"),
    "D": gettext_lazy("Стимулирующий показатель «Внедрение проактивного формата оказания "
                      "государственных услуг»"),
    "S": gettext_lazy("Стимулирующий показатель «Реализация цифровых документов»"),
}
SUMMARY_LABELS = {
    "total": gettext_lazy("Общая оценка по критериям"),
    "penalty": gettext_lazy("Вычет штрафных баллов"),
    "final": gettext_lazy("Итоговая оценка с учетом вычета штрафных баллов"),
    "overall": gettext_lazy("Общая оценка"),
    "band": gettext_lazy("Степень эффективности"),
}
INDICATOR_LABELS = {
    "services": _SERVICES_INDICATORS,
    "automation": {code: _SERVICES_INDICATORS[code]
                   for code in ("K3", "T", "V", "C", "P", "D", "S")},
    "openness": {f"P{i}": CRITERION_LABELS[f"P{i}"] for i in range(1, 8)},
    "complaints": {f"R{i}": CRITERION_LABELS[f"R{i}"] for i in range(1, 5)},
    "block": {d: CRITERION_LABELS[d] for d in ("services", "openness", "complaints")},
}


def value_label(direction: str, code: str) -> tuple[str, object]:
    """(the code shown beside the label, the label) of one printed value of a ``direction``
    conclusion: an indicator or criterion keeps its code, a summary row shows its label alone;
    a code the direction does not know is shown as it is, never with another direction's
    label."""
    if code in SUMMARY_LABELS:
        return "", SUMMARY_LABELS[code]
    if direction == "block":
        return "", INDICATOR_LABELS["block"].get(code, code)
    return code, INDICATOR_LABELS.get(direction, {}).get(code, "")


def printed(value) -> str:
    """A value as the annexes print it: the engine's printed decimal with a decimal comma
    ("84.12" → "84,12"); an exact fraction of the engine's inputs ("330107/4256") as a decimal,
    exact when it has a finite expansion, otherwise to two places after "≈"; integers as they
    are; anything else (a band's name) unchanged."""
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    text = str(value)
    if "/" in text:
        try:
            fraction = Fraction(text)
        except (ValueError, ZeroDivisionError):
            return text
        d = fraction.denominator
        for p in (2, 5):
            while d % p == 0:
                d //= p
        if d == 1:
            exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
            return format(exact.normalize(), "f").replace(".", ",")
        rounded = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        return "≈" + str(rounded).replace(".", ",")
    try:
        Decimal(text)
    except ArithmeticError:
        return text
    return text.replace(".", ",")


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


def silent_windows(user, cycle: Cycle | None = None) -> QuerySet:
    """The conclusions ``user`` may see (of ``cycle``) whose objection window closed with neither
    an objection nor a "no objections" notice (p.111), for the coordinator's lists."""
    return conclusions_for(user, cycle).filter(window_outcome=WindowOutcome.SILENT).order_by(
        "objection_deadline", "body__name_ru", "annex")
