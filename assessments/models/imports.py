"""Imports by the evaluating bodies of what other systems give them (p.31, p.37–40, p.53, p.80):
"Мониторинг" violations, public-monitoring satisfaction, e-government unavailability incidents,
confirmed information-system failures, the media and population surveys, inspection results.

One ``ImportBatch`` per uploaded file: upload → validate (rows staged, errors listed) → preview →
confirm (APPLYING, the apply queued) → apply (atomic) or failed; a batch validated and left for
two days is discarded with its staged rows (``import_staging_expire``). Applied rows live in
``ImportRecord``, one per ``(cycle, kind, row_key)``, so a file that overlaps an earlier one
updates the rows it changes and never duplicates them; a file whose content hash was already
applied is not applied twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


class ImportKind(models.TextChoices):
    MONITORING = "monitoring", _("ИС «Мониторинг»: нарушения по услугам")
    SATISFACTION = "satisfaction", _("Общественный мониторинг: уровень удовлетворённости")
    EGOV_INCIDENTS = "egov_incidents", _("Недоступность услуг «электронного правительства»")
    IS_FAILURES = "is_failures", _("Сбои информационных систем (подтверждённые)")
    MEDIA_SURVEY = "media_survey", _("Опрос СМИ")
    POPULATION_SURVEY = "population_survey", _("Опрос населения")
    INSPECTIONS = "inspections", _("Результаты проверок")


def import_upload_to(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.kind}/{instance.sha256[:2]}/{instance.sha256}.{instance.file_format}"


class ImportBatch(FSMModelMixin, models.Model):
    """The state is a protected django-fsm field changed only by the transitions below, fired by
    ``submission/imports/pipeline.py`` on the locked row with ``by`` (the user; None for the worker
    and the clock) and ``description``: each change leaves a django-fsm-log ``StateLog`` row,
    shown on the import's page with its audit entries.

        uploaded ──start_validation──▶ validating ──finish_validation──▶ validated
        validating ──fail_validation──▶ failed ──start_validation──▶ validating (run again)
        validating ──start_validation──▶ validating  (restarted: the worker reading it was lost)
        validated ──confirm──▶ applying ──apply──▶ applied   (validated ──apply──▶ applied:
                                                              the benchmark's direct call)
        applying ──fail_apply──▶ failed
        validated | applying ──restage──▶ uploaded  (staged rows lost: validated again)
        uploaded | validating | validated | applying | failed ──discard──▶ discarded  (the user)
        validated ──expire──▶ discarded  (the beat job, two days after validation)
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Загружен")
        VALIDATING = "validating", _("Проверяется")
        VALIDATED = "validated", _("Проверен (предпросмотр)")
        APPLYING = "applying", _("Применяется")
        APPLIED = "applied", _("Применён")
        FAILED = "failed", _("Ошибка")
        DISCARDED = "discarded", _("Отменён")

    kind = models.CharField(_("Вид данных"), max_length=30, choices=ImportKind.choices)
    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="import_batches",
        verbose_name=_("Цикл"),
    )
    evaluator = models.ForeignKey(
        "assessments.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Уполномоченный орган"),
    )
    file = models.FileField(_("Файл"), upload_to=import_upload_to, max_length=300)
    original_name = models.CharField(_("Имя файла"), max_length=255)
    file_format = models.CharField(_("Формат"), max_length=10)
    size = models.PositiveBigIntegerField(_("Размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    state = FSMField(
        _("Состояние"), max_length=20, choices=State.choices, default=State.UPLOADED,
        protected=True,
    )
    rows_total = models.PositiveIntegerField(_("Строк"), default=0)
    rows_valid = models.PositiveIntegerField(_("Строк без ошибок"), default=0)
    rows_invalid = models.PositiveIntegerField(_("Строк с ошибками"), default=0)
    rows_created = models.PositiveIntegerField(_("Добавлено записей"), default=0)
    rows_updated = models.PositiveIntegerField(_("Обновлено записей"), default=0)
    bytes_done = models.PositiveBigIntegerField(_("Обработано байт"), default=0)
    errors = models.JSONField(_("Ошибки (первые)"), default=list, blank=True)
    message = models.TextField(_("Сообщение"), blank=True)
    # why it failed or was discarded: {"code", "params"} of submission/imports/reasons.py, put
    # into words when shown (in the reader's language); ``message`` keeps a technical detail
    reason = models.JSONField(_("Причина"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кто загрузил"),
    )
    created_at = models.DateTimeField(_("Когда загружен"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("Кто применил"),
    )
    applied_at = models.DateTimeField(_("Когда применён"), null=True, blank=True)
    validated_at = models.DateTimeField(_("Когда проверен"), null=True, blank=True)
    # confirmed (state APPLYING, the apply queued) by ``applied_by`` at ``confirmed_at``
    confirmed_at = models.DateTimeField(_("Когда подтверждён"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("импорт данных")
        verbose_name_plural = _("импорты данных")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "sha256"],
                condition=models.Q(state="applied"),
                name="import_batch_applied_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.size:
            return 100
        if self.state in (self.State.VALIDATED, self.State.APPLIED):
            return 100
        return min(99, int(self.bytes_done * 100 / self.size))

    # --- transitions (model changes only; see submission/imports/pipeline.py) -----------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.UPLOADED, State.VALIDATING, State.FAILED],
                target=State.VALIDATING)
    def start_validation(self, *, by=None, description=None) -> None:
        """The worker starts reading the file (again, after a failure; from the first row, after
        the worker that read it was lost)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.VALIDATING, target=State.VALIDATED)
    def finish_validation(self, *, by=None, description=None) -> None:
        """Every row checked, the valid ones staged: the preview."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.VALIDATING, target=State.FAILED)
    def fail_validation(self, *, by=None, description=None) -> None:
        """The file could not be read (its reason on the batch)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.VALIDATED, target=State.APPLYING)
    def confirm(self, *, by=None, description=None) -> None:
        """The user confirms the preview: the apply is queued."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.VALIDATED, State.APPLYING], target=State.APPLIED)
    def apply(self, *, by=None, description=None) -> None:
        """All rows written in one transaction."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPLYING, target=State.FAILED)
    def fail_apply(self, *, by=None, description=None) -> None:
        """The confirmed apply failed: nothing applied (its reason on the batch)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.VALIDATED, State.APPLYING], target=State.UPLOADED)
    def restage(self, *, by=None, description=None) -> None:
        """The staged rows are gone or the registry changed: the file is validated again."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.UPLOADED, State.VALIDATING, State.VALIDATED, State.APPLYING, State.FAILED],
        target=State.DISCARDED,
    )
    def discard(self, *, by=None, description=None) -> None:
        """The user cancels a batch not applied (applying: only while its apply is not running,
        i.e. queued or its worker lost — the running apply holds the row's lock)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.VALIDATED, target=State.DISCARDED)
    def expire(self, *, by=None, description=None) -> None:
        """Validated and left unconfirmed for two days: discarded by the beat job."""


class ImportRecord(models.Model):
    """One applied row: its key within (cycle, kind), the body and service it concerns, its date
    and its values (``data``). The latest batch that changed the row wins and is its ``batch``
    (a file carrying the row unchanged leaves it as it is); a changed row is written anew (a
    delete and an insert, cheaper in bulk than an update), so its ``id`` is not stable.

    A bulk table (a million "Мониторинг" rows a year), written only by ``import_apply``: its
    foreign keys are not database constraints and carry no index of their own. A database
    foreign key checks and locks the referenced row once per inserted row (four of them cost
    more than the rest of the write together); instead the apply locks each referenced body and
    service once (``FOR KEY SHARE``) and refuses the batch if one has gone, and Django's
    ``PROTECT`` still guards deletions. Reads go through ``(cycle, kind, body)`` and the unique
    ``(cycle, kind, row_key)``."""

    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False, db_index=False)
    kind = models.CharField(max_length=30, choices=ImportKind.choices)
    row_key = models.CharField(max_length=200)
    body = models.ForeignKey(
        "assessments.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,
    )
    service = models.ForeignKey(
        "assessments.PublicService", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,
    )
    day = models.DateField(null=True, blank=True)
    day_to = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records",
                              db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("импортированная запись")
        verbose_name_plural = _("импортированные записи")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "row_key"], name="import_record_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["cycle", "kind", "body"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.row_key}"


class ImportStagingRow(models.Model):
    """A validated row waiting for the batch to be confirmed (deleted once applied).

    Scratch data: on PostgreSQL the table is ``UNLOGGED`` (no write-ahead log; emptied by a
    crash, which the apply notices — fewer rows staged than validated — and answers by asking
    for the file to be checked again), the batch is no database constraint (checked per row
    otherwise), and the one index is ``(batch, line)``."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+",
                              db_constraint=False, db_index=False)
    line = models.PositiveIntegerField()
    row_key = models.CharField(max_length=200)
    body_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    day = models.DateField(null=True)
    day_to = models.DateField(null=True)
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["batch", "line"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
