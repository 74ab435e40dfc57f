"""In-app notifications (and the e-mail copy sent with them): generic, any part may notify.

``key`` makes a notification idempotent: a reminder sent once for a key is never sent again to
the same person (beat jobs may run twice).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Получатель"),
    )
    text = models.CharField(_("Текст"), max_length=1000)
    link = models.CharField(_("Ссылка"), max_length=500, blank=True)
    key = models.CharField(_("Ключ (для повторов)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Создано"), db_index=True)
    read_at = models.DateTimeField(_("Прочитано"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("Отправлено по почте"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text[:80]
