from django.contrib import admin

from reporting.models import RenderedDocument


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "language", "draft", "state", "sha256", "rendered_at")
    list_filter = ("kind", "state", "draft")
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
