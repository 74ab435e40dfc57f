"""The assessment cycle: a reporting period, its methodology edition and its schedule (p.4)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.kernel.validators import validate_edition

from .directions import Direction


class Cycle(models.Model):
    """One yearly assessment: the reporting ``year``, the methodology ``edition`` it is scored by
    (a code of ``assessments/scoring/editions/``), and its schedule (График, p.4).

    ``code`` is the cycle's stable identifier in URLs and exports (usually the year; a demo or a
    rerun may use another), so several cycles of one year can coexist.
    """

    code = models.SlugField(_("Код"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("Отчётный период (год)"))
    edition = models.CharField(
        _("Редакция Методики"), max_length=20, validators=[validate_edition]
    )
    title = models.CharField(_("Наименование"), max_length=255, blank=True)
    is_current = models.BooleanField(_("Текущий цикл"), default=False)
    # The body's term to sign the reconciliation act (p.19–20; the seed sets none): working days
    # after the act reaches it. 5 = the methodology's own term for a body's answer (p.109).
    act_signing_working_days = models.PositiveSmallIntegerField(
        _("Срок подписания акта сверки органом, рабочих дней"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    created_at = models.DateTimeField(_("Создан"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("цикл оценки")
        verbose_name_plural = _("циклы оценки")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="cycle_only_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Оценка за %(year)s год") % {"year": self.year})

    @property
    def period_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def period_end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def names_on(self) -> date:
        """The day whose names of bodies the cycle prints: the last day of its period."""
        return self.period_end


class Milestone(models.Model):
    """A dated step of the cycle's schedule (p.4 График): submission, re-verification, ….

    ``code`` identifies the milestone for the code that depends on it (a report's submission
    deadline is the milestone ``submission`` of its cycle, optionally per direction).
    """

    class Code(models.TextChoices):
        SUBMISSION = "submission", _("Представление отчётной информации")
        MONITORING_DATA = "monitoring_data", _("Данные ИС «Мониторинг» (п.39)")
        REVERIFICATION = "reverification", _("Завершение перепроверки")
        AUTOMATION_CONCLUSION = "automation_conclusion", _("Заключение по автоматизации (прил. 5)")
        CONCLUSIONS = "conclusions", _("Направление заключений")
        APPEALS = "appeals", _("Завершение обжалования")
        BLOCK_CONCLUSIONS = "block_conclusions", _("Заключения по блоку (прил. 15)")
        OTHER = "other", _("Иное")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Цикл")
    )
    code = models.CharField(_("Код"), max_length=30, choices=Code.choices)
    direction = models.CharField(
        _("Направление"), max_length=20, choices=Direction.choices, blank=True
    )
    name_ru = models.CharField(_("Наименование (рус.)"), max_length=255)
    name_kk = models.CharField(_("Наименование (каз.)"), max_length=255)
    due_on = models.DateField(_("Срок"))
    note = models.CharField(_("Примечание"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("Изменено"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кем изменено"),
    )

    class Meta:
        ordering = ["cycle", "due_on", "code"]
        verbose_name = _("этап графика")
        verbose_name_plural = _("график")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code", "direction"],
                condition=~models.Q(code="other"),
                name="milestone_unique_code_per_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.due_on:%d.%m.%Y}"

    @property
    def name(self) -> str:
        return self.name_kk if get_language() == "kk" and self.name_kk else self.name_ru


class AssessorAssignment(models.Model):
    """An assessor assigned to a body × direction in a cycle.

    This is what "took part in that body's assessment" means for the special commission's
    composition (p.113): a removed assignment is kept (``removed_at``) because the person did take
    part until then.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Цикл")
    )
    body = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.PROTECT,
        related_name="assessor_assignments",
        verbose_name=_("Оцениваемый орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessor_assignments",
        verbose_name=_("Эксперт"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кем назначен"),
    )
    assigned_at = models.DateTimeField(_("Когда назначен"))
    removed_at = models.DateTimeField(_("Когда снят"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "body__name_ru", "direction"]
        verbose_name = _("назначение эксперта")
        verbose_name_plural = _("назначения экспертов")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "direction", "assessor"],
                name="assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.body} ({self.get_direction_display()}, {self.cycle})"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
