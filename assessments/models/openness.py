"""The assessors' scoring of openness (annex 10, tables 1–11): one row per indicator and
language column, and the body's special-rule flags, not-assessed indicators and subordinate
organisations' penalties. Indicator keys and maxima come from the edition (load_edition)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpennessScore(models.Model):
    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="openness_scores"
    )
    criterion = models.CharField(_("Критерий"), max_length=30)
    indicator = models.CharField(_("Показатель"), max_length=40)
    column = models.CharField(_("Языковая версия"), max_length=2)
    value = models.DecimalField(_("Балл"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("Комментарий"), blank=True)
    version = models.PositiveIntegerField(default=1)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Эксперт"),
    )
    scored_at = models.DateTimeField(_("Когда"))

    class Meta:
        ordering = ["cycle", "body", "criterion", "indicator", "column"]
        verbose_name = _("балл эксперта по открытости")
        verbose_name_plural = _("баллы экспертов по открытости")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "criterion", "indicator", "column"],
                name="openness_score_unique_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}.{self.indicator}.{self.column} = {self.value}"


class OpennessAssessment(models.Model):
    """Per body and cycle: flags (``{criterion: [flag, …]}``), indicators not assessed (secret
    or ДСП budget, p.67) and subordinate organisations' penalties (``{key: {kk, ru}}``)."""

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    flags = models.JSONField(_("Особые правила"), default=dict, blank=True)
    not_assessed = models.JSONField(_("Не оцениваемые показатели"), default=list, blank=True)
    subordinate_penalties = models.JSONField(
        _("Штрафы подведомственных организаций"), default=dict, blank=True
    )
    website_monitored_on = models.DateField(_("Дата мониторинга сайта"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("оценка открытости органа")
        verbose_name_plural = _("оценки открытости органов")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "body"], name="openness_assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.cycle})"
