from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_upload_to(instance: "RenderedDocument", filename: str) -> str:
    return f"documents/{instance.kind}/{instance.sha256[:2]}/{instance.sha256}.pdf"


class RenderedDocument(models.Model):
    """One rendered PDF of one version of a subject (a conclusion, an act, a sample …).

    The key ``(kind, subject, version, language, draft, content_key)`` is unique: rendering the
    same version of the same content again returns the stored file (idempotent). ``content_key``
    names the content the subject had when it was requested (a conclusion: the SHA-256 of its
    drafted payload), so a subject whose content changes under the same version number (a
    conclusion redrafted from changed scores) gets a new row and file beside the old one. The
    bytes are never rewritten; a new version of the subject is a new row. Signed documents keep
    their signed bytes in the signing service.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Ожидает формирования")
        RENDERED = "rendered", _("Сформирован")
        FAILED = "failed", _("Ошибка формирования")

    kind = models.CharField(_("Вид документа"), max_length=40)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    version = models.PositiveIntegerField(_("Версия"), default=1)
    language = models.CharField(_("Язык"), max_length=5, default="ru")
    draft = models.BooleanField(_("Проект"), default=False)
    content_key = models.CharField(_("Ключ содержимого"), max_length=64, blank=True, default="")
    state = models.CharField(_("Состояние"), max_length=16, choices=State.choices,
                             default=State.PENDING)
    file = models.FileField(_("Файл"), upload_to=document_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("Размер, байт"), default=0)
    error = models.TextField(_("Ошибка"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Создан"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("Сформирован"), null=True, blank=True)

    class Meta:
        verbose_name = _("сформированный документ")
        verbose_name_plural = _("сформированные документы")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "version", "language", "draft",
                        "content_key"],
                name="rendered_document_unique_content",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({self.language})"
