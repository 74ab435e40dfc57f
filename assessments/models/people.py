from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the system. Full name and position are printed in signature blocks."""

    full_name = models.CharField(_("ФИО"), max_length=255, blank=True)
    position = models.CharField(_("Должность"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)
