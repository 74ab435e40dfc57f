"""Long-running jobs and their progress, shown to the user while they run.

A ``BackgroundJob`` row is created by the service that starts a long job (a cycle recompute, an
import, a batch of PDFs) before its task is queued; the task advances ``done`` in batches and
ends the job ``done`` or ``failed``. A page polls ``job_progress`` (htmx) and shows a progress
bar. See ``assessments.kernel.jobs`` for the API.

Every queued task is such a row too (``assessments.kernel.leases``): the row is written in the
transaction that queues the task (a transactional outbox: ``sent_at`` stays empty until the broker
has taken the message), and while the task runs its worker renews a lease (``heartbeat_at``,
``lease_owner``); a job whose lease lapsed is resumed or failed by the beat's sweep.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Выполняется")
        DONE = "done", _("Завершено")
        FAILED = "failed", _("Ошибка")
        CANCELLED = "cancelled", _("Отменено")

    kind = models.CharField(_("Вид задания"), max_length=60, db_index=True)
    label = models.CharField(_("Наименование"), max_length=255)
    state = models.CharField(
        _("Состояние"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    total = models.PositiveIntegerField(_("Всего"), default=0)
    done = models.PositiveIntegerField(_("Выполнено"), default=0)
    message = models.CharField(_("Этап"), max_length=255, blank=True)
    error = models.TextField(_("Ошибка"), blank=True)
    result = models.JSONField(_("Результат"), default=dict, blank=True)
    # What the job is about (a cycle, an import file …), for "the running job of this cycle".
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кем запущено"),
    )
    created_at = models.DateTimeField(_("Создано"))
    started_at = models.DateTimeField(_("Начато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Завершено"), null=True, blank=True)
    # The task that does the work (a transactional outbox: the message is sent after commit, and
    # again by the sweep while the broker is away), its arguments (JSON), and the lease.
    task_name = models.CharField(_("Задача"), max_length=200, blank=True)
    task_args = models.JSONField(_("Аргументы"), default=list, blank=True)
    task_kwargs = models.JSONField(_("Именованные аргументы"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("Передано в очередь"), null=True, blank=True)
    send_error = models.CharField(_("Ошибка передачи"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("Последний сигнал"), null=True, blank=True)
    lease_owner = models.CharField(_("Исполнитель"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Попыток"), default=0)
    # why it failed, was cancelled or resumed: {"code", "params"} (kernel.leases.REASONS), put
    # into words when shown; ``error`` keeps a technical detail
    reason = models.JSONField(_("Причина"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("фоновое задание")
        verbose_name_plural = _("фоновые задания")
        indexes = [models.Index(fields=["content_type", "object_id", "kind", "state"]),
                   models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()}, {self.done}/{self.total})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
