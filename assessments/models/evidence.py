"""Confirming documents (p.11, p.14–16): files attached to a report's section or indicator.

Nothing is ever overwritten: a file is stored under its SHA-256 and a replacement is a new row
whose ``replaces`` points to the previous version (``is_current`` marks the newest). Secret and
"Для служебного пользования" documents are refused before anything is stored (p.16).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import CheckState, QuarantinedUpload


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Content-addressed path: the same bytes land on the same name; a name is never reused for
    # other bytes, so storage never overwrites a document.
    extension = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpeg": "jpg"}.get(
        instance.file_type, "bin"
    )
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class Classification(models.TextChoices):
    """The document's classification, required on upload (p.16)."""

    OPEN = "open", _("Открытый (общедоступный) документ")
    INTERNAL = "internal", _("Документ без ограничительной пометки (служебная переписка)")
    DSP = "dsp", _("Для служебного пользования (ДСП)")
    SECRET = "secret", _("Секретно")


REFUSED_CLASSIFICATIONS = frozenset({Classification.DSP, Classification.SECRET})


class Evidence(QuarantinedUpload):
    # Issue 16: a file waits in quarantine (invisible to evaluators) until its content is
    # checked; a picture or a scan is held until the body's head confirms its classification.
    CheckState = CheckState

    report = models.ForeignKey(
        "assessments.Report", on_delete=models.PROTECT, related_name="evidence",
        verbose_name=_("Отчёт"),
    )
    section_key = models.CharField(_("Раздел"), max_length=40)
    indicator = models.CharField(_("Показатель"), max_length=60, blank=True)
    title = models.CharField(_("Наименование документа"), max_length=500)
    file = models.FileField(_("Файл"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("Имя файла"), max_length=255)
    file_type = models.CharField(_("Тип (по содержимому)"), max_length=20)
    size = models.PositiveBigIntegerField(_("Размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    classification = models.CharField(
        _("Гриф / пометка"), max_length=20, choices=Classification.choices
    )
    language = models.CharField(
        _("Языковая версия"), max_length=2, choices=[("kk", _("государственный")),
                                                    ("ru", _("русский"))], blank=True,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Кем загружен"),
    )
    uploaded_at = models.DateTimeField(_("Когда загружен"))
    version = models.PositiveIntegerField(_("Версия"), default=1)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
        verbose_name=_("Заменяет версию"),
    )
    is_current = models.BooleanField(_("Действующая версия"), default=True)
    class Meta:
        ordering = ["report", "section_key", "indicator", "title", "-version"]
        verbose_name = _("подтверждающий документ")
        verbose_name_plural = _("подтверждающие документы")
        indexes = [models.Index(fields=["report", "section_key", "is_current"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
