"""Forms of the conclusions' pages: input validation only (the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from assessments.conclusions import services as svc
from assessments.models import Conclusion


class ConclusionEditForm(forms.Form):
    """The analysis per criterion of the annex and "Выводы и рекомендации"."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    recommendations = forms.CharField(
        label=gettext_lazy("Выводы и рекомендации"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
    )

    def __init__(self, *args, conclusion: Conclusion, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = svc.CRITERIA[conclusion.annex]
        for code in self.codes:
            self.fields[f"analysis_{code}"] = forms.CharField(
                label=labels.get(code, code), required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.order_fields([f"analysis_{code}" for code in self.codes]
                          + ["recommendations", "revision"])

    def analysis(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"analysis_{code}", "") for code in self.codes}


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=gettext_lazy("Замечания"), widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000, error_messages={"required": gettext_lazy(
            "Укажите замечания: что нужно доработать.")},
    )


class DraftForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)


# --- Labels and explanations -------------------------------------------------------------------
