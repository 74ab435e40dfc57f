"""Admin of the appeals: read-only. Every change goes through ``appeals.services`` (state
machines, composition rule, audit); the admin is for looking things up."""

from __future__ import annotations

from django.contrib import admin

from appeals.models import (
    DisagreementRow,
    Handover,
    NoObjectionNotice,
    Objection,
    ObjectionRefusal,
    ResultCheck,
    RowDocument,
    Sitting,
    SittingMember,
    SpecialCommission,
    Vote,
)
from assessments.kernel.admin import ReadOnlyAdmin


class RowInline(admin.TabularInline):
    model = DisagreementRow
    extra = 0
    fields = ("number", "subject", "input_path", "objection_text", "proposed_value", "decision",
              "reasoning", "applied_value")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("body", "direction", "cycle", "state", "filed_on", "decision_due",
                    "outcome", "escalated_at")
    list_filter = ("state", "direction", "cycle", "outcome")
    search_fields = ("body__name_ru", "body__bin")
    inlines = [RowInline]


@admin.register(DisagreementRow)
class DisagreementRowAdmin(ReadOnlyAdmin):
    list_display = ("objection", "number", "subject", "decision")
    list_filter = ("decision",)


@admin.register(RowDocument)
class RowDocumentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "row", "file_type", "size", "classification",
                    "uploaded_by", "uploaded_at")


@admin.register(NoObjectionNotice)
class NoObjectionNoticeAdmin(ReadOnlyAdmin):
    list_display = ("conclusion", "body", "sent_by", "sent_at")


@admin.register(ObjectionRefusal)
class ObjectionRefusalAdmin(ReadOnlyAdmin):
    list_display = ("conclusion", "attempted_by", "attempted_at", "deadline")


@admin.register(SpecialCommission)
class SpecialCommissionAdmin(ReadOnlyAdmin):
    list_display = ("evaluator", "cycle", "chair", "secretary")
    list_filter = ("cycle",)


class MemberInline(admin.TabularInline):
    model = SittingMember
    extra = 0
    fields = ("user", "capacity", "present", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Sitting)
class SittingAdmin(ReadOnlyAdmin):
    list_display = ("objection", "commission", "held_on", "state")
    list_filter = ("state",)
    inlines = [MemberInline]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("row", "member", "choice")


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("conclusion", "to", "due_on", "handed_at", "handed_by")


@admin.register(ResultCheck)
class ResultCheckAdmin(ReadOnlyAdmin):
    list_display = ("body", "cycle", "direction", "lodged_on", "last_day", "state")
    list_filter = ("state", "cycle")
