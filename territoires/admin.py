from django.contrib import admin

from .models import Commune, Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region_name")
    search_fields = ("code", "name")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("insee_code", "name", "postal_code", "department", "zone")
    list_filter = ("zone", "department__region_name")
    search_fields = ("insee_code", "name", "postal_code")
    list_editable = ("zone",)
    fields = (
        "insee_code",
        "name",
        "department",
        "postal_code",
        "all_postal_codes",
        "population",
        "is_district",
        "zone",
    )
    readonly_fields = ("insee_code", "all_postal_codes")

    @admin.display(description="codes postaux")
    def all_postal_codes(self, obj):
        return ", ".join(obj.postal_codes) or "—"
