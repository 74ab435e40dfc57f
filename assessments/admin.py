from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from assessments.models import User, WorkingDayOverride


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Для подписей"), {"fields": ("full_name", "position")}),
    )
    list_display = ("username", "full_name", "position", "email", "is_active")
    search_fields = ("username", "full_name", "email")


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason", "created_by")
    list_filter = ("kind",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
