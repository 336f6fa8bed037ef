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
    # The snapshot comes from the national registry ("Mettre à jour ma demande" refreshes
    # it): advisors read it; only what the applicant declares on AL'in stays editable.
    readonly_fields = (
        "user",
        "number",
        "birth_name",
        "first_name",
        "birth_date",
        "co_applicant",
        "household_members",
        "household_size",
        "household_category",
        "extra_persons",
        "fiscal_income",
        "monthly_resources",
        "housing_allowance",
        "desired_communes",
        "desired_departments",
        "desired_typologies",
        "legal_priority",
        "company_priority",
        "company_designation",
        "first_filed_on",
        "renewed_on",
        "documents",
        "imported_at",
        "refreshed_at",
    )
    inlines = [DataSharingChangeInline]

    def has_add_permission(self, request):
        return False  # a request is imported by its applicant, with the emailed code


@admin.register(RegistryRecord)
class RegistryRecordAdmin(admin.ModelAdmin):
    """The registry's copy, filled by ``import_registre``: read only."""

    list_display = ("number", "birth_name", "first_name", "birth_date", "email", "updated_at")
    search_fields = ("=number", "birth_name", "first_name", "email")
    readonly_fields = (
        "number",
        "email",
        "birth_name",
        "first_name",
        "birth_date",
        "data",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
