"""Re-verification of reported data (chapter 2, p.12–21) and the reconciliation act (annex 1).

* ``RiskMethod`` — the weights of the risk factors and the size of the random sample that an
  evaluating body uses, per cycle and direction, to pick the bodies it re-verifies (p.13).
* ``RiskSample`` — one random draw: its seed, the population it was drawn from and the bodies it
  drew, so that anyone can redraw it and get the same bodies.
* ``Reverification`` — one selected body × direction in a cycle, a state machine:

      selected → documents_requested → documents_received → findings_recorded → act_issued
      → act_signed → closed;  act_issued → act_not_signed (past the body's term, closed by the
      evaluating body: not signed by the body, p.19–20) → closed;  selected|documents_* →
      cancelled (removed from the selection, with the reason) → selected;
      act_issued|act_signed|act_not_signed|closed → findings_recorded (a change after the act:
      a new version of the act is needed).

* ``DocumentRequest`` — a request for electronic copies of confirming documents (p.14, p.16),
  with its due date; never for secret or "ДСП" documents. ``ConfirmingDocument`` — a file the body
  uploaded in answer. ``SystemCheck`` — a fact checked by viewing an information system (p.14).
* ``Finding`` — one untrue fact (0.2 points) or one missing element of the report (2 points),
  p.18–20; ``ReconciliationAct`` — one version of the act (annex 1), frozen for signing.

Transition methods only change the model; ``services/reverification.py`` checks who may fire them
and when, logs and notifies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from .directions import Direction
from .evidence import Classification
from .uploads import CheckState, QuarantinedUpload


class RiskMethod(models.Model):
    """The evaluating body's risk-based selection method for a cycle and a direction (p.13).

    ``weights`` maps each factor of ``services.reverification.RISK_FACTORS`` to a non-negative
    decimal string; ``sample_size`` bodies are added by a random draw. ``revision`` detects
    concurrent edits (a save names the revision it read).
    """

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.CASCADE, related_name="risk_methods",
        verbose_name=_("Цикл"),
    )
    evaluator = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="risk_methods",
        verbose_name=_("Уполномоченный орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    weights = models.JSONField(_("Веса факторов риска"), default=dict)
    sample_size = models.PositiveSmallIntegerField(_("Размер случайной выборки"), default=1)
    revision = models.PositiveIntegerField(_("Редакция"), default=1)
    updated_at = models.DateTimeField(_("Изменено"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем изменено"),
    )

    class Meta:
        verbose_name = _("метод отбора на перепроверку")
        verbose_name_plural = _("методы отбора на перепроверку")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "evaluator", "direction"], name="risk_method_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} — {self.get_direction_display()} ({self.cycle})"


class RiskSample(models.Model):
    """A random draw of bodies for re-verification, reproducible from its record: the same
    ``seed`` over the same ``population`` (body ids in BIN order) draws the same ``drawn``."""

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.CASCADE, related_name="risk_samples",
        verbose_name=_("Цикл"),
    )
    evaluator = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Уполномоченный орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    seed = models.CharField(_("Начальное значение (seed)"), max_length=64)
    size = models.PositiveSmallIntegerField(_("Размер выборки"))
    population = models.JSONField(_("Совокупность (id органов по БИН)"), default=list)
    drawn = models.JSONField(_("Отобранные органы (id)"), default=list)
    drawn_at = models.DateTimeField(_("Когда проведён отбор"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем проведён отбор"),
    )

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("случайная выборка")
        verbose_name_plural = _("случайные выборки")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.cycle}: seed {self.seed}"


class Reverification(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        SELECTED = "selected", _("Отобран для перепроверки")
        DOCUMENTS_REQUESTED = "documents_requested", _("Документы запрошены")
        DOCUMENTS_RECEIVED = "documents_received", _("Документы получены")
        FINDINGS_RECORDED = "findings_recorded", _("Факты зафиксированы")
        ACT_ISSUED = "act_issued", _("Акт сверки направлен на подписание")
        ACT_SIGNED = "act_signed", _("Акт сверки подписан сторонами")
        ACT_NOT_SIGNED = "act_not_signed", _("Акт сверки закрыт: не подписан органом")
        CLOSED = "closed", _("Перепроверка завершена")
        CANCELLED = "cancelled", _("Исключён из отбора")

    class Basis(models.TextChoices):
        RISK = "risk", _("По оценке риска")
        SAMPLE = "sample", _("Случайная выборка")
        MANUAL = "manual", _("Решение эксперта")

    # States in which the assessor still gathers facts (requests, checks, findings).
    OPEN_STATES = (
        State.SELECTED, State.DOCUMENTS_REQUESTED, State.DOCUMENTS_RECEIVED,
        State.FINDINGS_RECORDED,
    )

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="reverifications",
        verbose_name=_("Цикл"),
    )
    body = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="reverifications",
        verbose_name=_("Оцениваемый орган"),
    )
    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    evaluator = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Уполномоченный орган"),
    )
    state = FSMField(
        _("Состояние"), max_length=30, choices=State.choices, default=State.SELECTED,
        protected=True,
    )
    basis = models.CharField(_("Основание отбора"), max_length=10, choices=Basis.choices)
    reason = models.TextField(_("Обоснование отбора"), blank=True)
    risk_score = models.DecimalField(
        _("Балл риска"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    risk_factors = models.JSONField(_("Факторы риска при отборе"), default=dict, blank=True)
    sample = models.ForeignKey(
        RiskSample, null=True, blank=True, on_delete=models.PROTECT, related_name="selected",
        verbose_name=_("Случайная выборка"),
    )
    selected_at = models.DateTimeField(_("Отобран"))
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем отобран"),
    )
    # What the body's scoring input holds from the signed act (p.20): set when both sides signed.
    unreliable_facts = models.PositiveIntegerField(_("Недостоверных фактов (акт)"), default=0)
    incomplete_facts = models.PositiveIntegerField(_("Фактов неполноты (акт)"), default=0)
    deduction = models.DecimalField(
        _("Вычет по подписанному акту"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("Изменено"), auto_now=True)

    class Meta:
        ordering = ["cycle", "direction", "body__name_ru"]
        verbose_name = _("перепроверка")
        verbose_name_plural = _("перепроверки")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "direction"], name="reverification_unique"
            ),
        ]
        indexes = [models.Index(fields=["cycle", "direction", "state"])]

    def __str__(self) -> str:
        return f"{self.body} — {self.get_direction_display()} ({self.cycle})"

    @property
    def is_open(self) -> bool:
        """Facts may still be gathered and findings changed."""
        return self.state in self.OPEN_STATES

    # --- transitions (model changes only; see services/reverification.py) ----------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SELECTED, State.DOCUMENTS_REQUESTED, State.DOCUMENTS_RECEIVED,
                State.FINDINGS_RECORDED],
        target=State.DOCUMENTS_REQUESTED,
    )
    def request_documents(self, *, by=None, description=None) -> None:
        """Confirming documents are requested from the body (p.16)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.DOCUMENTS_REQUESTED, target=State.DOCUMENTS_RECEIVED)
    def receive_documents(self, *, by=None, description=None) -> None:
        """Every open request is answered."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SELECTED, State.DOCUMENTS_REQUESTED, State.DOCUMENTS_RECEIVED],
        target=State.FINDINGS_RECORDED,
    )
    def record_findings(self, *, by=None, description=None) -> None:
        """The assessor has recorded the facts found (possibly none)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.FINDINGS_RECORDED, target=State.ACT_ISSUED)
    def issue_act(self, *, by=None, description=None) -> None:
        """The reconciliation act is generated and frozen for signing (annex 1)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ACT_ISSUED, target=State.ACT_SIGNED)
    def record_act_signed(self, *, by=None, description=None) -> None:
        """Both sides signed the act."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ACT_ISSUED, target=State.ACT_NOT_SIGNED)
    def close_act_unsigned(self, *, by=None, description=None) -> None:
        """The body's term passed without its signature: the evaluating body closes the act as
        "not signed by the body" (the deduction applies all the same)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.ACT_SIGNED, State.ACT_NOT_SIGNED], target=State.CLOSED)
    def close(self, *, by=None, description=None) -> None:
        """The re-verification is complete."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.ACT_ISSUED, State.ACT_SIGNED, State.ACT_NOT_SIGNED, State.CLOSED],
        target=State.FINDINGS_RECORDED,
    )
    def reopen(self, *, by=None, description=None) -> None:
        """The findings change after the act: a new version of the act will be needed."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SELECTED, State.DOCUMENTS_REQUESTED, State.DOCUMENTS_RECEIVED],
        target=State.CANCELLED,
    )
    def cancel(self, *, by=None, description=None) -> None:
        """The body is removed from the selection (with the reason)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.CANCELLED, target=State.SELECTED)
    def reselect(self, *, by=None, description=None) -> None:
        """A removed body is picked again."""


class DocumentRequest(models.Model):
    """A request for electronic copies of confirming documents (p.14, p.16).

    It names a type of document whose classification is open (or an unmarked internal
    document): secret and "Для служебного пользования" documents are never requested.
    """

    class DocumentKind(models.TextChoices):
        # p.14: "ведомственные отчеты, протокола, письма и результаты проверок"
        DEPARTMENTAL_REPORT = "departmental_report", _("Ведомственный отчёт")
        PROTOCOL = "protocol", _("Протокол")
        LETTER = "letter", _("Письмо")
        INSPECTION_RESULTS = "inspection_results", _("Результаты проверки")
        OTHER = "other", _("Иной подтверждающий документ")

    class State(models.TextChoices):
        OPEN = "open", _("Ожидает ответа")
        ANSWERED = "answered", _("Документы представлены")
        WITHDRAWN = "withdrawn", _("Отозван")

    reverification = models.ForeignKey(
        Reverification, on_delete=models.CASCADE, related_name="requests",
        verbose_name=_("Перепроверка"),
    )
    document_kind = models.CharField(
        _("Вид документа"), max_length=30, choices=DocumentKind.choices
    )
    title = models.CharField(_("Какие документы запрашиваются"), max_length=500)
    report_section = models.CharField(_("Раздел отчётной информации"), max_length=255, blank=True)
    classification = models.CharField(
        _("Гриф (пометка) документа"), max_length=20, choices=Classification.choices
    )
    due_on = models.DateField(_("Срок представления"))
    state = models.CharField(
        _("Состояние"), max_length=20, choices=State.choices, default=State.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем запрошено"),
    )
    requested_at = models.DateTimeField(_("Когда запрошено"))
    answered_at = models.DateTimeField(_("Когда представлено"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("Когда отозвано"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("Причина отзыва"), max_length=500, blank=True)

    class Meta:
        ordering = ["reverification", "requested_at", "id"]
        verbose_name = _("запрос документов")
        verbose_name_plural = _("запросы документов")

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()}: {self.title}"


def confirming_document_upload_to(instance: ConfirmingDocument, filename: str) -> str:
    # Content-addressed: the same bytes land on the same name, never another file's name.
    extension = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpeg": "jpg"}.get(
        instance.file_type, "bin"
    )
    return f"reverification/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class ConfirmingDocument(QuarantinedUpload):
    """A file the body uploaded in answer to a request (checked like evidence, p.16): in
    quarantine — seen by its uploader only — until the check accepts it (issue 16)."""

    CheckState = CheckState

    request = models.ForeignKey(
        DocumentRequest, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("Запрос"),
    )
    file = models.FileField(_("Файл"), upload_to=confirming_document_upload_to, max_length=300)
    original_name = models.CharField(_("Имя файла"), max_length=255)
    file_type = models.CharField(_("Тип (по содержимому)"), max_length=20)
    size = models.PositiveBigIntegerField(_("Размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    classification = models.CharField(
        _("Гриф (пометка)"), max_length=20, choices=Classification.choices
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем загружен"),
    )
    uploaded_at = models.DateTimeField(_("Когда загружен"))

    class Meta:
        ordering = ["request", "uploaded_at", "id"]
        verbose_name = _("подтверждающий документ перепроверки")
        verbose_name_plural = _("подтверждающие документы перепроверки")

    def __str__(self) -> str:
        return self.original_name


class SystemCheck(models.Model):
    """A fact checked by viewing an information system (p.14), e.g. "ИС «Мониторинг»"."""

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("Сведения подтверждены")
        DISCREPANCY = "discrepancy", _("Выявлено несоответствие")

    reverification = models.ForeignKey(
        Reverification, on_delete=models.CASCADE, related_name="system_checks",
        verbose_name=_("Перепроверка"),
    )
    system = models.CharField(_("Информационная система"), max_length=255)
    subject = models.CharField(_("Что проверено"), max_length=500)
    result = models.CharField(_("Результат"), max_length=20, choices=Result.choices)
    note = models.TextField(_("Примечание"), blank=True)
    checked_on = models.DateField(_("Дата просмотра"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем записано"),
    )
    recorded_at = models.DateTimeField(_("Когда записано"))

    class Meta:
        ordering = ["reverification", "checked_on", "id"]
        verbose_name = _("просмотр информационной системы")
        verbose_name_plural = _("просмотры информационных систем")

    def __str__(self) -> str:
        return f"{self.system}: {self.subject}"


class Finding(models.Model):
    """One fact of p.18: untrue information (0.2 points) or a missing annex, section or table of
    the report (2 points), in the report the body submitted or in what it published (p.17).

    ``points`` are the edition's points per fact, stored when recorded. A finding is withdrawn,
    never deleted (``withdrawn_at``); ``revision`` detects concurrent edits.
    """

    class Kind(models.TextChoices):
        UNRELIABLE = "unreliable", _("Недостоверная информация")
        INCOMPLETE = "incomplete", _("Неполная информация")

    class Origin(models.TextChoices):
        SUBMITTED = "submitted", _("Представлено в уполномоченный орган")
        PUBLISHED = "published", _("Размещено органом (например, на интернет-ресурсе)")

    reverification = models.ForeignKey(
        Reverification, on_delete=models.CASCADE, related_name="findings",
        verbose_name=_("Перепроверка"),
    )
    kind = models.CharField(_("Вид факта"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("Описание факта"))
    report_section = models.CharField(_("Раздел отчётной информации"), max_length=255)
    origin = models.CharField(
        _("Где представлено"), max_length=20, choices=Origin.choices, default=Origin.SUBMITTED
    )
    source_url = models.URLField(_("Ссылка на размещённую информацию"), max_length=500,
                                 blank=True)
    document = models.ForeignKey(
        ConfirmingDocument, null=True, blank=True, on_delete=models.PROTECT,
        related_name="findings", verbose_name=_("Подтверждающий документ"),
    )
    system_check = models.ForeignKey(
        SystemCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="findings",
        verbose_name=_("Просмотр информационной системы"),
    )
    points = models.DecimalField(_("Вычитаемые баллы"), max_digits=4, decimal_places=2)
    revision = models.PositiveIntegerField(_("Редакция"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем зафиксировано"),
    )
    recorded_at = models.DateTimeField(_("Когда зафиксировано"))
    updated_at = models.DateTimeField(_("Изменено"))
    withdrawn_at = models.DateTimeField(_("Когда исключено"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кем исключено"),
    )
    withdrawn_reason = models.CharField(_("Причина исключения"), max_length=500, blank=True)

    class Meta:
        ordering = ["reverification", "recorded_at", "id"]
        verbose_name = _("выявленный факт")
        verbose_name_plural = _("выявленные факты")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:80]}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ReconciliationAct(models.Model):
    """One version of the reconciliation act (annex 1) of a re-verification.

    ``facts`` is the snapshot of the findings the act lists (numbered, with points), so a later
    change of the findings never changes an issued act: it needs a new version. The act's PDF is
    rendered by the reporting service (``rendered_document``) and frozen for signing
    (``signed_document``): the evaluating body's representative signs first, then the body's
    (p.19, annex 1); once both signed the act stands, and a new version ``supersedes`` it.
    """

    reverification = models.ForeignKey(
        Reverification, on_delete=models.PROTECT, related_name="acts",
        verbose_name=_("Перепроверка"),
    )
    version = models.PositiveIntegerField(_("Версия"))
    facts = models.JSONField(_("Факты акта"), default=list)
    unreliable_facts = models.PositiveIntegerField(_("Недостоверных фактов"), default=0)
    incomplete_facts = models.PositiveIntegerField(_("Фактов неполноты"), default=0)
    points_sum = models.DecimalField(_("Сумма баллов"), max_digits=6, decimal_places=2)
    deduction = models.DecimalField(_("Итоговый вычет"), max_digits=5, decimal_places=2)
    rendered_document = models.ForeignKey(
        "reporting.RenderedDocument", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Сформированный документ"),
    )
    signed_document = models.ForeignKey(
        "reporting.SignedDocument", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Подписываемый документ"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем сформирован"),
    )
    issued_at = models.DateTimeField(_("Когда сформирован"))
    body_remarks = models.TextField(_("Замечания оцениваемого органа"), blank=True)
    body_remarks_at = models.DateTimeField(_("Когда внесены замечания"), null=True, blank=True)
    body_remarks_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Кем внесены замечания"),
    )
    # The body's term (p.19–20; the cycle's ``act_signing_working_days``): set when the act
    # reaches the body, i.e. when the evaluating body's representative signed it.
    body_sign_due_on = models.DateField(_("Срок подписания органом"), null=True, blank=True)
    signed_at = models.DateTimeField(_("Подписан обеими сторонами"), null=True, blank=True)
    closed_unsigned_at = models.DateTimeField(_("Закрыт без подписи органа"), null=True,
                                              blank=True)
    closed_unsigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Кем закрыт без подписи органа"),
    )
    closed_unsigned_reason = models.CharField(_("Основание закрытия"), max_length=500,
                                              blank=True)
    closure_document = models.ForeignKey(
        "reporting.RenderedDocument", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Акт с отметкой о закрытии"),
    )
    superseded_at = models.DateTimeField(_("Заменён новой версией"), null=True, blank=True)
    superseded_reason = models.CharField(_("Причина замены"), max_length=500, blank=True)

    class Meta:
        ordering = ["reverification", "-version"]
        verbose_name = _("акт сверки")
        verbose_name_plural = _("акты сверки")
        constraints = [
            models.UniqueConstraint(
                fields=["reverification", "version"], name="reconciliation_act_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Акт сверки, версия %(v)s: %(r)s") % {"v": self.version,
                                                           "r": self.reverification})

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    class Closure(models.TextChoices):
        PENDING = "pending", _("Ожидает подписей")
        SIGNED = "signed", _("Подписан сторонами")
        NOT_SIGNED_BY_BODY = "not_signed_by_body", _("Не подписан органом: закрыт по истечении "
                                                     "срока")

    @property
    def closure(self) -> str:
        """How the act stands: signed by both sides, closed as not signed by the body (a state
        of its own, never "signed"), or still pending."""
        if self.signed_at is not None:
            return self.Closure.SIGNED
        if self.closed_unsigned_at is not None:
            return self.Closure.NOT_SIGNED_BY_BODY
        return self.Closure.PENDING

    @property
    def is_closed(self) -> bool:
        """The act stands (signed, or closed unsigned): its facts count (p.20)."""
        return self.closure != self.Closure.PENDING

    def get_closure_display(self) -> str:
        return str(self.Closure(self.closure).label)
