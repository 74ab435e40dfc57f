"""Admin of the register of public services and read-only views of reports, documents and
imports. Imported by assessments/admin.py."""

from django.contrib import admin

from assessments.kernel.admin import ReadOnlyAdmin
from assessments.models import Evidence, ImportBatch, PublicService, Report


@admin.register(PublicService)
class PublicServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_kk", "monitored", "electronic", "active")
    list_filter = ("monitored", "electronic", "active")
    search_fields = ("code", "name_ru", "name_kk")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("body", "direction", "cycle", "state", "submitted_on", "late")
    list_filter = ("cycle", "direction", "state", "late")
    search_fields = ("body__name_ru", "body__bin")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("title", "report", "version", "classification", "check_state", "sha256",
                    "uploaded_by")
    list_filter = ("check_state",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "cycle", "state", "rows_total", "created_by",
                    "applied_by")
    list_filter = ("kind", "state")
