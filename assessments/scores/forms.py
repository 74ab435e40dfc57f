"""Forms of the scores pages: input validation only (the rules live in the services)."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Organisation


class ScoreFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Поиск по наименованию или БИН"), required=False,
                        max_length=100)  # fmt: skip
    kind = forms.ChoiceField(
        label=gettext_lazy("Вид органа"),
        required=False,
        choices=[("", gettext_lazy("Все")), ("central", Organisation.Kind.CENTRAL.label),
                 ("local", Organisation.Kind.LOCAL.label)],
    )  # fmt: skip
    order = forms.ChoiceField(
        label=gettext_lazy("Порядок"),
        required=False,
        choices=[("name", gettext_lazy("по наименованию")),
                 ("-overall", gettext_lazy("по итоговой оценке, от высшей")),
                 ("overall", gettext_lazy("по итоговой оценке, от низшей"))],
    )  # fmt: skip


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Основание"), max_length=500, required=False)


class CaseUploadForm(forms.Form):
    case_text = forms.CharField(
        label=gettext_lazy("Исходные данные (JSON по SCORING_IO.md)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
    )
    case_file = forms.FileField(label=gettext_lazy("или файл .json"), required=False)
    reason = forms.CharField(label=gettext_lazy("Основание"), max_length=500)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("case_file")
        text = cleaned.get("case_text") or ""
        if upload:
            if upload.size > 2_000_000:
                self.add_error("case_file", _("Файл больше 2 МБ."))
                return cleaned
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("case_file", _("Файл должен быть в кодировке UTF-8."))
                return cleaned
        if not text.strip():
            self.add_error("case_text", _("Вставьте JSON или выберите файл."))
            return cleaned
        try:
            cleaned["case"] = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as e:
            self.add_error(
                "case_text",
                _("Это не JSON: строка %(line)s, позиция %(col)s.") % {"line": e.lineno,
                                                                     "col": e.colno},
            )  # fmt: skip
        except ValueError:  # e.g. an integer of more than 4300 digits (issue 16)
            self.add_error("case_text", _("В JSON слишком длинное число."))
        return cleaned


class EnteredInputForm(forms.Form):
    """A number no source holds, entered on the scoring-input page with its source (p.18)."""

    path = forms.CharField(max_length=200, widget=forms.HiddenInput)
    value = forms.IntegerField(label=gettext_lazy("Значение"), min_value=0)
    source = forms.CharField(label=gettext_lazy("Источник"), max_length=500)
