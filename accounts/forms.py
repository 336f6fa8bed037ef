import phonenumbers
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from .models import User
from .services import drop_claims, owners_of

NAME_MAX = 150
SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"


def password_rules_text():
    """The rules, as the guide shows them before typing, then the portal's own."""
    validators = password_validation.get_default_password_validators()
    rules = [v.get_help_text() for v in validators if not getattr(v, "extra_rule", False)]
    extra = [v.get_help_text() for v in validators if getattr(v, "extra_rule", False)]
    text = "Votre mot de passe " + " , ".join(rules[:-1]) + " et " + rules[-1] + "."
    if extra:
        text += " Il " + " et ".join(extra) + "."
    return text


class FrenchMobileField(PhoneNumberField):
    """A French mobile number (06, 07 or +33 6/7), stored in E.164."""

    default_error_messages = {
        "invalid": "Saisissez un numéro de téléphone portable valide, par exemple 06 12 34 56 78.",
    }

    def __init__(self, **kwargs):
        super().__init__(region="FR", **kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        number = value
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if number.country_code != 33 or phonenumbers.number_type(number) not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise forms.ValidationError(
                "Saisissez un numéro de téléphone portable français (06 ou 07).",
                code="not_mobile",
            )


def clean_name(value):
    value = " ".join((value or "").split())
    if not value:
        raise forms.ValidationError("Ce champ est obligatoire.")
    if any(ch.isdigit() for ch in value) or any(ch in "<>{}[]@#$%^*=+|\\/" for ch in value):
        raise forms.ValidationError("Saisissez un nom sans chiffre ni caractère spécial.")
    return value


EMAIL_MAX = 254  # the column's length (RFC 5321)


def check_email_length(value):
    """allauth's email fields have no length limit; the column has one."""
    if len(value) > EMAIL_MAX:
        raise forms.ValidationError(
            f"Saisissez une adresse email valide ({EMAIL_MAX} caractères au plus).",
            code="max_length",
        )
    return value


EMAIL_ERRORS = {
    "required": "Indiquez votre adresse email.",
    "invalid": "Saisissez une adresse email valide.",
}


class IdentityFieldsMixin(forms.Form):
    civility = forms.ChoiceField(
        label="Civilité",
        choices=User.Civility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre civilité."},
    )
    last_name = forms.CharField(
        label="Nom de naissance",
        max_length=NAME_MAX,
        error_messages={"required": "Indiquez votre nom de naissance."},
    )
    first_name = forms.CharField(
        label="Prénom",
        max_length=NAME_MAX,
        error_messages={"required": "Indiquez votre prénom."},
    )
    mobile_phone = FrenchMobileField(
        label="Téléphone portable",
        error_messages={"required": "Indiquez votre numéro de téléphone portable."},
        # Shown as the person writes it ("07 81 23 45 67"), stored in E.164.
        widget=RegionalPhoneNumberWidget(
            region="FR", attrs={"autocomplete": "tel", "inputmode": "tel"}
        ),
    )

    def clean_last_name(self):
        return clean_name(self.cleaned_data.get("last_name"))

    def clean_first_name(self):
        return clean_name(self.cleaned_data.get("first_name"))


class SignupForm(IdentityFieldsMixin, AllauthSignupForm):
    """ "Création de compte": identity, mobile phone, email and consent; no password."""

    data_consent = forms.BooleanField(
        label="J'ai compris et j'accepte l'utilisation de mes données personnelles.",
        error_messages={
            "required": "Vous devez accepter l'utilisation de vos données personnelles "
            "pour créer votre compte."
        },
    )

    field_order = ["civility", "last_name", "first_name", "mobile_phone", "email", "data_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].error_messages["required"] = "Indiquez votre adresse email."
        self.fields["email"].error_messages["invalid"] = "Saisissez une adresse email valide."

    def clean_email(self):
        return check_email_length(super().clean_email()).lower()

    def validate_unique_email(self, value):
        value = super().validate_unique_email(value)
        if self.account_already_exists and not owners_of(value):
            # Only someone else's unverified claim on the address: it belongs to
            # nobody yet, so its real owner signs up (the claim goes, see try_save).
            self.account_already_exists = False
        return value

    def try_save(self, request):
        # "Validation du compte" names the address, the same way whether or not it
        # already has an account (allauth's own page has no context for it).
        request.session[SIGNUP_EMAIL_SESSION_KEY] = self.cleaned_data["email"]
        user, response = super().try_save(request)
        if user is not None:
            drop_claims(self.cleaned_data["email"], owner=user)
        return user, response


class InitialPasswordForm(SetPasswordForm):
    """ "Mise à jour du mot de passe": the first password, checked by every validator."""

    error_messages = {"password_mismatch": "Les deux mots de passe ne sont pas identiques."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = password_rules_text()
        self.fields["new_password2"].label = "Confirmation du mot de passe"
        self.fields["new_password2"].help_text = ""
        for name in ("new_password1", "new_password2"):
            self.fields[name].error_messages["required"] = "Ce champ est obligatoire."


class ProfileForm(IdentityFieldsMixin, forms.ModelForm):
    """ "Mon compte": the identity and phone the applicant may correct."""

    class Meta:
        model = User
        fields = ["civility", "last_name", "first_name", "mobile_phone"]


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        error_messages={
            "required": "Indiquez votre adresse email.",
            "invalid": "Saisissez une adresse email valide.",
        },
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme vouloir supprimer définitivement mon compte.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )


class LoginForm(AllauthLoginForm):
    """ "Se connecter": email and password.

    allauth drops the password field when sign-up has none; here accounts do have a
    password (chosen after the emailed link), so the field stays.
    """

    def _setup_password_field(self):
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email"
        self.fields["login"].widget.attrs.pop("placeholder", None)


def _email_field(field, label="Email"):
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    field.error_messages.update(EMAIL_ERRORS)


def _new_password_fields(form, first="password1", second="password2"):
    """The guide's labels, and the rules shown before typing."""
    form.fields[first].label = "Nouveau mot de passe"
    form.fields[first].help_text = password_rules_text()
    form.fields[second].label = "Confirmation du mot de passe"
    form.fields[second].help_text = ""
    for name in (first, second):
        form.fields[name].widget.attrs.pop("placeholder", None)
        form.fields[name].error_messages["required"] = "Ce champ est obligatoire."


class ResetPasswordForm(AllauthResetPasswordForm):
    """ "Mot de passe oublié ?": the email to send the link to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"])

    def clean_email(self):
        email = super().clean_email()
        # A link only for an account the address belongs to: never for an account
        # that merely added it without validating it (someone else's address).
        owners = set(owners_of(email))
        self.users = [user for user in self.users if user in owners]
        return email


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    """The new password, from the emailed link; same rules as everywhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class ChangePasswordForm(AllauthChangePasswordForm):
    """ "Changer mon mot de passe", from "Mon compte"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Mot de passe actuel"
        self.fields["oldpassword"].widget.attrs.pop("placeholder", None)
        self.fields["oldpassword"].error_messages["required"] = "Ce champ est obligatoire."
        _new_password_fields(self)


class AddEmailForm(AllauthAddEmailForm):
    """ "Changer d'adresse email": the new address, validated by an emailed link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"], "Nouvelle adresse email")

    def clean_email(self):
        return check_email_length(super().clean_email())
