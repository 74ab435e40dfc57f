"""Uploads refused by the checks that run before a file is parsed (issue 16): who, when, what
file (name, real size, SHA-256, type by content) and why (a reason code and its parameters, put
into words by ``assessments.kernel.uploads``). Listed read-only for administrators; the file
itself is never kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckState(models.TextChoices):
    """Where an uploaded document stands in its quarantine (issue 16): checked by a task before
    anyone but its uploader sees it; a picture or a scan is held until the body's head confirms
    its classification; a check that could not be completed (its job failed for good) leaves the
    file *failed* — never accepted, its reason shown, removable. A refused file is deleted (and
    listed in :class:`RefusedUpload`)."""

    QUARANTINE = "quarantine", _("Проверяется")
    HELD = "held", _("Ждёт подтверждения руководителем: нет ли пометки «ДСП»")
    ACCEPTED = "accepted", _("Принят")
    FAILED = "failed", _("Проверка не завершена")


class QuarantinedUpload(models.Model):
    """The fields of a document that waits in quarantine (evidence, documents of re-verification
    requests and of objections)."""

    check_state = models.CharField(_("Проверка файла"), max_length=20,
                                   choices=CheckState.choices, default=CheckState.QUARANTINE)
    checked_at = models.DateTimeField(_("Когда проверен"), null=True, blank=True)
    check_reason = models.JSONField(_("Почему проверка не завершена"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def check_reason_text(self) -> str:
        """The reason of a failed check, in the reader's language."""
        from assessments.kernel.uploads import check_failure_text

        return check_failure_text(self.check_reason)


class RefusedUpload(models.Model):
    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", _("Подтверждающий документ к отчёту")
        IMPORT = "import", _("Файл импорта данных")
        CONFIRMING = "confirming", _("Документ по запросу перепроверки")
        APPEAL = "appeal", _("Документ к возражению")

    purpose = models.CharField(_("Назначение"), max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Кто загрузил"),
    )
    refused_at = models.DateTimeField(_("Когда отклонён"), db_index=True)
    original_name = models.CharField(_("Имя файла"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("Размер, байт"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file_type = models.CharField(_("Тип (по содержимому)"), max_length=20, blank=True)
    code = models.CharField(_("Причина (код)"), max_length=40)
    params = models.JSONField(_("Параметры причины"), default=dict, blank=True)
    # where it was uploaded (a report, a re-verification, an objection): its page shows the
    # uploader the files refused there, with the reason
    subject_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("Тип объекта"))
    subject_id = models.PositiveBigIntegerField(_("Объект"), null=True, blank=True)
    hostile = models.BooleanField(
        _("Опасный файл"), default=False,
        help_text=_("Архив-бомба, огромные размеры листа, DOCTYPE в XML, превышение времени "
                    "или памяти при проверке."),
    )

    class Meta:
        ordering = ["-refused_at", "-pk"]
        verbose_name = _("отклонённый файл")
        verbose_name_plural = _("отклонённые файлы")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.code})"

    @property
    def reason_text(self) -> str:
        """Why the file was refused, in the reader's language."""
        from assessments.kernel.uploads import refusal_text

        return refusal_text(self.code, self.params)
