"""The audit trail: who changed what, when, from what to what, and why.

State changes of django-fsm models are logged by django-fsm-log (``StateLog``); every other change
of reference or scored data writes an ``AuditEntry`` through ``services.audit.audit_record``.
Entries are never edited or deleted: the queryset refuses ``update()`` and ``delete()``, ``save()``
refuses to overwrite a stored row, and the admin is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove a recorded audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("audit entries are never updated")

    def delete(self):
        raise AuditImmutable("audit entries are never deleted")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=obj.pk)


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Кто"),
    )
    at = models.DateTimeField(_("Когда"), db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Тип объекта")
    )
    object_id = models.PositiveBigIntegerField(_("Объект"), db_index=True)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("Объект"), max_length=500)
    action = models.CharField(_("Действие"), max_length=60)
    changes = models.JSONField(_("Изменения"), default=dict, blank=True)
    reason = models.TextField(_("Основание"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("запись журнала изменений")
        verbose_name_plural = _("журнал изменений")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '—'}: {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: a stored entry is never rewritten.
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("audit entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("audit entries are never deleted")

    def change_rows(self) -> list[tuple[str, object, object]]:
        """``[(field, before, after), …]`` for templates."""
        return [(name, pair[0], pair[1]) for name, pair in sorted(self.changes.items())]
