from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from . import services
from .adapter import send_choose_password_email
from .models import User
from .roles import apply_role


class StaffUserCreationForm(forms.ModelForm):
    """Advisors create landlord staff, company HR and advisor accounts without a password:
    the person receives an email to choose it."""

    class Meta:
        model = User
        fields = ("email", "role", "civility", "last_name", "first_name", "mobile_phone")

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse email.")
        return email


def staff_accounts():
    """Accounts out of advisors' reach in the admin: staff, superusers, advisors."""
    return Q(is_staff=True) | Q(is_superuser=True) | Q(role=User.Role.ADVISOR)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Advisors manage applicants', landlords' and companies' accounts; staff accounts,
    roles to or from ``conseiller`` and passwords stay with superusers. Advisors send a
    link to choose a password (the owner sets it), never a password, and never change
    an account's address (the link would go to it)."""

    add_form = StaffUserCreationForm
    ordering = ("email",)
    list_display = ("email", "last_name", "first_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("email", "last_name", "first_name")
    actions = ["send_password_link", "anonymise"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("civility", "last_name", "first_name", "mobile_phone")}),
        ("Rôle", {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups")}),
        ("Données personnelles", {"fields": ("data_consent_at", "data_consent_version")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "role",
                    "civility",
                    "last_name",
                    "first_name",
                    "mobile_phone",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "data_consent_at", "data_consent_version")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Without the password field, no link to Django's "set the password" form.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "password"]})
            for name, opts in fieldsets
        ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [
                (value, label) for value, label in User.Role.choices if value != User.Role.ADVISOR
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Seul un administrateur technique définit un mot de passe.")
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        # Advisors manage people and roles; the technical rights stay with superusers.
        # Staff status follows the role.
        fields = (*fields, "is_staff", "is_superuser", "groups")
        if obj is not None:
            # The address receives the password-reset link: changed by an advisor, then a
            # link sent, it would hand the account over. Its owner changes it (password
            # asked again, the new address verified).
            fields = (*fields, "email")
        return fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.exclude(staff_accounts())

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        creating = obj.pk is None
        if creating:
            obj.set_unusable_password()
        if not obj.is_superuser:
            obj.is_staff = obj.role == User.Role.ADVISOR
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form's many-to-many save, which would undo it.
        apply_role(form.instance)
        if not change:
            obj = form.instance
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
            send_choose_password_email(obj)
            messages.info(
                request, f"Un email a été envoyé à {obj.email} pour choisir son mot de passe."
            )

    @admin.action(description="Envoyer un lien pour choisir un nouveau mot de passe")
    def send_password_link(self, request, queryset):
        users = list(queryset.filter(is_active=True))
        for user in users:
            send_choose_password_email(user)
        self.message_user(request, f"{len(users)} email(s) envoyé(s).")

    def has_delete_permission(self, request, obj=None):
        # A person is never deleted as a row: the anonymising deletion keeps the
        # candidature history intact (action below, as "Supprimer mon compte").
        return False

    @admin.action(description="Supprimer et anonymiser les comptes sélectionnés")
    def anonymise(self, request, queryset):
        users = list(queryset.filter(is_active=True, is_superuser=False))
        for user in users:
            services.delete_account(user=user)
        self.message_user(request, f"{len(users)} compte(s) supprimé(s) et anonymisé(s).")


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    """Advisors read the addresses of the accounts they manage; adding, verifying or
    changing one (a way into someone's account through a password reset) is left to
    superusers, and staff accounts' addresses are hidden from advisors."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.exclude(user__in=User.objects.filter(staff_accounts()))

    def get_actions(self, request):
        # "Mark as verified" is a change: superusers only.
        return super().get_actions(request) if request.user.is_superuser else {}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
