"""Tokens in the admin: an administrator issues one (the key is shown once, on the next page),
sees every use, and revokes it; service accounts are created by ``manage.py api_token``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from assessments.api.services import token_issue, token_revoke
from assessments.kernel.admin import ReadOnlyAdmin
from assessments.kernel.errors import DomainError
from assessments.models import ApiScope, ApiToken, ApiTokenUse, ServiceAccount


class TokenIssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("Права"), choices=ApiScope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def clean(self):
        """The service's own refusals, shown on the form (nothing is issued)."""
        from datetime import timedelta

        from assessments.api.services import MAX_DAYS
        from assessments.kernel import clock

        data = super().clean()
        expires_at, user = data.get("expires_at"), data.get("user")
        now = clock.now()
        if expires_at and not now < expires_at <= now + timedelta(days=MAX_DAYS):
            self.add_error("expires_at", _("Срок действия токена — от завтрашнего дня до двух "
                                           "лет."))
        if user is not None and not user.is_active:
            self.add_error("user", _("Учётная запись отключена: токен ей не выдаётся."))
        return data


class TokenUseInline(admin.TabularInline):
    model = ApiTokenUse
    fields = ["at", "method", "path", "status", "address"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "scopes", "expires_at", "revoked_at",
                    "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    actions = ["revoke"]
    inlines = [TokenUseInline]
    autocomplete_fields = ["user"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # uses exist once it is issued

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TokenIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "name", "prefix", "scopes", "expires_at", "created_by", "created_at",
                "revoked_at", "revoked_by", "last_used_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scopes", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            issued = token_issue(actor=request.user, user=form.cleaned_data["user"],
                                 name=form.cleaned_data["name"],
                                 scopes=form.cleaned_data["scopes"],
                                 expires_at=form.cleaned_data["expires_at"])
        except DomainError as error:  # the form checked what the service refuses
            messages.error(request, error.message)
            raise
        obj.pk = issued.token.pk
        obj.__dict__.update(ApiToken.objects.get(pk=issued.token.pk).__dict__)
        messages.warning(request, _("Ключ токена (показан один раз, сохраните его): %(k)s")
                         % {"k": issued.key})

    @admin.action(description=_("Отозвать выбранные токены"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(actor=request.user, token=token)
        messages.success(request, _("Токены отозваны."))


@admin.register(ServiceAccount)
class ServiceAccountAdmin(ReadOnlyAdmin):
    list_display = ["system", "organisation", "user", "created_by", "created_at"]
    search_fields = ["system", "user__username", "organisation__name_ru"]

