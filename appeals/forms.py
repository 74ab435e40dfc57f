"""Forms of the appeal pages (chapter 7): the disagreement table (annex 14) the body's head files,
the commission, its sitting (members, attendance, votes and rulings), the result checks.

The forms only collect and check what a person typed; every rule of the procedure (window,
composition, quorum, majority) is the services' (``appeals.services``), whose refusals the views
show next to the form. Nothing typed is lost on a failed submit: the formset is re-rendered from
the POST, and the supporting documents that passed the evidence rules are kept on the server
(``StagedDocument``) and carried by a signed token until the table is filed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.models import AppealDirection
from assessments.models.evidence import Classification

STAGING_DIR = "appeals/staging"
STAGING_SALT = "appeals.staged-document"
MAX_DOCUMENTS_PER_ROW = 10


# --- Supporting documents kept between submits ----------------------------------------------


@dataclass(frozen=True)
class StagedDocument:
    """A supporting document already checked by the evidence rules, kept on the server until
    the table is filed (so a failed submit does not make the body upload it again)."""

    sha256: str
    name: str
    classification: str
    size: int
    file_type: str

    def token(self, user_id: int) -> str:
        return signing.dumps(
            {"sha256": self.sha256, "name": self.name, "classification": self.classification,
             "size": self.size, "type": self.file_type, "user": user_id},
            salt=STAGING_SALT,
        )

    @classmethod
    def from_token(cls, token: str, user_id: int) -> StagedDocument | None:
        try:
            data = signing.loads(token, salt=STAGING_SALT, max_age=2 * 24 * 3600)
        except signing.BadSignature:
            return None
        if data.get("user") != user_id or not re.fullmatch(r"[0-9a-f]{64}", data["sha256"]):
            return None
        doc = cls(data["sha256"], data["name"], data["classification"], data["size"],
                  data["type"])
        return doc if default_storage.exists(doc.path) else None

    @property
    def path(self) -> str:
        return f"{STAGING_DIR}/{self.sha256}"

    def content(self) -> bytes:
        with default_storage.open(self.path, "rb") as handle:
            return handle.read()

    def discard(self) -> None:
        if default_storage.exists(self.path):
            default_storage.delete(self.path)

    @classmethod
    def stage(cls, *, content: bytes, name: str, classification: str, sha256: str,
              file_type: str) -> StagedDocument:
        doc = cls(sha256, name, classification, len(content), file_type)
        if not default_storage.exists(doc.path):
            default_storage.save(doc.path, ContentFile(content))
        return doc


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- The disagreement table ------------------------------------------------------------------


def parse_value(text: str) -> Any:
    """The value the body proposes for a scoring-input path, from what it typed: an integer, a
    decimal (kept as a string with a point, as the inputs store scores: "2.5"), JSON for a list
    or an object, otherwise the text itself."""
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        normal = text.replace(",", ".")
        try:
            Decimal(normal)
        except InvalidOperation:  # pragma: no cover - the pattern guarantees a decimal
            return text
        return normal
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return text
    if text in ("true", "false"):
        return text == "true"
    return text


def show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class DisagreementRowForm(forms.Form):
    """One row of annex 14: the disputed criterion or indicator (from the conclusion), the
    evaluator's conclusion on it (shown, read-only), the body's objection, optionally the input
    it concerns and the value the body claims, and the row's supporting documents."""

    subject = forms.ChoiceField(
        label=gettext_lazy("Оспариваемый критерий (индикатор)"),
        error_messages={"required": gettext_lazy(
            "Выберите оспариваемый критерий или индикатор из заключения.")},
    )
    objection_text = forms.CharField(
        label=gettext_lazy("Возражение оцениваемого органа"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Изложите возражение по строке.")},
    )
    input_path = forms.ChoiceField(
        label=gettext_lazy("Какие исходные данные изменить (необязательно)"), required=False,
    )
    proposed_value = forms.CharField(
        label=gettext_lazy("Предлагаемое значение"), required=False, max_length=2000,
    )
    documents = MultipleFileField(
        label=gettext_lazy("Подтверждающие документы (PDF, DOCX, XLSX, PNG, JPEG; до 20 МБ)"),
        required=False,
    )
    classification = forms.ChoiceField(
        label=gettext_lazy("Гриф / пометка"), required=False,
        choices=[("", "—")] + list(Classification.choices),
        help_text=gettext_lazy(
            "Документы с грифом «Секретно» или пометкой «Для служебного пользования» не "
            "принимаются (п.16)."),
    )

    def __init__(self, *args, subjects=(), paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—")] + list(subjects)
        self.fields["input_path"].choices = [("", "—")] + list(paths)
        self.subject_labels = dict(subjects)
        self.staged: list[StagedDocument] = []  # set by the view (kept documents)

    def clean(self):
        data = super().clean()
        path, value = data.get("input_path"), data.get("proposed_value", "")
        if value and not path:
            self.add_error("input_path", _("Укажите, к каким исходным данным относится "
                                           "предлагаемое значение."))
        if path and not value:
            self.add_error("proposed_value", _("Укажите новое значение для «%(path)s».")
                           % {"path": path})
        if data.get("documents") and not data.get("classification"):
            self.add_error("classification", _("Укажите гриф (пометку) документа."))
        if len(data.get("documents") or []) + len(self.staged) > MAX_DOCUMENTS_PER_ROW:
            self.add_error("documents", _("Не более %(n)s документов в строке.")
                           % {"n": MAX_DOCUMENTS_PER_ROW})
        return data

    def row(self) -> dict:
        """The row as ``objection_file`` takes it."""
        data = self.cleaned_data
        code = data["subject"]
        path = data.get("input_path") or ""
        return {
            "subject": str(self.subject_labels.get(code, code)),
            "objection_text": data["objection_text"],
            "input_path": path,
            "proposed_value": parse_value(data["proposed_value"]) if path else None,
        }


class BaseDisagreementFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if not self._should_delete_form(f) and f.has_changed()]
        if not kept:
            raise forms.ValidationError(_("Добавьте в таблицу разногласий хотя бы одну строку."))
        paths = [f.cleaned_data.get("input_path") for f in kept if f.cleaned_data.get("input_path")]
        for path in {p for p in paths if paths.count(p) > 1}:
            raise forms.ValidationError(_("Значение «%(path)s» указано дважды.") % {"path": path})

    def rows(self) -> list[DisagreementRowForm]:
        return [f for f in self.forms if not self._should_delete_form(f) and f.has_changed()]


DisagreementFormSet = forms.formset_factory(
    DisagreementRowForm, formset=BaseDisagreementFormSet, extra=0, min_num=1,
    validate_min=False, can_delete=True, max_num=50, validate_max=True,
)


# --- Commission and sitting ------------------------------------------------------------------


class CommissionForm(forms.Form):
    evaluator = forms.ChoiceField(label=gettext_lazy("Уполномоченный на оценку орган"))
    chair = forms.ChoiceField(label=gettext_lazy("Председатель"))
    secretary = forms.ChoiceField(label=gettext_lazy("Секретарь"))

    def __init__(self, *args, evaluators=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = [("", "—")] + list(evaluators)
        self.fields["chair"].choices = [("", "—")] + list(people)
        self.fields["secretary"].choices = [("", "—")] + list(people)

    def clean(self):
        data = super().clean()
        if data.get("chair") and data.get("chair") == data.get("secretary"):
            self.add_error("secretary", _("Председатель и секретарь комиссии — разные люди."))
        return data


class ConveneForm(forms.Form):
    """The sitting: its day and its members (each eligible person is a checkbox; the ineligible
    are listed with the reason and cannot be chosen)."""

    held_on = forms.DateField(
        label=gettext_lazy("Дата заседания"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Укажите дату заседания.")},
    )
    members = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Члены заседания"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Выберите членов заседания.")},
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # every candidate is a choice, so a refused one (posted anyway) reaches the service,
        # which refuses it with the reason
        self.fields["members"].choices = [(c.user.pk, c.user.display_name) for c in candidates]


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Присутствовал"), coerce=int, widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.user_id, m.user.display_name) for m in members]


VOTE_CHOICES = [("accept", gettext_lazy("Принять")), ("reject", gettext_lazy("Не принять"))]


class RulingForm(forms.Form):
    """One row's ruling: each present member's vote and the reasoning; the value applied when
    accepted (defaults to the body's proposal)."""

    reasoning = forms.CharField(
        label=gettext_lazy("Обоснование решения"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        error_messages={"required": gettext_lazy("укажите обоснование решения")},
    )
    applied_value = forms.CharField(
        label=gettext_lazy("Применяемое значение (если строка принята)"), required=False,
        max_length=2000,
    )

    no_number_change = forms.BooleanField(
        label=gettext_lazy("Если строка принята: без изменения баллов (исходные данные не "
                           "меняются)"), required=False,
    )

    def __init__(self, *args, row, voters=(), **kwargs):
        kwargs.setdefault("prefix", f"row-{row.pk}")
        super().__init__(*args, **kwargs)
        self.row = row
        self.voters = list(voters)
        for user in self.voters:
            self.fields[f"vote_{user.pk}"] = forms.ChoiceField(
                label=user.display_name, choices=VOTE_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Отметьте голос члена заседания.")},
            )
        if not row.input_path:
            del self.fields["applied_value"]

    def vote_fields(self):
        return [(user, self[f"vote_{user.pk}"]) for user in self.voters]

    def votes(self) -> dict[int, str]:
        return {user.pk: self.cleaned_data[f"vote_{user.pk}"] for user in self.voters}

    def ruling(self) -> dict:
        text = (self.cleaned_data.get("applied_value") or "").strip()
        return {"reasoning": self.cleaned_data["reasoning"],
                "applied_value": parse_value(text) if text else None,
                "no_number_change": bool(self.cleaned_data.get("no_number_change"))}


# --- The result checks (p.110) ---------------------------------------------------------------


class ResultCheckOpenForm(forms.Form):
    body = forms.ChoiceField(label=gettext_lazy("Орган"))
    direction = forms.ChoiceField(
        label=gettext_lazy("Направление"), required=False,
        choices=[("", gettext_lazy("все направления"))] + [
            (value, label) for value, label in AppealDirection.choices
            if value != AppealDirection.AUTOMATION],
    )
    lodged_on = forms.DateField(
        label=gettext_lazy("Жалоба поступила"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=gettext_lazy("Жалоба"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000,
        error_messages={"required": gettext_lazy("Изложите жалобу.")},
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "—")] + list(bodies)


class ResultCheckCloseForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("Результаты проверки"), widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": gettext_lazy("Изложите результаты проверки.")},
    )


class RowDocumentForm(forms.Form):
    """A supporting document added to a row after filing (while the objection is filed)."""

    file = forms.FileField(label=gettext_lazy("Файл (PDF, DOCX, XLSX, PNG, JPEG)"))
    classification = forms.ChoiceField(
        label=gettext_lazy("Гриф / пометка"), choices=[("", "—")] + list(Classification.choices),
        error_messages={"required": gettext_lazy("Укажите гриф (пометку) документа.")},
    )
