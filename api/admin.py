from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework_api_key.models import APIKey

from . import services
from .models import ApiCall, LandlordApiKey

# The library's own key model is unused: landlords' keys are LandlordApiKey.
admin.site.unregister(APIKey)


class KeyStateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoquee", "Révoquée")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(revoked=self.value() == "revoquee")
        return queryset


@admin.register(LandlordApiKey)
class LandlordApiKeyAdmin(admin.ModelAdmin):
    """Landlords create their keys in /bailleur/api/ (the secret is shown to them once);
    advisors read them here and may revoke one (through ``services.revoke_key``)."""

    list_display = ("key_name", "key_prefix", "landlord", "created_on", "state", "last_used_at")
    list_filter = (KeyStateFilter,)
    search_fields = ("name", "prefix", "landlord__name")
    list_select_related = ("landlord",)
    fields = readonly_fields = (
        "key_name",
        "key_prefix",
        "landlord",
        "created_by",
        "created_on",
        "state",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    @admin.display(description="nom", ordering="name")
    def key_name(self, obj):
        return obj.name

    @admin.display(description="préfixe", ordering="prefix")
    def key_prefix(self, obj):
        return obj.prefix

    @admin.display(description="créée le", ordering="created")
    def created_on(self, obj):
        return date_format(timezone.localtime(obj.created), "d/m/Y H:i")

    @admin.display(description="état", ordering="revoked")
    def state(self, obj):
        return "Révoquée" if obj.revoked else "Active"

    @admin.action(description="Révoquer les clés sélectionnées")
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked=False))
        for key in keys:
            services.revoke_key(key=key)
        self.message_user(request, f"{len(keys)} clé(s) révoquée(s).", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's revoke action needs it; a key's page stays read only.
        return obj is None and super().has_change_permission(request)


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "landlord", "key", "method", "path", "status")
    list_filter = ("status",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
