"""Objections (annex 14), special commissions and their decisions (chapter 7, p.109–122).

State machines (protected fields; every transition is fired by ``appeals.services`` and logged
by django-fsm-log with who and why)::

    Objection:    awaiting_signature → filed → under_consideration → decided → signed_by_chair
                  → acknowledged;  awaiting_signature → withdrawn | lapsed
    Sitting:      planned → held
    ResultCheck:  open → closed

* An objection is one body's disagreement table on version 1 of one direction conclusion (one
  objection per conclusion); an objection to the automation criterion is a table of its own on
  the body's annex 5 (version 1), filed within the window of its services conclusion (annex 3)
  to the digital-government ministry, whose special commission rules it. Its rows name what is
  disputed; accepted rows carry the value the commission applied to the scoring input
  (``input_path``).
* The special commission is formed in the evaluating body, one per cycle (p.113); each objection
  gets one sitting whose members pass the composition rule (``appeals.composition``).
* The table as filed (annex 14 version 1) is drawn up by the body's head and frozen for their
  signature (``awaiting_signature``); only the completed signature files it (``filed``, within the
  window, p.109). A table left unsigned is replaced by a later one (``withdrawn``) or, once the
  window has closed, ``lapsed`` with the reason (p.111).
* The completed table (annex 14) is frozen as a ``SignedDocument`` and signed by the chair, then
  by the body's representative ("С итогами обжалования ознакомлен").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from assessments.models import Classification
from assessments.models.uploads import CheckState, QuarantinedUpload

USER = settings.AUTH_USER_MODEL


class AppealDirection(models.TextChoices):
    """What an objection disputes (p.109): a direction's version-1 conclusion, or the automation
    criterion (annex 5), which the digital-government ministry set and whose objections go to
    that ministry's commission in a table of their own."""

    SERVICES = "services", _("Качество оказания государственных услуг")
    AUTOMATION = "automation", _("Автоматизация государственных услуг")
    OPENNESS = "openness", _("Открытость государственного органа")
    COMPLAINTS = "complaints", _("Качество рассмотрения жалоб и заявлений")


class ObjectionState(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", _("Составлены, ожидают подписи руководителя органа")
    WITHDRAWN = "withdrawn", _("Не направлены: заменены другой таблицей разногласий")
    LAPSED = "lapsed", _("Не направлены: срок для возражений истёк без подписи")
    FILED = "filed", _("Возражения поступили")
    UNDER_CONSIDERATION = "under_consideration", _("На рассмотрении специальной комиссии")
    DECIDED = "decided", _("Решение принято")
    SIGNED_BY_CHAIR = "signed_by_chair", _("Подписано председателем комиссии")
    ACKNOWLEDGED = "acknowledged", _("Орган ознакомлен с итогами")


# The objections that were filed (signed by the body's head within the window, p.109): every
# state from ``filed`` on. A table awaiting signature, withdrawn or lapsed was never filed.
LODGED_STATES = (
    ObjectionState.FILED, ObjectionState.UNDER_CONSIDERATION, ObjectionState.DECIDED,
    ObjectionState.SIGNED_BY_CHAIR, ObjectionState.ACKNOWLEDGED,
)
# A table that may still be signed, or was filed: at most one per conclusion.
UNFILED_ENDS = (ObjectionState.WITHDRAWN, ObjectionState.LAPSED)


class ObjectionQuerySet(models.QuerySet):
    def lodged(self):
        """The objections filed: signed by the body's head within the window (p.109)."""
        return self.filter(state__in=LODGED_STATES)

    def awaiting(self):
        """Tables drawn up and not signed yet (``awaiting_signature``)."""
        return self.filter(state=ObjectionState.AWAITING_SIGNATURE)


class ObjectionOutcome(models.TextChoices):
    NONE = "", _("—")
    CORRECTED = "corrected", _("Возражения приняты (полностью или частично): заключение "
                              "корректируется")
    CONFIRMED = "confirmed", _("Возражения не приняты: заключение подтверждено")
class Objection(models.Model):
    """A body's objections to one direction conclusion (the disagreement table, annex 14).

    * ``conclusion`` — the version appealed (version 1): one objection per conclusion that is
      awaiting signature or filed (withdrawn and lapsed tables stay beside it, as history);
    * ``created_at`` — when the head drew the table up (it then awaits their signature);
    * ``filed_at``/``filed_on`` — the moment and day of arrival (Asia/Almaty): the completed
      signature of the table as filed (docs/appeals.md, "The window"), from which the
      commission's 15 calendar days run: ``decision_due`` (p.114, our reading); empty until then;
    * ``closed_reason`` — why a table was not filed (withdrawn, or lapsed with the window);
    * ``overall_after_appeal`` — the direction's score after the appeal (the corrected
      conclusion's, or the appealed one's when confirmed), printed in the completed table;
    * ``filed_document`` — the table as filed, rendered (annex 14 without decisions);
    * ``filed_signed_document`` — that table frozen and PAdES-signed by the body's head who
      filed it (issue item 2: "signed and filed by the body's head");
    * ``table_document`` — the completed table frozen for signature: the chair signs, then the
      body's representative acknowledges;
    * ``correction`` — the corrected conclusion (version 2) drafted after accepted rows.
    """

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT,
                              related_name="objections", verbose_name=_("Цикл"))
    body = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                             related_name="objections", verbose_name=_("Оцениваемый орган"))
    direction = models.CharField(_("Направление"), max_length=20,
                                 choices=AppealDirection.choices)
    conclusion = models.ForeignKey(
        "assessments.Conclusion", on_delete=models.PROTECT, related_name="objections",
        verbose_name=_("Обжалуемое заключение"),
    )
    evaluator = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="received_objections",
        verbose_name=_("Уполномоченный на оценку орган"),
    )
    state = FSMField(_("Состояние"), max_length=30, choices=ObjectionState.choices,
                     default=ObjectionState.AWAITING_SIGNATURE, protected=True)
    created_at = models.DateTimeField(_("Составлены"), null=True, blank=True)
    filed_at = models.DateTimeField(_("Поступили"), null=True, blank=True)
    filed_on = models.DateField(_("Дата поступления"), null=True, blank=True)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Кем направлены"))
    decision_due = models.DateField(_("Срок решения комиссии"), null=True, blank=True)
    closed_reason = models.TextField(_("Почему не направлены"), blank=True)
    decided_on = models.DateField(_("Дата решения"), null=True, blank=True)
    overall_after_appeal = models.CharField(_("Общий балл с учетом итогов обжалования"),
                                            max_length=20, blank=True)
    outcome = models.CharField(_("Итог"), max_length=20, choices=ObjectionOutcome.choices,
                               blank=True)
    correction = models.ForeignKey(
        "assessments.Conclusion", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Скорректированное заключение"),
    )
    filed_document = models.ForeignKey(
        "reporting.RenderedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Таблица разногласий (как направлена)"),
    )
    filed_signed_document = models.ForeignKey(
        "reporting.SignedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Таблица разногласий, подписанная руководителем органа"),
    )
    table_document = models.ForeignKey(
        "reporting.SignedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Таблица разногласий с решением комиссии"),
    )
    escalated_at = models.DateTimeField(_("Просрочка доведена до координатора"), null=True,
                                        blank=True)
    acknowledged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("Кем ознакомлен"))
    updated_at = models.DateTimeField(_("Изменено"), null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "id"]
        verbose_name = _("возражения")
        verbose_name_plural = _("возражения")
        indexes = [models.Index(fields=["state", "decision_due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conclusion"], condition=~models.Q(state__in=UNFILED_ENDS),
                name="objection_one_per_conclusion"),
        ]

    def __str__(self) -> str:
        return str(_("Возражения: %(body)s · %(direction)s · %(cycle)s")
                   % {"body": self.body, "direction": self.get_direction_display(),
                      "cycle": self.cycle.year})

    @property
    def is_open(self) -> bool:
        """Not decided yet (the commission's 15 days run)."""
        return self.state in (ObjectionState.FILED, ObjectionState.UNDER_CONSIDERATION)

    @property
    def is_lodged(self) -> bool:
        """Filed: signed by the body's head within the window (p.109)."""
        return self.state in LODGED_STATES

    # --- Transitions: they only change the state; the services do the rest. ---

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.AWAITING_SIGNATURE,
                target=ObjectionState.FILED)
    def file(self, *, by=None, description=None) -> None:
        """The head's signature of the table as filed was completed within the window."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.AWAITING_SIGNATURE,
                target=ObjectionState.WITHDRAWN)
    def withdraw(self, *, by=None, description=None) -> None:
        """Replaced by another table drawn up before this one was signed."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.AWAITING_SIGNATURE,
                target=ObjectionState.LAPSED)
    def lapse(self, *, by=None, description=None) -> None:
        """The window closed before the table was signed: not filed (p.111)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.FILED, target=ObjectionState.UNDER_CONSIDERATION)
    def start_consideration(self, *, by=None, description=None) -> None:
        """The commission's sitting was convened."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.UNDER_CONSIDERATION,
                target=ObjectionState.DECIDED)
    def decide(self, *, by=None, description=None) -> None:
        """The collegial decision on every row (p.114)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.DECIDED, target=ObjectionState.SIGNED_BY_CHAIR)
    def sign_by_chair(self, *, by=None, description=None) -> None:
        """The chair signed the completed table (p.115)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.SIGNED_BY_CHAIR,
                target=ObjectionState.ACKNOWLEDGED)
    def acknowledge(self, *, by=None, description=None) -> None:
        """The body's representative signed "С итогами обжалования ознакомлен"."""


class RowDecision(models.TextChoices):
    NONE = "", _("—")
    ACCEPTED = "accepted", _("Возражение принято")
    REJECTED = "rejected", _("Возражение не принято")


class DisagreementRow(models.Model):
    """One row of the disagreement table: what is disputed, the evaluator's conclusion on it,
    the body's objection and — after the sitting — the commission's decision and reasoning.

    ``input_path`` (optional) is the scoring-input path the row concerns (e.g.
    ``services.late``); ``proposed_value`` what the body claims for it; ``applied_value`` what
    the commission applied (accepted rows with a path change the scoring input, p.115).
    """

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="rows",
                                  verbose_name=_("Возражения"))
    number = models.PositiveSmallIntegerField(_("№"))
    subject = models.TextField(_("Критерий, показатель"))
    input_path = models.CharField(_("Путь в исходных данных оценки"), max_length=200,
                                  blank=True)
    evaluator_conclusion = models.TextField(_("Заключение уполномоченного органа"), blank=True)
    objection_text = models.TextField(_("Возражение органа"))
    proposed_value = models.JSONField(_("Предлагаемое значение"), null=True, blank=True)
    decision = models.CharField(_("Решение комиссии"), max_length=20,
                                choices=RowDecision.choices, blank=True)
    reasoning = models.TextField(_("Обоснование решения"), blank=True)
    applied_value = models.JSONField(_("Применённое значение"), null=True, blank=True)

    class Meta:
        ordering = ["objection", "number"]
        verbose_name = _("строка таблицы разногласий")
        verbose_name_plural = _("строки таблицы разногласий")
        constraints = [
            models.UniqueConstraint(fields=["objection", "number"],
                                    name="disagreement_row_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.subject[:80]}"


def row_document_upload_to(instance: RowDocument, filename: str) -> str:
    # Content-addressed: the same bytes land on the same name, never another file's name.
    extension = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpeg": "jpg"}.get(
        instance.file_type, "bin"
    )
    return f"appeals/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class RowDocument(QuarantinedUpload):
    """A confirming document attached to a row (checked like evidence: type by content, size,
    classification and stamps; "ДСП"/secret refused, p.16): in quarantine — seen by its
    uploader only — until the check accepts it (issue 16)."""

    CheckState = CheckState

    row = models.ForeignKey(DisagreementRow, on_delete=models.CASCADE, related_name="documents",
                            verbose_name=_("Строка"))
    file = models.FileField(_("Файл"), upload_to=row_document_upload_to, max_length=300)
    original_name = models.CharField(_("Имя файла"), max_length=255)
    file_type = models.CharField(_("Тип (по содержимому)"), max_length=20)
    size = models.PositiveBigIntegerField(_("Размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    classification = models.CharField(_("Гриф (пометка)"), max_length=20,
                                      choices=Classification.choices)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("Кем загружен"))
    uploaded_at = models.DateTimeField(_("Когда загружен"))

    class Meta:
        ordering = ["row", "uploaded_at", "id"]
        verbose_name = _("подтверждающий документ")
        verbose_name_plural = _("подтверждающие документы")

    def __str__(self) -> str:
        return self.original_name


class NoObjectionNotice(models.Model):
    """The body's notification that it has no objections (p.112): the conclusion becomes final."""

    conclusion = models.OneToOneField("assessments.Conclusion", on_delete=models.PROTECT,
                                      related_name="no_objection_notice",
                                      verbose_name=_("Заключение"))
    body = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("Орган"))
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Кем направлено"))
    sent_at = models.DateTimeField(_("Когда направлено"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("уведомление об отсутствии возражений")
        verbose_name_plural = _("уведомления об отсутствии возражений")

    def __str__(self) -> str:
        return str(_("Нет возражений: %(c)s") % {"c": self.conclusion})


class ObjectionRefusal(models.Model):
    """A refused filing (after the window, p.111): kept even though the filing itself failed."""

    conclusion = models.ForeignKey("assessments.Conclusion", on_delete=models.PROTECT,
                                   related_name="objection_refusals",
                                   verbose_name=_("Заключение"))
    attempted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("Кто пытался направить"))
    attempted_at = models.DateTimeField(_("Когда"))
    deadline = models.DateField(_("Последний день для возражений"), null=True, blank=True)
    message = models.TextField(_("Сообщение"))

    class Meta:
        ordering = ["-attempted_at", "id"]
        verbose_name = _("отказ в приёме возражений")
        verbose_name_plural = _("отказы в приёме возражений")

    def __str__(self) -> str:
        return self.message[:120]


class SpecialCommission(models.Model):
    """The special commission formed in the evaluating body for a cycle (p.113)."""

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT,
                              related_name="special_commissions", verbose_name=_("Цикл"))
    evaluator = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                                  related_name="special_commissions",
                                  verbose_name=_("Уполномоченный на оценку орган"))
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("Председатель"))
    secretary = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Секретарь"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Кем создана"))
    created_at = models.DateTimeField(_("Создана"))

    class Meta:
        ordering = ["cycle", "evaluator__name_ru"]
        verbose_name = _("специальная комиссия")
        verbose_name_plural = _("специальные комиссии")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "evaluator"],
                                    name="special_commission_unique"),
        ]

    def __str__(self) -> str:
        return str(_("Специальная комиссия: %(org)s, %(cycle)s")
                   % {"org": self.evaluator, "cycle": self.cycle.year})


class SittingState(models.TextChoices):
    PLANNED = "planned", _("Назначено")
    HELD = "held", _("Проведено")


class Sitting(models.Model):
    """The commission's sitting on one objection: its members (composition rule), attendance,
    votes."""

    commission = models.ForeignKey(SpecialCommission, on_delete=models.PROTECT,
                                   related_name="sittings", verbose_name=_("Комиссия"))
    objection = models.OneToOneField(Objection, on_delete=models.PROTECT,
                                     related_name="sitting", verbose_name=_("Возражения"))
    held_on = models.DateField(_("Дата заседания"), null=True, blank=True)
    state = FSMField(_("Состояние"), max_length=20, choices=SittingState.choices,
                     default=SittingState.PLANNED, protected=True)
    convened_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Кем созвано"))
    convened_at = models.DateTimeField(_("Когда созвано"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("заседание специальной комиссии")
        verbose_name_plural = _("заседания специальной комиссии")

    def __str__(self) -> str:
        return str(_("Заседание по возражениям: %(o)s") % {"o": self.objection})

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=SittingState.PLANNED, target=SittingState.HELD)
    def hold(self, *, by=None, description=None) -> None:
        """The sitting took place and decided."""


class MemberCapacity(models.TextChoices):
    """The three groups of p.113 (the composition rule's groups)."""

    BODY = "body", _("Сотрудник органа, представившего возражения")
    EVALUATOR = "evaluator", _("Сотрудник уполномоченного органа, не участвовавший в оценке")
    WORKING_BODY = "working_body", _("Представитель рабочего органа Комиссии")


class SittingMember(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("Заседание"))
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("Член комиссии"))
    capacity = models.CharField(_("В качестве"), max_length=20, choices=MemberCapacity.choices)
    present = models.BooleanField(_("Присутствует"), null=True, blank=True)
    reason = models.TextField(_("Проверка состава"), blank=True)

    class Meta:
        ordering = ["sitting", "id"]
        verbose_name = _("член заседания")
        verbose_name_plural = _("члены заседания")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "user"], name="sitting_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_capacity_display()})"


class VoteChoice(models.TextChoices):
    ACCEPT = "accept", _("За принятие возражения")
    REJECT = "reject", _("Против принятия возражения")


class Vote(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="votes",
                                verbose_name=_("Заседание"))
    row = models.ForeignKey(DisagreementRow, on_delete=models.CASCADE, related_name="votes",
                            verbose_name=_("Строка"))
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("Член комиссии"))
    choice = models.CharField(_("Голос"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        ordering = ["row", "id"]
        verbose_name = _("голос")
        verbose_name_plural = _("голоса")
        constraints = [
            models.UniqueConstraint(fields=["row", "member"], name="vote_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.row.number}: {self.member} — {self.get_choice_display()}"


class Handover(models.Model):
    """A final direction conclusion handed over to the Agency for the block conclusion
    (p.116–121): ``route`` says who hands it over and on what basis; ``due_on`` is the 5th
    working day after the commission's sitting for openness and complaints (p.119–120), none
    for the Presidential Administration's and the Prime Minister's Office's routes (p.116–118
    state no term)."""

    conclusion = models.OneToOneField("assessments.Conclusion", on_delete=models.PROTECT,
                                      related_name="handover", verbose_name=_("Заключение"))
    to = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("Кому передаётся"))
    route = models.TextField(_("Порядок передачи"))
    due_on = models.DateField(_("Срок передачи"), null=True, blank=True)
    handed_at = models.DateTimeField(_("Передано"), null=True, blank=True)
    handed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("Кем передано"))
    created_at = models.DateTimeField(_("Создано"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("передача заключения")
        verbose_name_plural = _("передачи заключений")

    def __str__(self) -> str:
        return str(_("Передача: %(c)s") % {"c": self.conclusion})


class ResultCheckState(models.TextChoices):
    OPEN = "open", _("Проверка проводится")
    CLOSED = "closed", _("Проверка завершена")


class ResultCheck(models.Model):
    """A check of individual results by the Commission's working body on a body's complaint
    lodged within 5 working days after the appeal procedures (p.110)."""

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT,
                              related_name="result_checks", verbose_name=_("Цикл"))
    body = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                             related_name="result_checks", verbose_name=_("Орган"))
    direction = models.CharField(_("Направление"), max_length=20,
                                 choices=AppealDirection.choices, blank=True)
    lodged_on = models.DateField(_("Дата жалобы органа"))
    last_day = models.DateField(_("Последний день для жалобы"))
    text = models.TextField(_("Содержание жалобы"))
    state = FSMField(_("Состояние"), max_length=20, choices=ResultCheckState.choices,
                     default=ResultCheckState.OPEN, protected=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Кем начата"))
    opened_at = models.DateTimeField(_("Когда начата"))
    outcome = models.TextField(_("Итог проверки"), blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("Кем завершена"))
    closed_at = models.DateTimeField(_("Когда завершена"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "id"]
        verbose_name = _("проверка индивидуальных результатов")
        verbose_name_plural = _("проверки индивидуальных результатов")

    def __str__(self) -> str:
        return str(_("Проверка результатов: %(body)s, %(cycle)s")
                   % {"body": self.body, "cycle": self.cycle.year})

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ResultCheckState.OPEN, target=ResultCheckState.CLOSED)
    def close(self, *, by=None, description=None) -> None:
        """The working body recorded the outcome."""
