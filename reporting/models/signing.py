"""Signed documents (PAdES): the frozen PDF, its signatories in order, the signatures and the
signers' credentials.

A signed version is never changed or deleted. The frozen source bytes and every version produced by
a signature are stored as their own files, named by their SHA-256; each signature is an incremental
update, so every version starts with the exact bytes of the one before it. The guards below refuse
to rewrite frozen fields (``save()``, ``QuerySet.update()``) and refuse any deletion; they protect
integrity and hold no business logic (that lives in ``reporting.signing.services``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by

from reporting.signing.errors import ImmutableRecordError

ALL_FIELDS = "__all__"


def signed_file_upload_to(instance: models.Model, filename: str) -> str:
    """Content-addressed: ``signed/ab/abcdef….pdf`` (the caller names the file by its SHA-256)."""
    return f"signed/{filename[:2]}/{filename}"


def _comparable(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, memoryview):
        return bytes(value)
    return value


class ImmutableQuerySet(models.QuerySet):
    """Refuses ``delete()`` always, and ``update()`` of any frozen field."""

    def update(self, **kwargs):
        frozen = self.model.frozen_attnames()
        touched = sorted(
            name for name in kwargs
            if name in frozen or self.model._meta.get_field(name).attname in frozen
        )
        if touched:
            raise ImmutableRecordError(
                f"{self.model.__name__}: frozen fields cannot be updated: {', '.join(touched)}"
            )
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableRecordError(f"{self.model.__name__} rows are never deleted")


class FrozenFieldsModel(models.Model):
    """A model whose ``FROZEN_FIELDS`` (or every field, with ``ALL_FIELDS``) never change once
    stored, and whose rows are never deleted."""

    FROZEN_FIELDS: ClassVar[tuple[str, ...] | str] = ALL_FIELDS

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = getattr(self, "_stored_values", None)
            if stored is None:
                stored = type(self).objects.filter(pk=self.pk).values(
                    *self.frozen_attnames()
                ).first() or {}
            changed = sorted(
                name for name in self.frozen_attnames()
                if name in stored
                and _comparable(getattr(self, name)) != _comparable(stored[name])
            )
            if changed:
                raise ImmutableRecordError(
                    f"{type(self).__name__} #{self.pk}: frozen fields cannot change: "
                    f"{', '.join(changed)}"
                )
        super().save(*args, **kwargs)
        self._stored_values = self._snapshot()

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} rows are never deleted")

    @classmethod
    def frozen_attnames(cls) -> set[str]:
        if cls.FROZEN_FIELDS == ALL_FIELDS:
            return {f.attname for f in cls._meta.concrete_fields if not f.primary_key}
        return {cls._meta.get_field(name).attname for name in cls.FROZEN_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_values = {
            name: value for name, value in zip(field_names, values, strict=True)
            if value is not models.DEFERRED
        }
        return instance

    def _snapshot(self) -> dict:
        return {f.attname: f.value_from_object(self) for f in self._meta.concrete_fields}


class SigningCredential(FrozenFieldsModel):
    """A person's signing certificate: with its private key as a passphrase-protected PKCS#12
    (the demo signer: uploaded or issued), or the certificate alone (``ncalayer``: the key stays
    on the person's computer or token; bound to the account by the IIN in its subject).

    The passphrase is never stored: it is asked at signing time. A credential is deactivated,
    never deleted (its signatures point to it); a person has at most one active credential.
    """

    class Source(models.TextChoices):
        UPLOADED = "uploaded", _("Загружен владельцем")
        ISSUED = "issued", _("Выпущен администратором")
        NCALAYER = "ncalayer", _("ЭЦП через NCALayer (только сертификат)")

    FROZEN_FIELDS = (
        "user", "source", "pkcs12", "certificate_pem", "fingerprint", "subject", "issuer",
        "serial_number", "not_before", "not_after", "iin", "bin", "created_at", "created_by",
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_credentials",
        verbose_name=_("Владелец"),
    )
    source = models.CharField(_("Источник"), max_length=16, choices=Source.choices)
    pkcs12 = models.BinaryField(_("PKCS#12"), editable=False, null=True, blank=True)
    certificate_pem = models.TextField(_("Сертификат (PEM)"))
    fingerprint = models.CharField(_("Отпечаток SHA-256"), max_length=64)
    subject = models.CharField(_("Владелец сертификата"), max_length=500)
    issuer = models.CharField(_("Издатель"), max_length=500)
    serial_number = models.CharField(_("Серийный номер"), max_length=80)
    not_before = models.DateTimeField(_("Действителен с"))
    not_after = models.DateTimeField(_("Действителен по"))
    iin = models.CharField(_("ИИН в сертификате"), max_length=12, blank=True)
    bin = models.CharField(_("БИН в сертификате"), max_length=12, blank=True)
    active = models.BooleanField(_("Действующий"), default=True)
    created_at = models.DateTimeField(_("Добавлен"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем добавлен"),
    )
    deactivated_at = models.DateTimeField(_("Отозван"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("сертификат подписи")
        verbose_name_plural = _("сертификаты подписи")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(active=True),
                name="signing_credential_one_active_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "fingerprint"], name="signing_credential_unique_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:16]}…)"


class SignedDocument(FSMModelMixin, FrozenFieldsModel):
    """One frozen PDF and its signing flow: frozen → partially_signed → signed.

    ``source_*`` are the frozen bytes (never rewritten); ``current_*`` point to the latest
    version (the source, or the bytes after the last signature — each a ``Signature`` row).
    """

    class State(models.TextChoices):
        FROZEN = "frozen", _("Ожидает подписей")
        PARTIALLY_SIGNED = "partially_signed", _("Подписан частично")
        SIGNED = "signed", _("Подписан")

    FROZEN_FIELDS = (
        "kind", "title", "rendered_document", "subject_type", "subject_id", "version",
        "language", "source_file", "source_sha256", "source_size", "created_at", "created_by",
    )

    kind = models.CharField(_("Вид документа"), max_length=40)
    title = models.CharField(_("Наименование"), max_length=300, blank=True)
    rendered_document = models.OneToOneField(
        "reporting.RenderedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="signed_document", verbose_name=_("Сформированный документ"),
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    version = models.PositiveIntegerField(_("Версия"), default=1)
    language = models.CharField(_("Язык"), max_length=5, default="ru")
    source_file = models.FileField(_("Исходный файл"), upload_to=signed_file_upload_to)
    source_sha256 = models.CharField(_("SHA-256 исходного файла"), max_length=64)
    source_size = models.PositiveIntegerField(_("Размер исходного файла, байт"))
    state = FSMField(
        _("Состояние"), max_length=20, choices=State.choices, default=State.FROZEN,
        protected=True,
    )
    current_file = models.FileField(_("Текущая версия"), upload_to=signed_file_upload_to)
    current_sha256 = models.CharField(_("SHA-256 текущей версии"), max_length=64)
    current_size = models.PositiveIntegerField(_("Размер текущей версии, байт"))
    created_at = models.DateTimeField(_("Заморожен"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Кем заморожен"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("подписываемый документ")
        verbose_name_plural = _("подписываемые документы")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "version", "language",
                        "source_sha256"],
                condition=models.Q(subject_id__isnull=False),
                name="signed_document_unique_subject_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.kind} v{self.version}"

    @fsm_log_by
    @transition(field=state, source=[State.FROZEN, State.PARTIALLY_SIGNED],
                target=State.PARTIALLY_SIGNED)
    def record_signature(self, *, by=None) -> None:
        """A signature was added and more are required."""

    @fsm_log_by
    @transition(field=state, source=[State.FROZEN, State.PARTIALLY_SIGNED], target=State.SIGNED)
    def record_last_signature(self, *, by=None) -> None:
        """The last required signature was added."""


class SignatorySlot(FrozenFieldsModel):
    """One place in the document's signature block, in the seed's order (1, 2, …).

    A slot names either the person who must sign (``user``) or a ``role`` whose holders may sign
    (decided by a resolver registered in ``reporting.signing.roles``); ``position`` is the text
    of the signature block ("Заместитель Председателя").
    """

    signed_document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, related_name="slots"
    )
    order = models.PositiveSmallIntegerField(_("Порядок"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="signatory_slots", verbose_name=_("Подписант"),
    )
    role = models.CharField(_("Роль"), max_length=60, blank=True)
    position = models.CharField(_("Должность в блоке подписей"), max_length=255, blank=True)

    class Meta:
        ordering = ["signed_document", "order"]
        verbose_name = _("место подписи")
        verbose_name_plural = _("места подписей")
        constraints = [
            models.UniqueConstraint(
                fields=["signed_document", "order"], name="signatory_slot_unique_order"
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(role=""),
                name="signatory_slot_user_or_role",
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.role
        return f"{self.order}. {who}" + (f", {self.position}" if self.position else "")


class Signature(FrozenFieldsModel):
    """One signature, in its slot: who signed, as what, when, and the bytes it produced."""

    signed_document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, related_name="signatures"
    )
    slot = models.OneToOneField(
        SignatorySlot, on_delete=models.PROTECT, related_name="signature"
    )
    order = models.PositiveSmallIntegerField(_("Порядок"))
    field_name = models.CharField(_("Поле подписи"), max_length=40)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures",
        verbose_name=_("Подписант"),
    )
    credential = models.ForeignKey(
        SigningCredential, on_delete=models.PROTECT, related_name="signatures",
        verbose_name=_("Сертификат"),
    )
    full_name = models.CharField(_("ФИО"), max_length=255)
    position = models.CharField(_("Должность"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("Подписано"))
    file = models.FileField(_("Файл после подписи"), upload_to=signed_file_upload_to)
    sha256 = models.CharField(_("SHA-256 после подписи"), max_length=64)
    size = models.PositiveIntegerField(_("Размер, байт"))

    class Meta:
        ordering = ["signed_document", "order"]
        verbose_name = _("подпись")
        verbose_name_plural = _("подписи")
        constraints = [
            models.UniqueConstraint(
                fields=["signed_document", "order"], name="signature_unique_order"
            ),
            models.UniqueConstraint(
                fields=["signed_document", "signer"], name="signature_one_per_signer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position} ({self.signed_at:%Y-%m-%d %H:%M})"

    @property
    def printed_name(self) -> str:
        """"ФИО, должность" as printed in the status line."""
        return f"{self.full_name}, {self.position}" if self.position else self.full_name


class SigningPreparation(FSMModelMixin, models.Model):
    """The first phase of one signature: the next revision of the document, frozen with its
    signature field, stamp and an empty placeholder, waiting for the CMS over ``signed data``
    (every byte but the placeholder). It expires after ``SIGNING_PREPARATION_MINUTES``; the
    second phase completes it once (pending → completed), re-checking everything under the
    document's lock. Never deleted: an expired one simply stays pending.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Ожидает подписи")
        COMPLETED = "completed", _("Подпись получена")

    signed_document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, related_name="preparations"
    )
    slot = models.ForeignKey(SignatorySlot, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_preparations",
    )
    method = models.CharField(_("Способ подписи"), max_length=16)
    field_name = models.CharField(_("Поле подписи"), max_length=40)
    base_sha256 = models.CharField(_("SHA-256 версии, которую дополняет подпись"), max_length=64)
    prepared_pdf = models.BinaryField(_("Подготовленная ревизия"))
    reserved_start = models.PositiveIntegerField()
    reserved_end = models.PositiveIntegerField()
    data_sha256 = models.CharField(_("SHA-256 подписываемых данных"), max_length=64)
    signing_time = models.DateTimeField(_("Время подписи (в штампе и /M)"))
    reason = models.CharField(_("Основание"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("Подготовлено"))
    expires_at = models.DateTimeField(_("Действует до"))
    state = FSMField(
        _("Состояние"), max_length=16, choices=State.choices, default=State.PENDING,
        protected=True,
    )
    completed_at = models.DateTimeField(_("Завершено"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("подготовка подписи")
        verbose_name_plural = _("подготовки подписей")

    def __str__(self) -> str:
        return f"{self.signed_document} / {self.field_name} ({self.state})"

    @fsm_log_by
    @transition(field=state, source=State.PENDING, target=State.COMPLETED)
    def complete(self, *, by=None) -> None:
        """The CMS came back, verified, and the signature is stored."""
