"""Reports of evaluated bodies per cycle × body × direction (p.8–11, annex 9), their sections,
and the body's policy on who submits.

A report is a django-fsm state machine (p.8–11; ARCHITECTURE.md):

    draft → submitted → under_review → accepted
                        under_review → returned → draft

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
