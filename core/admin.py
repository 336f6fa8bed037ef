from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ContactMessage, OutgoingEmail


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """The admin of a model whose state moves only through its services (candidatures,
    offers, requests): its history stays readable, but no past version can be restored
    and no row is deleted from the admin.

    django-simple-history's "revert" saves an old version as it is, bypassing the
    service that records the event and notifies people; its form view also saves on
    POST even when the button is hidden, hence the refusal here.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        # Such a row ends through its service (a request deleted by its applicant
        # cancels its candidatures, an offer is closed), never as a row delete.
        return False

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("L'historique se consulte ; il ne se restaure pas.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class SuperusersOnlyAdmin(admin.ModelAdmin):
    """Data that advisors' work does not need (the national registry's copy, access-code
    hashes): superusers may read it, nobody edits it here."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "name", "email")
    list_filter = ("subject",)
    search_fields = ("name", "email", "message")
    readonly_fields = ("name", "email", "subject", "message", "created_at")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox as advisors see it: who, what subject, where it stands — never the body.

    Bodies hold sign-up and reset links and access codes; they are stored encrypted and
    no admin page shows them (not even to superusers). A failed or unconfirmed email is
    sent again, unread, with the resend action.
    """

    list_display = (
        "created_at",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "template")
    search_fields = ("to", "subject")
    fields = (
        "to",
        "subject",
        "template",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
    )
    readonly_fields = fields
    actions = ["resend"]

    @admin.display(description="dernière erreur")
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.display(description="Message-ID")
    def message_id(self, obj):
        return obj.message_id

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A deleted pending email is a lost email; purging is the retention task's job.
        return request.user.is_superuser

    def has_resend_permission(self, request):
        return request.user.has_perm("core.change_outgoingemail")

    @admin.action(
        description="Renvoyer les emails en échec ou non confirmés", permissions=["resend"]
    )
    def resend(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = services.resend_emails(email_ids=selected, by=request.user)
        skipped = len(selected) - count
        self.message_user(request, f"{count} email(s) renvoyé(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} email(s) ignoré(s) : seuls les emails en échec ou non "
                "confirmés peuvent être renvoyés.",
                messages.WARNING,
            )
