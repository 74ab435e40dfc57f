"""Reports of evaluated bodies per cycle × body × direction (p.8–11, annex 9), their sections,
and the body's policy on who submits.

A report is a django-fsm state machine (p.8–11; ARCHITECTURE.md):

    draft → submitted → under_review → accepted
                        under_review → returned → draft
    draft | returned → not_submitted (closed by the evaluating body's unit head after the
                       deadline, with a reason) → draft (reopened until a conclusion is drafted)

Transition methods only change the model; the services in ``services/reports.py`` check who may
fire them and when, log them and notify. Accepting locks the data: sections are editable only in
``draft`` (and ``returned``, which reopens to draft on the first edit), and the evaluator of the
automation criterion may complete the automation data while reviewing it (annex 5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from .directions import Direction


class Report(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SUBMITTED = "submitted", _("Представлен")
        UNDER_REVIEW = "under_review", _("На рассмотрении")
        RETURNED = "returned", _("Возвращён на доработку")
        ACCEPTED = "accepted", _("Принят")
        NOT_SUBMITTED = "not_submitted", _("Не представлен")

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="reports",
        verbose_name=_("Цикл"),
    )
    body = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="reports",
        verbose_name=_("Оцениваемый орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    state = FSMField(
        _("Состояние"), max_length=20, choices=State.choices, default=State.DRAFT, protected=True
    )
    deadline = models.DateField(_("Срок представления"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("Представлен"), null=True, blank=True)
    submitted_on = models.DateField(_("Дата представления"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем представлен"),
    )
    first_submitted_on = models.DateField(_("Впервые представлен"), null=True, blank=True)
    late = models.BooleanField(_("С нарушением срока"), default=False)
    late_days = models.PositiveIntegerField(_("Дней просрочки"), default=0)
    returned_times = models.PositiveIntegerField(_("Возвращался на доработку, раз"), default=0)
    # The report's version: the number of its submission (1 the first time, one more each time
    # it is submitted again after a return); annex 9 is kept with the version it was made from.
    # A closure as not submitted is a version too: the incompleteness facts of the current
    # version are the ones that count (p.18).
    version = models.PositiveIntegerField(_("Версия (номер представления)"), default=0)
    review_started_at = models.DateTimeField(_("Рассмотрение начато"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Рассматривает"),
    )
    accepted_at = models.DateTimeField(_("Принят"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем принят"),
    )
    return_comment = models.TextField(_("Общий комментарий при возврате"), blank=True)
    closed_reason = models.TextField(_("Причина закрытия как не представленного"), blank=True)
    closed_at = models.DateTimeField(_("Закрыт как не представленный"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем закрыт"),
    )
    created_at = models.DateTimeField(_("Создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Изменён"), auto_now=True)

    class Meta:
        ordering = ["cycle", "body__name_ru", "direction"]
        verbose_name = _("отчёт")
        verbose_name_plural = _("отчёты")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "direction"], name="report_unique_per_direction"
            ),
        ]
        indexes = [models.Index(fields=["cycle", "direction", "state"])]

    def __str__(self) -> str:
        return f"{self.body} — {self.get_direction_display()} ({self.cycle})"

    @property
    def is_editable_by_body(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.ACCEPTED

    # --- transitions (model changes only; see services/reports.py) ---------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self, *, by=None, description=None) -> None:
        """The body's head (or an allowed submitter) sends the report in."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.UNDER_REVIEW)
    def start_review(self, *, by=None, description=None) -> None:
        """An assessor of the evaluating body takes the report up."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.UNDER_REVIEW, target=State.ACCEPTED)
    def accept(self, *, by=None, description=None) -> None:
        """The evaluator accepts the data; it is locked from now on."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.UNDER_REVIEW, target=State.RETURNED)
    def return_for_rework(self, *, by=None, description=None) -> None:
        """The evaluator returns the report with comments per section."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.RETURNED, target=State.DRAFT)
    def reopen(self, *, by=None, description=None) -> None:
        """The body starts reworking a returned report."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.NOT_SUBMITTED)
    def close_not_submitted(self, *, by=None, description=None) -> None:
        """After the deadline the evaluating body's unit head closes a report the body never
        submitted: every element of it counts missing (p.18)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.NOT_SUBMITTED, target=State.DRAFT)
    def reopen_submission(self, *, by=None, description=None) -> None:
        """The unit head reopens a closed report (until a conclusion is drafted): a late report
        then replaces the closure."""


class IncompletenessFact(models.Model):
    """One element of a report's structure (a section or table of the report schema) missing
    from one version of the report (p.18: "неполная информация", 2 points each, capped with the
    re-verification's facts at 5 per direction). Recorded automatically when the body submits
    with the element missing (after confirming it) or when the report is closed as not
    submitted (every element). Only the facts of the report's current version count; the same
    element of the same version is recorded once."""

    class Origin(models.TextChoices):
        SUBMISSION = "submission", _("Представлен без элемента")
        CLOSURE = "closure", _("Отчёт не представлен")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="incompleteness_facts",
        verbose_name=_("Отчёт"),
    )
    report_version = models.PositiveIntegerField(_("Версия отчёта"))
    # the penalty's direction: the report's, automation counting with services
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    element = models.CharField(_("Элемент отчёта"), max_length=40)
    title = models.CharField(_("Наименование элемента"), max_length=255)
    origin = models.CharField(_("Основание"), max_length=20, choices=Origin.choices)
    recorded_at = models.DateTimeField(_("Когда зафиксировано"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем"),
    )

    class Meta:
        ordering = ["report", "report_version", "pk"]
        verbose_name = _("факт неполноты отчёта")
        verbose_name_plural = _("факты неполноты отчётов")
        constraints = [
            models.UniqueConstraint(fields=["report", "report_version", "element"],
                                    name="incompleteness_fact_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · v{self.report_version} · {self.element}"


class ReportSection(models.Model):
    """One section (a table of annex 9, a block of counts) of a report: its data as JSON shaped by
    ``services/report_schema.py``. ``version`` detects concurrent edits (a save names the
    version it read; another person's save in between is reported, never overwritten)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="sections", verbose_name=_("Отчёт")
    )
    key = models.CharField(_("Раздел"), max_length=40)
    data = models.JSONField(_("Данные"), default=dict, blank=True)
    complete = models.BooleanField(_("Заполнен"), default=False)
    version = models.PositiveIntegerField(_("Версия"), default=0)
    return_comment = models.TextField(_("Замечание эксперта"), blank=True)
    updated_at = models.DateTimeField(_("Изменён"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем изменён"),
    )

    class Meta:
        ordering = ["report", "key"]
        verbose_name = _("раздел отчёта")
        verbose_name_plural = _("разделы отчётов")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.key}"


class SubmissionPolicy(models.Model):
    """Whether the body lets its submitters (not only its head) submit reports (p.11)."""

    body = models.OneToOneField(
        "assessments.Organisation", on_delete=models.CASCADE, related_name="submission_policy",
        verbose_name=_("Оцениваемый орган"),
    )
    submitters_may_submit = models.BooleanField(
        _("Ответственные за отчётность могут представлять отчёты"), default=False
    )
    updated_at = models.DateTimeField(_("Изменено"), auto_now=True)

    class Meta:
        verbose_name = _("порядок представления отчётов")
        verbose_name_plural = _("порядок представления отчётов")

    def __str__(self) -> str:
        return str(self.body)
