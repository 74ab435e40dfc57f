"""Read-only admin views of re-verification's records: risk methods and samples, the
re-verification with its requests, documents, system checks, findings and acts.

Records, not settings: every change goes through a service (checks, state machine, log).
Imported by assessments/admin.py.
"""

from django.contrib import admin

from assessments.kernel.admin import ReadOnlyAdmin
from assessments.models import (
    ConfirmingDocument,
    DocumentRequest,
    Finding,
    ReconciliationAct,
    Reverification,
    RiskMethod,
    RiskSample,
    SystemCheck,
)

RecordAdmin = ReadOnlyAdmin


@admin.register(RiskMethod)
class RiskMethodAdmin(RecordAdmin):
    list_display = ("cycle", "evaluator", "direction", "sample_size", "revision", "updated_at")
    list_filter = ("cycle", "direction")
    list_select_related = ("cycle", "evaluator")


@admin.register(RiskSample)
class RiskSampleAdmin(RecordAdmin):
    list_display = ("cycle", "evaluator", "direction", "size", "seed", "drawn_at", "drawn_by")
    list_filter = ("cycle", "direction")
    list_select_related = ("cycle", "evaluator", "drawn_by")


class DocumentRequestInline(admin.TabularInline):
    model = DocumentRequest
    extra = 0
    can_delete = False
    fields = ("title", "document_kind", "classification", "due_on", "state", "requested_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    can_delete = False
    fields = ("kind", "description", "points", "origin", "recorded_at", "withdrawn_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reverification)
class ReverificationAdmin(RecordAdmin):
    list_display = ("body", "cycle", "direction", "evaluator", "state", "unreliable_facts",
                    "incomplete_facts", "deduction", "selected_at")
    list_filter = ("cycle", "direction", "state")
    search_fields = ("body__name_ru", "body__bin")
    list_select_related = ("body", "cycle", "evaluator")
    inlines = [DocumentRequestInline, FindingInline]


@admin.register(DocumentRequest)
class DocumentRequestAdmin(RecordAdmin):
    list_display = ("title", "reverification", "classification", "due_on", "state")
    list_filter = ("state", "classification")
    list_select_related = ("reverification__body",)


@admin.register(ConfirmingDocument)
class ConfirmingDocumentAdmin(RecordAdmin):
    list_display = ("original_name", "request", "file_type", "size", "sha256", "uploaded_at")
    list_select_related = ("request",)


@admin.register(SystemCheck)
class SystemCheckAdmin(RecordAdmin):
    list_display = ("reverification", "system", "subject", "result", "checked_on")
    list_filter = ("result",)


@admin.register(ReconciliationAct)
class ReconciliationActAdmin(RecordAdmin):
    list_display = ("reverification", "version", "unreliable_facts", "incomplete_facts",
                    "deduction", "issued_at", "signed_at", "superseded_at")
    list_select_related = ("reverification__body",)
