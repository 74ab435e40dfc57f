"""Forms of the re-verification pages: input validation only (the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Classification,
    DocumentRequest,
    Finding,
    SystemCheck,
)
from assessments.models.evidence import REFUSED_CLASSIFICATIONS
from assessments.reverification.services import (
    DEFAULT_REQUEST_WORKING_DAYS,
    MAX_REQUEST_WORKING_DAYS,
    RISK_FACTORS,
)

OPEN_CLASSIFICATIONS = [(v, label) for v, label in Classification.choices
                        if v not in REFUSED_CLASSIFICATIONS]


class RiskMethodForm(forms.Form):
    """One weight per risk factor, the random sample's size, the revision read."""

    sample_size = forms.IntegerField(label=_("Размер случайной выборки"), min_value=0,
                                     max_value=100)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(label=_("Основание изменения"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, factor in RISK_FACTORS.items():
            self.fields[f"w_{code}"] = forms.CharField(
                label=factor.label, max_length=12, help_text=factor.description,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
        # weights first, then the sample size and the reason
        order = [f"w_{code}" for code in RISK_FACTORS] + ["sample_size", "reason", "revision"]
        self.order_fields(order)

    @classmethod
    def initial_for(cls, method) -> dict:
        initial = {f"w_{code}": method.weights.get(code, str(f.default_weight))
                   for code, f in RISK_FACTORS.items()}
        initial.update(sample_size=method.sample_size, revision=method.revision)
        return initial

    def weights(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"w_{code}"] for code in RISK_FACTORS}


class PickForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Орган"), coerce=int)
    reason = forms.CharField(label=_("Обоснование"), max_length=1000, required=False)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]


class SampleForm(forms.Form):
    size = forms.IntegerField(label=_("Сколько органов отобрать"), min_value=1, max_value=100)
    reason = forms.CharField(label=_("Примечание"), max_length=500, required=False)


class DocumentRequestForm(forms.Form):
    document_kind = forms.ChoiceField(label=_("Вид документа"),
                                      choices=DocumentRequest.DocumentKind.choices)
    title = forms.CharField(label=_("Какие документы запрашиваются"), max_length=500)
    report_section = forms.CharField(label=_("Раздел отчётной информации"), max_length=255,
                                     required=False)
    classification = forms.ChoiceField(
        label=_("Гриф (пометка) документа"), choices=OPEN_CLASSIFICATIONS,
        error_messages={"invalid_choice": _(
            "Документы с грифом секретности или пометкой «Для служебного пользования» не "
            "запрашиваются (п.16).")},
    )
    working_days = forms.IntegerField(
        label=_("Срок, рабочих дней"), min_value=1, max_value=MAX_REQUEST_WORKING_DAYS,
        initial=DEFAULT_REQUEST_WORKING_DAYS,
    )


class SystemCheckForm(forms.Form):
    system = forms.CharField(label=_("Информационная система"), max_length=255)
    subject = forms.CharField(label=_("Что проверено"), max_length=500)
    result = forms.ChoiceField(label=_("Результат"), choices=SystemCheck.Result.choices)
    checked_on = forms.DateField(label=_("Дата просмотра"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Примечание"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид факта"), choices=Finding.Kind.choices,
                             widget=forms.RadioSelect)
    description = forms.CharField(label=_("Описание факта"),
                                  widget=forms.Textarea(attrs={"rows": 3}))
    report_section = forms.CharField(label=_("Раздел отчётной информации"), max_length=255)
    origin = forms.ChoiceField(label=_("Где представлено"), choices=Finding.Origin.choices,
                               initial=Finding.Origin.SUBMITTED)
    source_url = forms.URLField(label=_("Ссылка на размещённую информацию"), required=False,
                                max_length=500, assume_scheme="https")
    document = forms.TypedChoiceField(label=_("Подтверждающий документ"), coerce=int,
                                      required=False, empty_value=None)
    system_check = forms.TypedChoiceField(label=_("Просмотр информационной системы"),
                                          coerce=int, required=False, empty_value=None)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, documents=(), checks=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["document"]
            del self.fields["system_check"]
            self.fields["revision"].required = True
        else:
            del self.fields["revision"]
            self.fields["document"].choices = [("", "—")] + [
                (d.pk, d.original_name) for d in documents]
            self.fields["system_check"].choices = [("", "—")] + [
                (c.pk, f"{c.system}: {c.subject}") for c in checks]


class UploadForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Файл (PDF, DOCX, XLSX, PNG, JPEG)"))
    classification = forms.ChoiceField(
        label=_("Гриф (пометка) документа"), choices=Classification.choices,
        help_text=_("Документы с грифом секретности или пометкой «ДСП» не принимаются (п.16)."),
    )


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=_("Основание"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class OptionalNoteForm(forms.Form):
    reason = forms.CharField(label=_("Примечание"), max_length=500, required=False)


class SignActForm(forms.Form):
    passphrase = forms.CharField(label=_("Пароль к ключу подписи"),
                                 widget=forms.PasswordInput(render_value=False))
    remarks = forms.CharField(
        label=_("Замечания к акту (если подписываете с замечаниями)"), required=False,
        max_length=900, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, body_turn=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not body_turn:
            del self.fields["remarks"]


class ActRemarksForm(forms.Form):
    remarks = forms.CharField(
        label=_("Замечания к акту (несогласие с фактами)"), max_length=900,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseUnsignedForm(forms.Form):
    reason = forms.CharField(label=_("Примечание"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
