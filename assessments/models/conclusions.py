"""Conclusions on the results of the assessment: per direction (annexes 3, 4, 5, 8, 12) and for
the block (annex 15), one row per version (p.21, p.109–122).

State machine (one protected field; every transition is fired by
``assessments.conclusions.services`` and logged by django-fsm-log)::

    draft → in_review → approved → signed → issued
    in_review → draft                          (returned by the head of the unit with comments)
    approved → draft                           (the body's scores changed before signing:
                                                redrafted from the current scores)
    issued → final                             (no objection notified, or the window closed;
                                                at once for annexes 5 and 15 and any version ≥ 2)
    issued → under_appeal → final              (all disagreement rows rejected: confirmed)
    under_appeal → superseded                  (rows accepted: version + 1 issued, p.115)
    final → superseded                         (annex 5 only: the digital-government ministry's
                                                commission accepted an objection to the
                                                automation criterion, version + 1 issued)

A conclusion is edited only in ``draft``; from ``approved`` on its content never changes, and the
first signature freezes its PDF (``signed_document``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


class ConclusionDirection(models.TextChoices):
    """What a conclusion concludes on: a direction, the automation criterion, or the block."""

    SERVICES = "services", _("Качество оказания государственных услуг")
    AUTOMATION = "automation", _("Автоматизация государственных услуг")
    OPENNESS = "openness", _("Открытость государственного органа")
    COMPLAINTS = "complaints", _("Качество рассмотрения жалоб и заявлений")
    BLOCK = "block", _("Блок «Взаимодействие государственного органа с физическими и "
                       "юридическими лицами»")


class ConclusionState(models.TextChoices):
    DRAFT = "draft", _("Проект")
    IN_REVIEW = "in_review", _("На рассмотрении руководителя подразделения")
    APPROVED = "approved", _("Согласовано, на подписании")
    SIGNED = "signed", _("Подписано")
    ISSUED = "issued", _("Направлено органу")
    UNDER_APPEAL = "under_appeal", _("Обжалуется")
    FINAL = "final", _("Окончательное")
    SUPERSEDED = "superseded", _("Заменено скорректированным")
class WindowOutcome(models.TextChoices):
    """How a conclusion's objection window ended (p.109–112): an objection, the body's notice
    that it has none, or neither by the window's last day — a silent window, recorded as such."""

    OBJECTION = "objection", _("Поступили возражения")
    NO_OBJECTIONS = "no_objections", _("Уведомление об отсутствии возражений")
    SILENT = "silent", _("Срок истёк: ни возражений, ни уведомления об их отсутствии")


DELIVERED_STATES = (ConclusionState.ISSUED, ConclusionState.UNDER_APPEAL, ConclusionState.FINAL,
                    ConclusionState.SUPERSEDED)
# States from which the content is frozen (the signed document exists or is about to).
LOCKED_STATES = (ConclusionState.APPROVED, ConclusionState.SIGNED, *DELIVERED_STATES)
# Directions whose version 1 opens an objection window on issue (p.109).
APPEALABLE_DIRECTIONS = ("services", "openness", "complaints")


class Conclusion(models.Model):
    """One version of one conclusion: cycle × body × direction × version.

    * ``annex`` — the seed's form: 3 services (central), 4 services (local), 5 automation,
      8 openness, 12 complaints, 15 block;
    * ``evaluator`` — the evaluating body that issues it (p.5; fixed when drafted);
    * ``score_sheet`` — the stored scores it was drafted from (null for the block) and ``values``
      the printed scores as drafted (a snapshot: the PDF never changes with a later recompute);
    * ``analysis`` — the assessor's analysis per criterion (``{"K1": "…", …}``), and
      ``recommendations`` — "Выводы и рекомендации", prefilled with the re-verification
      findings (p.21);
    * ``revision`` — bumped by every edit: a form carries it, so a concurrent edit is detected;
    * ``received_at`` — when the body received it (issue, in the system); ``objection_deadline``
      — the last day of the objection window (the 5th working day after, p.109), null where
      there is none (annexes 5 and 15, corrected versions: p.115).
    """

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="conclusions",
        verbose_name=_("Цикл"),
    )
    body = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="conclusions",
        verbose_name=_("Оцениваемый орган"),
    )
    direction = models.CharField(
        _("Направление"), max_length=20, choices=ConclusionDirection.choices
    )
    version = models.PositiveIntegerField(_("Версия"), default=1)
    annex = models.PositiveSmallIntegerField(_("Приложение"))
    evaluator = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="issued_conclusions",
        verbose_name=_("Уполномоченный на оценку орган"),
    )
    state = FSMField(
        _("Состояние"), max_length=20, choices=ConclusionState.choices,
        default=ConclusionState.DRAFT,
        protected=True,
    )
    score_sheet = models.ForeignKey(
        "assessments.ScoreSheet", on_delete=models.PROTECT, null=True, blank=True,
        related_name="conclusions", verbose_name=_("Расчёт оценки"),
    )
    values = models.JSONField(_("Баллы"), default=dict, blank=True)
    analysis = models.JSONField(_("Анализ по критериям"), default=dict, blank=True)
    recommendations = models.TextField(_("Выводы и рекомендации"), blank=True)
    review_comments = models.TextField(_("Замечания руководителя подразделения"), blank=True)
    revision = models.PositiveIntegerField(_("Редакция"), default=1)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("Заменяет версию"),
    )
    rendered_document = models.ForeignKey(
        "reporting.RenderedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Сформированный документ"),
    )
    signed_document = models.ForeignKey(
        "reporting.SignedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Подписываемый документ"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем направлено на рассмотрение"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем согласовано"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем направлено органу"),
    )
    received_at = models.DateTimeField(_("Получено органом"), null=True, blank=True)
    objection_deadline = models.DateField(_("Последний день для возражений"), null=True,
                                          blank=True)
    finalised_at = models.DateTimeField(_("Стало окончательным"), null=True, blank=True)
    window_outcome = models.CharField(
        _("Итог срока для возражений"), max_length=20, choices=WindowOutcome.choices,
        blank=True, default="",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем создано"),
    )
    created_at = models.DateTimeField(_("Создано"))
    updated_at = models.DateTimeField(_("Изменено"))

    class Meta:
        ordering = ["cycle", "body__name_ru", "annex", "version"]
        verbose_name = _("заключение")
        verbose_name_plural = _("заключения")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "direction", "version"],
                name="conclusion_unique_version",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="conclusion_version_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "state"]),
            models.Index(fields=["state", "objection_deadline"]),
        ]

    def __str__(self) -> str:
        return str(
            _("Заключение (прил. %(annex)s) · %(body)s · %(cycle)s · версия %(version)s")
            % {"annex": self.annex, "body": self.body, "cycle": self.cycle.year,
               "version": self.version}
        )

    @property
    def work_direction(self) -> str:
        """The direction whose people work on it (the block is the Agency's services people)."""
        return "services" if self.direction == ConclusionDirection.BLOCK else self.direction

    @property
    def headline_score(self) -> str:
        """The score the conclusion stands for: the direction's final, K3 (annex 5), or the
        overall score (annex 15)."""
        values = self.values or {}
        return values.get("final") or values.get("K3") or values.get("overall") or ""

    @property
    def is_editable(self) -> bool:
        return self.state == ConclusionState.DRAFT

    @property
    def is_delivered(self) -> bool:
        return self.state in DELIVERED_STATES

    @property
    def has_window(self) -> bool:
        """Whether issuing opens an objection window (p.109; not for p.115's corrections)."""
        return self.version == 1 and self.direction in APPEALABLE_DIRECTIONS

    # --- Transitions: they only change the state; services do the rest (EXAMPLES.md §1). ---

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.DRAFT, target=ConclusionState.IN_REVIEW)
    def submit(self, *, by=None, description=None) -> None:
        """The assessor hands the draft to the head of the unit."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.IN_REVIEW, target=ConclusionState.DRAFT)
    def send_back(self, *, by=None, description=None) -> None:
        """The head of the unit returns it with comments."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.IN_REVIEW, target=ConclusionState.APPROVED)
    def approve(self, *, by=None, description=None) -> None:
        """The head of the unit approves: the content is locked, signing may start."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.APPROVED, target=ConclusionState.DRAFT)
    def reopen_for_redraft(self, *, by=None, description=None) -> None:
        """The body's stored scores changed before the conclusion was signed: it goes back to
        draft to be redrafted from the current scores."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.APPROVED, target=ConclusionState.SIGNED)
    def complete_signing(self, *, by=None, description=None) -> None:
        """The last signatory signed."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.SIGNED, target=ConclusionState.ISSUED)
    def issue(self, *, by=None, description=None) -> None:
        """Delivered to the body (the moment of receipt starts the objection window)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[ConclusionState.ISSUED, ConclusionState.UNDER_APPEAL],
                target=ConclusionState.FINAL)
    def finalise(self, *, by=None, description=None) -> None:
        """No objection, the window closed, the objection rejected, or no window at all."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.ISSUED, target=ConclusionState.UNDER_APPEAL)
    def open_appeal(self, *, by=None, description=None) -> None:
        """An objection arrived within the window (p.109)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.UNDER_APPEAL, target=ConclusionState.SUPERSEDED)
    def supersede(self, *, by=None, description=None) -> None:
        """The corrected version was issued (p.115)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ConclusionState.FINAL, target=ConclusionState.SUPERSEDED,
                conditions=[lambda c: c.direction == ConclusionDirection.AUTOMATION])
    def supersede_final(self, *, by=None, description=None) -> None:
        """Annex 5 (final on issue, no window of its own) replaced by its corrected version after
        the digital-government ministry's commission accepted an objection (p.109, p.115)."""
