"""The admin's bases — ``ReadOnlyAdmin`` for records that change only through the services
(their checks, state machines and logs), ``AuditedAdmin`` for reference data whose every change
is audited with its reason — and the admin of the kernel's own models: working-day overrides,
the audit trail, the state log, background jobs and notifications (imported by
assessments/admin.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from assessments.kernel.audit import audit_record
from assessments.models import (
    AuditEntry,
    BackgroundJob,
    Notification,
    RefusedUpload,
    WorkingDayOverride,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedForm(forms.ModelForm):
    audit_reason = forms.CharField(
        label=_("Основание изменения"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Записывается в журнал изменений вместе с тем, что изменено."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.changed_data and not cleaned.get("audit_reason", "").strip():
            self.add_error("audit_reason", _("Укажите основание изменения."))
        return cleaned


class AuditedAdmin(admin.ModelAdmin):
    """Records every save and delete in the audit trail: who, when, before → after, why."""

    form = AuditedForm

    def _audit_fields(self, form) -> list[str]:
        return [name for name in form.changed_data if name != "audit_reason"]

    def save_model(self, request, obj, form, change):
        changes = {
            name: (form.initial.get(name) if change else None, form.cleaned_data.get(name))
            for name in self._audit_fields(form)
        }
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            obj=obj,
            action="update" if change else "create",
            changes=changes,
            reason=form.cleaned_data.get("audit_reason", ""),
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, obj=obj, action="delete", reason="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(AuditedAdmin):
    list_display = ("date", "kind", "reason", "created_by")
    list_filter = ("kind",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "content_type", "object_repr", "action", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "reason", "actor__username", "actor__full_name")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "at"


@admin.register(StateLog)
class StateLogAdmin(ReadOnlyAdmin):
    list_display = (
        "timestamp",
        "by",
        "content_type",
        "object_id",
        "transition",
        "source_state",
        "state",
    )
    list_filter = ("transition", "content_type")
    list_select_related = ("by", "content_type")
    date_hierarchy = "timestamp"


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdmin):
    list_display = ("label", "kind", "state", "done", "total", "started_by", "created_at",
                    "finished_at")
    list_filter = ("kind", "state")
    search_fields = ("label", "message", "error")
    list_select_related = ("started_by",)
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("user", "text", "created_at", "read_at")


@admin.register(RefusedUpload)
class RefusedUploadAdmin(ReadOnlyAdmin):
    """Files refused by the checks that run before a parser (issue 16): hostile ones first."""

    list_display = ("refused_at", "purpose", "original_name", "size", "file_type", "code",
                    "reason", "hostile", "user")
    list_filter = ("hostile", "purpose", "code")
    search_fields = ("original_name", "sha256", "user__username")
    ordering = ("-hostile", "-refused_at")

    @admin.display(description=_("Причина"))
    def reason(self, obj: RefusedUpload) -> str:
        return obj.reason_text
