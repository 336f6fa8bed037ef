from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessCode, DataSharingChange, Demande, RegistryRecord


class DataSharingChangeInline(admin.TabularInline):
    model = DataSharingChange
    extra = 0
    can_delete = False
    readonly_fields = ("choice", "changed_at")


@admin.register(Demande)
class DemandeAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "birth_name",
        "first_name",
        "household_size",
        "fiscal_income",
        "documents_confirmed_at",
        "imported_at",
    )
    list_filter = (
        "household_category",
        "legal_priority",
        "company_priority",
        "professional_situation",
        "data_sharing",
    )
    search_fields = ("number", "birth_name", "usage_name", "first_name", "email", "user__email")
    readonly_fields = ("user", "number", "imported_at", "refreshed_at")
    autocomplete_fields = ("desired_communes", "desired_departments")
    inlines = [DataSharingChangeInline]


@admin.register(RegistryRecord)
class RegistryRecordAdmin(admin.ModelAdmin):
    list_display = ("number", "birth_name", "first_name", "email", "updated_at")
    search_fields = ("number", "birth_name", "first_name", "email")
    readonly_fields = ("updated_at",)


@admin.register(AccessCode)
class AccessCodeAdmin(admin.ModelAdmin):
    list_display = ("number", "user", "created_at", "expires_at", "failed_attempts", "used_at")
    search_fields = ("number", "user__email")
    readonly_fields = (
        "user",
        "number",
        "code_hash",
        "created_at",
        "expires_at",
        "failed_attempts",
        "used_at",
    )
