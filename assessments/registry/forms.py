"""Forms of the registry and schedule pages (validation of input only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Direction, Milestone, Organisation, User


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск по наименованию или БИН"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Вид органа"),
        required=False,
        choices=[("", _("Все"))] + list(Organisation.Kind.choices),
    )
    level = forms.ChoiceField(
        label=_("Уровень МИО"),
        required=False,
        choices=[("", _("Все"))] + list(Organisation.Level.choices),
    )
    region = forms.TypedChoiceField(label=_("Регион"), required=False, coerce=int, empty_value=None)
    evaluated = forms.BooleanField(label=_("Только оцениваемые органы"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Все"))] + [(r.pk, r.name) for r in regions]


class MilestoneForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Основание изменения"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Например: письмо Администрации Президента об изменении Графика."),
    )

    class Meta:
        model = Milestone
        fields = ["due_on", "note"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AssignmentForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Оцениваемый орган"), queryset=Organisation.objects.none()
    )
    direction = forms.ChoiceField(label=_("Направление"), choices=Direction.choices)
    assessor = forms.ModelChoiceField(label=_("Эксперт"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Примечание"), max_length=500, required=False)

    def __init__(self, *args, bodies, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["assessor"].queryset = assessors


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Основание"), max_length=500, required=False)
