from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from .adapter import send_choose_password_email
from .models import User


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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = StaffUserCreationForm
    ordering = ("email",)
    list_display = ("email", "last_name", "first_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("email", "last_name", "first_name")
    actions = ["send_password_link"]
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

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        creating = obj.pk is None
        if creating:
            obj.set_unusable_password()
            obj.is_staff = obj.role == User.Role.ADVISOR
        super().save_model(request, obj, form, change)
        if creating:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
            send_choose_password_email(obj)
            messages.info(
                request, f"Un email a été envoyé à {obj.email} pour choisir son mot de passe."
            )

    @admin.action(description="Envoyer un lien pour choisir un nouveau mot de passe")
    def send_password_link(self, request, queryset):
        for user in queryset.filter(is_active=True):
            send_choose_password_email(user)
        self.message_user(request, f"{queryset.count()} email(s) envoyé(s).")
