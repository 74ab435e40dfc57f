"""The register of public services (p.27–46): kinds of services by their register code.

Reports give counts per kind of service, imports identify services by code, and the
"Мониторинг" information system covers only the services connected to it (p.37, p.40).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PublicService(models.Model):
    code = models.CharField(_("Код услуги по реестру"), max_length=40, unique=True)
    name_ru = models.CharField(_("Наименование (рус.)"), max_length=500)
    name_kk = models.CharField(_("Наименование (каз.)"), max_length=500)
    monitored = models.BooleanField(
        _("Подключена к ИС «Мониторинг»"),
        default=True,
        help_text=_("Для неподключённых услуг нарушения берутся из данных органа (п.40)."),
    )
    electronic = models.BooleanField(_("Оказывается в электронном виде"), default=False)
    active = models.BooleanField(_("Действует"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("государственная услуга")
        verbose_name_plural = _("реестр государственных услуг")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_kk if get_language() == "kk" and self.name_kk else self.name_ru
