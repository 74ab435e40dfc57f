"""Forms of the reporting pages: the signing passphrase and a PKCS#12 upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PKCS12_BYTES = 256 * 1024


class SignForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Пароль к ключу подписи"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Пароль вашего контейнера PKCS#12. Он не сохраняется."),
    )


class CredentialUploadForm(forms.Form):
    pkcs12 = forms.FileField(
        label=_("Файл ключа подписи (PKCS#12: .p12, .pfx)"),
    )
    passphrase = forms.CharField(
        label=_("Пароль к файлу"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Нужен только для проверки файла; не сохраняется, "
                    "его спросят при каждом подписании."),
    )

    def clean_pkcs12(self):
        upload = self.cleaned_data["pkcs12"]
        if upload.size > MAX_PKCS12_BYTES:
            raise forms.ValidationError(_("Файл слишком большой для ключа подписи."))
        return upload
