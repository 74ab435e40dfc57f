"""Django admin of the registry's reference data: users and their roles, regions, bodies,
evaluator rules, cycles and milestones, assignments. Every change is audited with its reason
(the kernel's AuditedAdmin); bodies, cycles and roles are closed, never deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.kernel.admin import AuditedAdmin, AuditedForm
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.models import (
    AssessorAssignment,
    Cycle,
    EvaluatorRule,
    Membership,
    Milestone,
    Organisation,
    OrganisationName,
    Region,
    User,
)
from assessments.registry.services.memberships import check_membership
from assessments.registry.services.organisations import (
    NAME_FIELDS,
    UPDATABLE_FIELDS,
    check_structure,
    organisation_create,
    organisation_rename,
    organisation_update,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organisation", "role", "direction", "annexes", "active_from", "active_to")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Для подписей"), {"fields": ("full_name", "position", "iin")}),
    )
    list_display = ("username", "full_name", "position", "email", "is_active")
    search_fields = ("username", "full_name", "email", "iin")
    inlines = [MembershipInline]
    actions = ["unlock_login"]

    @admin.action(description=_("Снять блокировку входа (после неудачных попыток)"))
    def unlock_login(self, request, queryset):
        from axes.utils import reset

        removed = sum(reset(username=user.get_username()) for user in queryset)
        for user in queryset:
            audit_record(actor=request.user, obj=user, action="unlock_login", reason="admin")
        self.message_user(request, _("Снято блокировок: %(n)s.") % {"n": removed}, messages.SUCCESS)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("name_ru", "name_kk", "kind", "code", "active_from", "active_to")
    list_filter = ("kind",)
    search_fields = ("name_ru", "name_kk", "code")

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0
    fields = ("valid_from", "valid_to", "name_ru", "name_kk", "basis")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrganisationForm(AuditedForm):
    names_effective_on = forms.DateField(
        label=_("Новое наименование действует с"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Обязательно при переименовании: прежнее наименование сохранится в истории."),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "central_type",
            "level",
            "parent",
            "region",
            "name_ru",
            "name_kk",
            "short_name_ru",
            "short_name_kk",
            "bin",
            "is_evaluated",
            "evaluator_role",
            "special",
            "active_from",
            "active_to",
            "successor",
        ]

    def clean(self):
        cleaned = super().clean()
        renamed = self.instance.pk and any(name in self.changed_data for name in NAME_FIELDS)
        if renamed and not cleaned.get("names_effective_on"):
            self.add_error("names_effective_on", _("Укажите дату переименования."))
        probe = Organisation(
            pk=self.instance.pk,
            **{name: cleaned.get(name) for name in ("kind", "central_type", "level", "parent")},
        )
        try:
            check_structure(probe)
        except DomainError as error:
            raise ValidationError(error.message)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = (
        "name_ru",
        "kind",
        "level",
        "central_type",
        "region",
        "bin",
        "is_evaluated",
        "evaluator_role",
        "special",
        "active_to",
    )
    list_filter = (
        "kind",
        "level",
        "central_type",
        "is_evaluated",
        "evaluator_role",
        "special",
        "region",
    )
    search_fields = ("name_ru", "name_kk", "short_name_ru", "bin")
    autocomplete_fields = ("parent", "successor")
    list_select_related = ("region",)
    inlines = [OrganisationNameInline]

    def has_delete_permission(self, request, obj=None):
        return False  # bodies are closed (active_to, successor), never deleted

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        reason = data.get("audit_reason", "")
        if not change:
            created = organisation_create(
                actor=request.user,
                reason=reason,
                **{name: data.get(name) for name in NAME_FIELDS + UPDATABLE_FIELDS},
            )
            obj.pk = created.pk
            obj._state.adding = False
            return
        changes = {name: data.get(name) for name in form.changed_data if name in UPDATABLE_FIELDS}
        if changes:
            organisation_update(actor=request.user, organisation=obj, reason=reason, **changes)
        if any(name in form.changed_data for name in NAME_FIELDS):
            organisation_rename(
                actor=request.user,
                organisation=obj,
                name_ru=data["name_ru"],
                name_kk=data["name_kk"],
                effective_on=data["names_effective_on"],
                reason=reason,
            )


class MembershipForm(AuditedForm):
    class Meta:
        model = Membership
        fields = [
            "user",
            "organisation",
            "role",
            "direction",
            "annexes",
            "active_from",
            "active_to",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("role"):
            try:
                check_membership(
                    cleaned["organisation"],
                    cleaned["role"],
                    cleaned.get("direction") or "",
                    sorted({int(n) for n in cleaned.get("annexes") or []}),
                )
            except (DomainError, TypeError, ValueError) as error:
                raise ValidationError(getattr(error, "message", str(error)))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipForm
    list_display = (
        "user",
        "organisation",
        "role",
        "direction",
        "annexes",
        "active_from",
        "active_to",
    )
    list_filter = ("role", "direction")
    search_fields = ("user__username", "user__full_name", "organisation__name_ru")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    def has_delete_permission(self, request, obj=None):
        return False  # a role ends (active_to); who held it stays known


@admin.register(EvaluatorRule)
class EvaluatorRuleAdmin(AuditedAdmin):
    list_display = (
        "direction",
        "evaluated",
        "evaluated_kind",
        "evaluator",
        "basis",
        "active_from",
        "active_to",
    )
    list_filter = ("direction", "evaluated_kind", "evaluator")
    autocomplete_fields = ("evaluated", "evaluator")
    list_select_related = ("evaluated", "evaluator")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("code", "direction", "name_ru", "due_on")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(AuditedAdmin):
    list_display = ("code", "year", "edition", "title", "is_current")
    inlines = [MilestoneInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin):
    list_display = ("cycle", "code", "direction", "name_ru", "due_on")
    list_filter = ("cycle", "code")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AssessorAssignment)
class AssessorAssignmentAdmin(admin.ModelAdmin):
    """Read-only here: assignments go through the assignment page (its checks and audit)."""

    list_display = ("cycle", "body", "direction", "assessor", "assigned_at", "removed_at")
    list_filter = ("cycle", "direction")
    search_fields = ("body__name_ru", "assessor__full_name")
    list_select_related = ("cycle", "body", "assessor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
