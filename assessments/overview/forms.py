"""Filters of the overview and the rankings: input validation only; the state lives in the URL
(a GET form), so a filtered view can be shared as a link."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation, ScoreSheet
from assessments.overview.selectors import DIRECTIONS, RANKING_DIRECTIONS, STAGES, groups

ALL = [("", _("Все"))]


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск по наименованию или БИН"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Вид органа"), required=False, choices=ALL + [
        ("central", Organisation.Kind.CENTRAL.label), ("local", Organisation.Kind.LOCAL.label)])
    region = forms.TypedChoiceField(label=_("Регион"), required=False, coerce=int,
                                    empty_value=None)
    level = forms.ChoiceField(label=_("Уровень МИО"), required=False,
                              choices=ALL + list(Organisation.Level.choices))
    evaluator = forms.TypedChoiceField(label=_("Оценивающий орган"), required=False, coerce=int,
                                       empty_value=None)
    direction = forms.ChoiceField(label=_("Направление"), required=False, choices=ALL + [
        (d, ScoreSheet.Direction(d).label) for d in DIRECTIONS])
    stage = forms.ChoiceField(label=_("Этап"), required=False,
                              choices=ALL + list(STAGES.items()))
    band = forms.ChoiceField(label=_("Степень эффективности"), required=False,
                             choices=ALL + list(ScoreSheet.Band.choices))
    overdue = forms.BooleanField(label=_("Только просроченные"), required=False)
    sort = forms.ChoiceField(label=_("Порядок"), required=False, choices=[
        ("urgent", _("сначала просроченные, затем по сроку")),
        ("name", _("по наименованию, А–Я")), ("-name", _("по наименованию, Я–А")),
        ("deadline", _("по сроку")), ("stage", _("по этапу")),
        ("-score", _("по баллу, от высшего")), ("score", _("по баллу, от низшего"))])

    def __init__(self, *args, evaluators=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = ALL + list(evaluators)
        self.fields["region"].choices = ALL + list(regions)


class RankingFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Направление"), required=False, choices=[
        (d, ScoreSheet.Direction(d).label) for d in RANKING_DIRECTIONS])
    group = forms.ChoiceField(label=_("Группа органов"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(groups().items())
