from django.contrib import admin

from assessments.kernel.admin import ReadOnlyAdmin as BaseReadOnlyAdmin
from reporting.models import (
    RenderedDocument,
    SignatorySlot,
    Signature,
    SignedDocument,
    SigningCredential,
)


class ReadOnlyAdmin(BaseReadOnlyAdmin):
    """Stored documents, signatures and credentials change only through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "pkcs12"]


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "language", "draft", "state", "sha256", "rendered_at")
    list_filter = ("kind", "state", "draft")
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


class SignatorySlotInline(admin.TabularInline):
    model = SignatorySlot
    fields = ("order", "user", "role", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    fields = ("order", "field_name", "full_name", "position", "signed_at", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "version", "language", "state", "created_at")
    list_filter = ("kind", "state")
    search_fields = ("title", "source_sha256", "current_sha256")
    inlines = [SignatorySlotInline, SignatureInline]


@admin.register(SigningCredential)
class SigningCredentialAdmin(ReadOnlyAdmin):
    list_display = ("user", "subject", "source", "iin", "active", "not_after", "created_at")
    list_filter = ("source", "active")
    search_fields = ("subject", "fingerprint", "iin", "user__username", "user__full_name")
    exclude = ("pkcs12",)
