from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .models import ApiCall, LandlordApiKey

# The library's own key model is unused: landlords' keys are LandlordApiKey.
admin.site.unregister(APIKey)


@admin.register(LandlordApiKey)
class LandlordApiKeyAdmin(APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "landlord", "last_used_at")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "landlord__name")


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "landlord", "key", "method", "path", "status")
    list_filter = ("status",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
