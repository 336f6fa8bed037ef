from django.contrib import admin, messages

from core.admin import ReadableHistoryAdmin

from . import services
from .models import (
    AlertDelivery,
    Landlord,
    LandlordMembership,
    Offer,
    OfferPhoto,
    Residence,
    ResourceCeiling,
    SearchAlert,
)


class MembershipInline(admin.TabularInline):
    model = LandlordMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin):
    list_display = ("name", "siren", "contact_email")
    search_fields = ("name", "siren")
    inlines = [MembershipInline]


@admin.register(Residence)
class ResidenceAdmin(admin.ModelAdmin):
    list_display = ("name", "landlord", "commune")
    search_fields = ("name", "address")
    autocomplete_fields = ("landlord", "commune")


class PhotoInline(admin.TabularInline):
    model = OfferPhoto
    extra = 0
    readonly_fields = ("image", "thumbnail")
    fields = ("image", "thumbnail", "alt", "position")


@admin.register(Offer)
class OfferAdmin(ReadableHistoryAdmin):
    list_display = (
        "title",
        "landlord",
        "typology",
        "commune",
        "rent",
        "charges",
        "status",
        "deadline",
    )
    list_filter = ("status", "typology", "kind", "financing", "commune__department", "landlord")
    search_fields = ("title", "reference", "commune__name", "landlord__name")
    autocomplete_fields = ("landlord", "commune", "residence")
    date_hierarchy = "deadline"
    list_select_related = ("landlord", "commune")
    inlines = [PhotoInline]
    actions = ["close_offers"]
    # An offer is published and closed by its services (dates, checks, candidatures
    # ended, history): never by editing the field.
    readonly_fields = ("status", "published_at")

    @admin.action(description="Clôturer les offres sélectionnées")
    def close_offers(self, request, queryset):
        count = services.close_offers(
            offers=queryset, user=request.user, reason="Clôture par un conseiller"
        )
        self.message_user(request, f"{count} offre(s) clôturée(s).", messages.SUCCESS)


@admin.register(ResourceCeiling)
class ResourceCeilingAdmin(admin.ModelAdmin):
    list_display = ("year", "financing", "zone", "category", "amount", "extra_person")
    list_filter = ("year", "financing", "zone")
    list_editable = ("amount", "extra_person")


@admin.register(SearchAlert)
class SearchAlertAdmin(admin.ModelAdmin):
    list_display = ("label", "user", "created_at", "last_sent_at")
    search_fields = ("user__email", "label")
    # The unsubscribe token is a secret of the alert's owner: never shown.
    fields = ("user", "label", "query", "created_at", "last_sent_at")
    readonly_fields = ("user", "query", "created_at", "last_sent_at")


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    """Which offer each alert already sent (never twice): read only."""

    list_display = ("alert", "offer", "sent_at")
    search_fields = ("alert__user__email", "alert__label")
    list_select_related = ("alert", "offer")
    fields = readonly_fields = ("alert", "offer", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
