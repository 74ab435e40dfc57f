"""Forms of report sections, built from the schema (services/report_schema.py).

A section's scalar fields form one Django form; its table is a formset. Validation of values
is the schema's (``services.reports.section_errors``), shown next to the field it concerns;
what was typed stays in the form whatever fails.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Classification, PublicService
from assessments.submission.report_schema import COLUMN_LABELS, COLUMNS, Field, Section


def _links_text(value) -> dict[str, str]:
    value = value or {}
    return {c: "\n".join(value.get(c) or []) for c in COLUMNS}


def service_choices() -> list[tuple[str, str]]:
    """The register's active services as choices (read once per form, shared by its rows)."""
    return [("", "—")] + [(s.code, f"{s.code} — {s.name}")
                          for s in PublicService.objects.filter(active=True)]


def _form_field(spec: Field, services: list[tuple[str, str]] | None = None) -> forms.Field:
    common = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.type == "count":
        return forms.IntegerField(min_value=0, max_value=10**12, **common,
                                  error_messages={"invalid": _("Введите целое число."),
                                                  "min_value": _("Не может быть меньше 0.")})
    if spec.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"invalid": _("Введите дату.")}, **common)
    if spec.type == "url":
        return forms.URLField(assume_scheme="https", max_length=1000,
                              error_messages={"invalid": _("Введите ссылку (http:// или https://).")},
                              **common)
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "—")] + list(spec.choices), **common)
    if spec.type == "service":
        return forms.ChoiceField(choices=services if services is not None else service_choices(),
                                 **common)
    return forms.CharField(max_length=1000, **common)


class SectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, section: Section, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section, self.kind = section, kind
        self.link_keys: list[str] = []
        for spec in section.fields_for(kind):
            if spec.type == "links":
                self.link_keys.append(spec.key)
                for column in COLUMNS:
                    self.fields[f"{spec.key}__{column}"] = forms.CharField(
                        label=f"{spec.label} — {COLUMN_LABELS[column]}",
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://…"}),
                        help_text=_("По одной ссылке в строке."),
                    )
            else:
                self.fields[spec.key] = _form_field(spec)

    @classmethod
    def initial_from(cls, section: Section, kind: str, data: dict, version: int) -> dict:
        initial = {"version": version}
        fields = data.get("fields") or {}
        for spec in section.fields_for(kind):
            value = fields.get(spec.key)
            if spec.type == "links":
                for column, text in _links_text(value).items():
                    initial[f"{spec.key}__{column}"] = text
            elif spec.type == "date" and value:
                initial[spec.key] = date.fromisoformat(value)
            else:
                initial[spec.key] = value
        return initial

    def clean(self):
        """Link fields hold links (issue 21): each line an http(s) address, else the field says
        which line is not one (nothing typed is lost: the form comes back with it)."""
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        cleaned = super().clean()
        check = URLValidator(schemes=["http", "https"])
        for key in self.link_keys:
            for column in COLUMNS:
                name = f"{key}__{column}"
                for number, line in enumerate((cleaned.get(name) or "").splitlines(), start=1):
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        check(line)
                    except ValidationError:
                        self.add_error(name, _(
                            "Строка %(n)s: «%(text)s» — не ссылка. Введите адрес, который "
                            "начинается с http:// или https://.") % {"n": number,
                                                                     "text": line[:80]})
                        break
        return cleaned

    def values(self) -> dict:
        result = {}
        for spec in self.section.fields_for(self.kind):
            if spec.type == "links":
                result[spec.key] = {
                    c: [line.strip() for line in (self.cleaned_data.get(f"{spec.key}__{c}") or "")
                        .splitlines() if line.strip()]
                    for c in COLUMNS
                }
            else:
                value = self.cleaned_data.get(spec.key)
                if isinstance(value, date):
                    value = value.isoformat()
                result[spec.key] = None if value in ("", None) else value
        return result

    def field_name(self, key: str, message: str = "") -> str | None:
        if key in self.fields:
            return key
        if key in self.link_keys:
            column = "ru" if "(ru)" in message else "kk"
            return f"{key}__{column}"
        return None


class RowForm(forms.Form):
    def __init__(self, *args, section: Section, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in section.table.columns:
            self.fields[spec.key] = _form_field(spec, services)

    def value(self) -> dict | None:
        if not self.is_valid():
            return None
        row = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, date):
                value = value.isoformat()
            row[key] = None if value in ("", None) else value
        return row if any(v not in (None, "") for v in row.values()) else None


MAX_ROWS = 1000  # rows of one table in one form (Django's own formset limit)
MAX_ROWS_ADDED = 100  # rows added by one press of "add rows"


def row_formset(section: Section, *, data=None, initial=None):
    FormSet = forms.formset_factory(RowForm, extra=section.table.extra_rows, max_num=MAX_ROWS,
                                    absolute_max=MAX_ROWS)
    kwargs: dict = {"section": section}
    if any(c.type == "service" for c in section.table.columns):
        kwargs["services"] = service_choices()  # one query for all the rows
    return FormSet(data=data, initial=initial, prefix="rows", form_kwargs=kwargs)


def with_added_rows(section: Section, data):
    """The posted form data with empty rows added to the table (``add_count`` of them, the
    table's ``extra_rows`` by default): the form is shown again with everything typed kept
    and nothing saved. Works without JavaScript; htmx only swaps the form in place."""
    data = data.copy()
    try:
        count = int(data.get("add_count") or section.table.extra_rows)
    except ValueError:
        count = section.table.extra_rows
    count = max(1, min(count, MAX_ROWS_ADDED))
    try:
        total = int(data.get("rows-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    data["rows-TOTAL_FORMS"] = str(max(0, min(total + count, MAX_ROWS)))
    return data


def rows_initial(section: Section, data: dict) -> list[dict]:
    result = []
    for row in data.get("rows") or []:
        item = {}
        for spec in section.table.columns:
            value = row.get(spec.key)
            item[spec.key] = date.fromisoformat(value) if spec.type == "date" and value else value
        result.append(item)
    return result


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Общий комментарий"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"section__{section.key}"] = forms.CharField(
                label=section.title, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if not any((v or "").strip() for k, v in data.items() if k.startswith("section__")):
            raise forms.ValidationError(_("Укажите замечания хотя бы по одному разделу."))
        return data

    def comments(self) -> dict[str, str]:
        return {k.removeprefix("section__"): v for k, v in self.cleaned_data.items()
                if k.startswith("section__")}


class EvidenceForm(forms.Form):
    indicator = forms.ChoiceField(label=_("К чему относится"), required=False)
    title = forms.CharField(label=_("Наименование документа"), max_length=500)
    classification = forms.ChoiceField(
        label=_("Гриф / пометка"),
        choices=[("", "—")] + list(Classification.choices),
        help_text=_("Секретные документы и документы с пометкой «ДСП» не принимаются (п.16)."),
    )
    language = forms.ChoiceField(label=_("Языковая версия"), required=False, choices=[
        ("", "—"), ("kk", _("государственный язык")), ("ru", _("русский язык"))])
    file = forms.FileField(label=_("Файл (PDF, DOCX, XLSX, PNG, JPEG; до 20 МБ)"))

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид данных"))
    file = forms.FileField(label=_("Файл CSV (UTF-8) или XLSX"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + list(kinds)


class SubmitForm(forms.Form):
    """Submitting a report: when something is missing the body confirms the list first (p.18)."""

    confirm_missing = forms.BooleanField(
        label=_("Подтверждаю представление отчёта без перечисленного: каждый отсутствующий "
                "элемент будет зафиксирован как факт неполной информации (2 балла, п.18)."),
        required=False,
    )

    def __init__(self, *args, needs_confirmation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation
        if not needs_confirmation:
            del self.fields["confirm_missing"]

    def clean(self):
        data = super().clean()
        if self.needs_confirmation and not data.get("confirm_missing"):
            self.add_error("confirm_missing", _("Подтвердите представление неполного отчёта."))
        return data


class ReasonForm(forms.Form):
    """Closing a report as not submitted, or reopening it: the reason is required."""

    reason = forms.CharField(label=_("Причина"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
