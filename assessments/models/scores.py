"""Stored scoring inputs and scores (p.4, p.40–106; SCORING_IO.md).

``ScoringInput`` is what the engine scores for one body in one cycle: exactly one SCORING_IO.md
case, versioned. A version is never changed: every change of a number is a new version, written
by ``services.scoring_inputs`` with the source of each number and an audit entry.

``case`` is always a *valid* case (the engine's input, checked by ``validate_case`` on every
save). While data is still being collected a direction may be incomplete (required counts
missing, a peer average not computed yet): such a direction is kept in ``draft`` — the same shape
as the case's direction blocks — and moves into ``case`` by itself once it validates.

``ScoreSheet`` is what the engine returned for one direction (or the overall row) of one input
version. The latest sheet per (cycle, body, direction) is current (``is_current``); older ones
are kept as history.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FastJSONField(models.JSONField):
    """A JSON field read with orjson (the same values as ``json.loads``, several times faster:
    a national recompute reads 2,700 cases, ≈ 14 MB); ``json`` is the fallback for what orjson
    refuses (integers beyond 64 bits)."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str) and self.decoder is None:
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        return super().from_db_value(value, expression, connection)


class TextJSONField(FastJSONField):
    """A JSON field kept as PostgreSQL ``json`` (the text as written) rather than ``jsonb``.

    For documents stored whole and read whole, never queried inside — a score sheet's
    explanation (≈ 4 KB a sheet, 45 MB for a national cycle): ``jsonb`` parses and re-encodes
    every document on the way in, which made a national recompute's sheet writes twice as slow.
    Elsewhere (SQLite) the same as ``JSONField``."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):
            return value  # psycopg's json loader has parsed it already
        return super().from_db_value(value, expression, connection)


# The kinds of source a number of a scoring input may come from (``ScoringInput.sources``).
SOURCE_KINDS = ("report", "import", "assessor", "finding", "peer_average", "decision", "admin")


class ScoringInput(models.Model):
    """One version of one body's scoring input in a cycle (SCORING_IO.md input).

    * ``case`` — a valid SCORING_IO.md case: only complete directions;
    * ``draft`` — ``{direction: block}`` for directions still incomplete (not scored yet);
    * ``sources`` — ``{JSON path: {"kind", "ref", "label"}}``; a path's source covers the values
      below it (the longest matching prefix wins; ``""`` covers the whole case);
    * ``reason`` — why this version was made (shown in the history and the audit trail).
    """

    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.CASCADE,
        related_name="scoring_inputs",
        verbose_name=_("Цикл"),
    )
    body = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.PROTECT,
        related_name="scoring_inputs",
        verbose_name=_("Оцениваемый орган"),
    )
    version = models.PositiveIntegerField(_("Версия"))
    case = FastJSONField(_("Исходные данные оценки"))
    draft = models.JSONField(_("Неполные направления"), default=dict, blank=True)
    sources = models.JSONField(_("Источники данных"), default=dict, blank=True)
    reason = models.TextField(_("Основание"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кем создано"),
    )
    created_at = models.DateTimeField(_("Создано"))

    class Meta:
        ordering = ["cycle", "body", "-version"]
        verbose_name = _("исходные данные оценки")
        verbose_name_plural = _("исходные данные оценки")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "version"], name="scoring_input_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="scoring_input_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.cycle} · v{self.version}"

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: a version is never rewritten (a change is a new
        # version made by services.scoring_inputs).
        if self.pk is not None and not self._state.adding:
            raise ValueError("a scoring input version is never updated; create a new version")
        super().save(*args, **kwargs)


class ScoreSheet(models.Model):
    """The engine's result for one direction of one scoring input version.

    ``direction`` is ``services``, ``openness``, ``complaints`` or ``overall``. ``values`` holds
    the engine's printed values for the direction (``{"P1": "9.00", …, "final": "84.12"}``; for
    the overall row ``{"overall": "65.73", "band": "low"}``) or is empty when the direction is
    not scored (omitted or incomplete: ``final`` is then null); ``explain`` holds the engine's
    ``explain`` entries of that direction (keys as the engine prints them, e.g. ``services.T1``).
    ``digest`` is the SHA-256 of the result, so a recompute stores a sheet only when the input
    version or the result changed.
    """

    class Direction(models.TextChoices):
        SERVICES = "services", _("Качество оказания государственных услуг")
        OPENNESS = "openness", _("Открытость государственного органа")
        COMPLAINTS = "complaints", _("Качество рассмотрения жалоб и заявлений")
        OVERALL = "overall", _("Итоговая оценка")

    class Band(models.TextChoices):
        """Степень эффективности (p.108)."""

        HIGH = "high", _("Высокая степень эффективности")
        MEDIUM = "medium", _("Средняя степень эффективности")
        LOW = "low", _("Низкая степень эффективности")
        INEFFECTIVE = "ineffective", _("Деятельность неэффективна")

    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.CASCADE,
        related_name="score_sheets",
        verbose_name=_("Цикл"),
    )
    body = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.PROTECT,
        related_name="score_sheets",
        verbose_name=_("Оцениваемый орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    scoring_input = models.ForeignKey(
        ScoringInput,
        on_delete=models.PROTECT,
        related_name="score_sheets",
        verbose_name=_("Версия исходных данных"),
    )
    values = models.JSONField(_("Значения"), default=dict, blank=True)
    final = models.DecimalField(
        _("Итоговый балл"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    band = models.CharField(_("Уровень"), max_length=20, choices=Band.choices, blank=True)
    explain = TextJSONField(_("Обоснование"), default=dict, blank=True)
    digest = models.CharField(_("Контрольная сумма результата"), max_length=64)
    is_current = models.BooleanField(_("Текущий"), default=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кем рассчитано"),
    )
    computed_at = models.DateTimeField(_("Когда рассчитано"))

    class Meta:
        ordering = ["cycle", "body", "direction", "-computed_at", "-id"]
        verbose_name = _("расчёт оценки")
        verbose_name_plural = _("расчёты оценки")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "direction"],
                condition=models.Q(is_current=True),
                name="score_sheet_one_current",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "direction", "is_current", "final"]),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.get_direction_display()} · {self.final}"


class EnteredInput(models.Model):
    """A number of the scoring input that no source holds, entered by an assessor of the
    evaluating body with its source (a report never submitted, an element missing: the
    assessment goes on from what the assessor establishes, never from a silent zero). The
    assembly takes it only where neither a report nor an import gives the path."""

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.CASCADE,
                              related_name="entered_inputs", verbose_name=_("Цикл"))
    body = models.ForeignKey("assessments.Organisation", on_delete=models.CASCADE,
                             related_name="entered_inputs", verbose_name=_("Оцениваемый орган"))
    path = models.CharField(_("Поле исходных данных"), max_length=200)
    value = models.JSONField(_("Значение"))
    source = models.CharField(_("Источник"), max_length=500)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("Кем внесено"))
    entered_at = models.DateTimeField(_("Когда внесено"))

    class Meta:
        ordering = ["cycle", "body", "path"]
        verbose_name = _("значение, внесённое экспертом")
        verbose_name_plural = _("значения, внесённые экспертами")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "body", "path"],
                                    name="entered_input_once_per_path"),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.path} = {self.value}"
