"""The REST API's credentials and records (issue 19): tokens an administrator issues to a person
or to an organisation's service account, each use of a token, and the idempotency keys of writes.

A token is shown once when issued; only its SHA-256 is stored (``key_hash``), with its first
characters (``prefix``) to find it and to name it in lists. It carries scopes (what it may be
used for), an expiry, and is revoked by an administrator (who and when). The account behind a
token — a person, or a service account of an organisation with the roles its memberships give —
is the actor of everything done with it, so the access registry decides exactly as for pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ_SCORES = "scores:read", _("Чтение оценок, заключений, отчётов и реестра")
    SUBMIT_REPORTS = "reports:submit", _("Представление данных отчётов")
    IMPORT_DATA = "imports:write", _("Загрузка и подтверждение импорта данных")


class ServiceAccount(models.Model):
    """An integration of an organisation (its information system): a user who cannot sign in to
    the pages (no usable password), whose memberships of ``organisation`` give the roles the
    integration needs. It is the actor recorded on every transition it makes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="service_account", verbose_name=_("Учётная запись"))
    organisation = models.ForeignKey("assessments.Organisation", on_delete=models.PROTECT,
                                     related_name="service_accounts",
                                     verbose_name=_("Организация"))
    system = models.CharField(_("Информационная система"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("Кем создана"))
    created_at = models.DateTimeField(_("Когда создана"))

    class Meta:
        verbose_name = _("сервисная учётная запись")
        verbose_name_plural = _("сервисные учётные записи")

    def __str__(self) -> str:
        return f"{self.system} ({self.organisation})"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens", verbose_name=_("Кому выдан"))
    name = models.CharField(_("Назначение"), max_length=200)
    prefix = models.CharField(_("Начало ключа"), max_length=12, db_index=True)
    key_hash = models.CharField(_("SHA-256 ключа"), max_length=64, unique=True)
    scopes = models.JSONField(_("Права"), default=list)
    expires_at = models.DateTimeField(_("Действует до"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("Кем выдан"))
    created_at = models.DateTimeField(_("Когда выдан"))
    revoked_at = models.DateTimeField(_("Когда отозван"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("Кем отозван"))
    last_used_at = models.DateTimeField(_("Последнее использование"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("токен API")
        verbose_name_plural = _("токены API")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.user})"


class ApiTokenUse(models.Model):
    """One request made with a token: when, what, from where, and the answer's status."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses",
                              verbose_name=_("Токен"))
    at = models.DateTimeField(_("Когда"))
    method = models.CharField(_("Метод"), max_length=10)
    path = models.CharField(_("Адрес"), max_length=500)
    status = models.PositiveSmallIntegerField(_("Ответ"))
    address = models.CharField(_("IP-адрес"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "at"])]
        verbose_name = _("использование токена API")
        verbose_name_plural = _("использования токенов API")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyRecord(models.Model):
    """A write made with an ``Idempotency-Key``: the key per account, a hash of the request and
    the response, so that a retry answers the same without acting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # None: still running
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_one_key_per_user")]
        verbose_name = _("ключ идемпотентности")
        verbose_name_plural = _("ключи идемпотентности")

    def __str__(self) -> str:
        return self.key
