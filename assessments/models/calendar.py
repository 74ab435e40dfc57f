from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    """A decree the `holidays` package does not know yet: an extra day off or working day.

    Overrides win over the package's calendar. Administrators edit them in the admin.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Дополнительный выходной день")
        WORKING_DAY = "working_day", _("Дополнительный рабочий день")

    date = models.DateField(_("Дата"), unique=True)
    kind = models.CharField(_("Вид"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("Основание (постановление)"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кем внесено"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Когда внесено"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("исключение календаря")
        verbose_name_plural = _("исключения календаря")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.get_kind_display()}"
