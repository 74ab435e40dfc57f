"""Read-only admin views of the records the scores services write: scoring inputs, score sheets
and background jobs.

They are records, not settings: every change goes through a service (which checks who may make
it, fires the state machine and writes the log), so the admin only lists and shows them.
Imported by assessments/admin.py.
"""

from django.contrib import admin

from assessments.kernel.admin import ReadOnlyAdmin
from assessments.models import (
    ScoreSheet,
    ScoringInput,
)

RecordAdmin = ReadOnlyAdmin  # lists and shows; never adds, changes or deletes (the services do)


@admin.register(ScoringInput)
class ScoringInputAdmin(RecordAdmin):
    list_display = ("body", "cycle", "version", "created_at", "created_by", "reason")
    list_filter = ("cycle",)
    search_fields = ("body__name_ru", "body__bin", "reason")
    list_select_related = ("body", "cycle", "created_by")
    date_hierarchy = "created_at"


@admin.register(ScoreSheet)
class ScoreSheetAdmin(RecordAdmin):
    list_display = ("body", "cycle", "direction", "final", "band", "is_current", "computed_at")
    list_filter = ("cycle", "direction", "band", "is_current")
    search_fields = ("body__name_ru", "body__bin")
    list_select_related = ("body", "cycle")
    date_hierarchy = "computed_at"
