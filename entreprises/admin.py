from django.contrib import admin

from .models import Access, Company, CompanyMembership, Designation, Establishment


class EstablishmentInline(admin.TabularInline):
    model = Establishment
    extra = 1
    verbose_name = "établissement (SIRET)"


class MembershipInline(admin.TabularInline):
    model = CompanyMembership
    extra = 0
    fields = ("user", "is_admin", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    verbose_name = "membre RH"
    verbose_name_plural = "membres RH (l'administrateur invite et retire ses collègues)"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: readable by advisors, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "siren", "headcount", "code", "designation_quota")
    list_filter = ("headcount",)
    search_fields = ("name", "siren", "code", "establishments__siret")
    fieldsets = (
        (None, {"fields": ("name", "siren", "headcount", "code")}),
        ("Politique logement", {"fields": ("housing_policy", "designation_quota")}),
    )
    inlines = [EstablishmentInline, MembershipInline]


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ("demande", "company", "year", "designated_by", "designated_at")
    list_filter = ("year", "company")
    search_fields = ("demande__number", "demande__birth_name", "company__name")
    list_select_related = ("demande", "company", "designated_by")


@admin.register(Access)
class AccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "applicant", "reader_name", "company_name", "level", "kind", "detail")
    list_filter = ("kind", "level")
    search_fields = ("applicant__email", "reader_name", "company_name")
    list_select_related = ("applicant",)
