"""One error style for every form (issue 21): a summary at the top linking to each field in
error, and table cells whose inputs carry their column and row as their accessible name.

    {% load form_tags %}
    {% error_summary form formset %}             {# nothing when there are no errors #}
    {% cell field column.label forloop.counter %}  {# a table form's input, labelled #}
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

register = template.Library()


def _field_errors(form):
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        for error in errors:
            yield {"id": bound.id_for_label, "label": bound.label, "message": error}


def _files_to_choose_again(form) -> list[str]:
    """A bound form that came back with errors loses the files chosen (browsers never refill a
    file input): name them, so the person knows to choose them again."""
    from django import forms as django_forms

    if not form.is_bound or not form.errors or not getattr(form, "files", None):
        return []
    names = []
    for name, field in form.fields.items():
        if isinstance(field, django_forms.FileField):
            for upload in form.files.getlist(form.add_prefix(name)):
                names.append(_("Файл «%(name)s» не сохранён, потому что в форме есть ошибки: "
                               "выберите его ещё раз.") % {"name": upload.name})
    return names


@register.simple_tag
def file_again(field):
    """Beside a file input of a form returned with errors: which file to choose again."""
    from django.utils.html import format_html_join

    notes = [n for n in _files_to_choose_again(field.form)
             if field.form.files.getlist(field.html_name)]
    return format_html_join("", '<span class="field-error" data-testid="file-again">{}</span>',
                            ((n,) for n in notes))


@register.simple_tag
def error_summary(*forms):
    """The errors of ``forms`` (forms or formsets): the form-wide ones, then each field's as a
    link to the field."""
    general, fields = [], []
    for form in forms:
        if not form:
            continue
        if hasattr(form, "forms"):  # a formset
            general.extend(form.non_form_errors())
            for number, sub in enumerate(form.forms, start=1):
                general.extend(sub.non_field_errors())
                for item in _field_errors(sub):
                    item["label"] = _("строка %(n)s, %(column)s") % {
                        "n": number, "column": item["label"]}
                    fields.append(item)
            continue
        general.extend(form.non_field_errors())
        fields.extend(_field_errors(form))
        general.extend(_files_to_choose_again(form))
    if not general and not fields:
        return ""
    return render_to_string("partials/error_summary.html", {"general": general,
                                                            "fields": fields})


@register.simple_tag
def cell(field, column, row):
    """A table form's input, named for screen readers by its column and row, marked invalid
    and pointed at its error when it has one."""
    attrs = {}
    if row not in (None, ""):  # a table's cell: its column and row (a field has its <label>)
        attrs["aria-label"] = _("%(column)s, строка %(n)s") % {"column": column, "n": row}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}-error"
    return field.as_widget(attrs=attrs)
