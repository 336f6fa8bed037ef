"""Password rules from the guide ("Mise à jour du mot de passe").

Each rule is a Django password validator, so the same rules hold wherever a
password is set: after the email link, on reset, on change and in the admin.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator:
    """At least 8 characters."""

    def __init__(self, min_length=8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Votre mot de passe doit contenir au moins {self.min_length} caractères.",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"doit contenir au moins {self.min_length} caractères"


class _PatternValidator:
    pattern = ""
    message = ""
    help_text = ""
    code = ""

    def validate(self, password, user=None):
        if not re.search(self.pattern, password):
            raise ValidationError(self.message, code=self.code)

    def get_help_text(self):
        return self.help_text


class DigitValidator(_PatternValidator):
    """At least one digit."""

    pattern = r"\d"
    code = "password_no_digit"
    message = "Votre mot de passe doit contenir au moins 1 chiffre."
    help_text = "doit contenir au moins 1 chiffre(s)"


class UppercaseValidator(_PatternValidator):
    """At least one upper-case letter (accented letters count)."""

    pattern = r"[A-ZÀ-ÖØ-Þ]"
    code = "password_no_upper"
    message = "Votre mot de passe doit contenir au moins 1 lettre en majuscule."
    help_text = "doit contenir au moins 1 lettre(s) en majuscule"


class LowercaseValidator(_PatternValidator):
    """At least one lower-case letter (accented letters count)."""

    pattern = r"[a-zß-öø-ÿ]"
    code = "password_no_lower"
    message = "Votre mot de passe doit contenir au moins 1 lettre en minuscule."
    help_text = "doit contenir au moins 1 lettre(s) en minuscule"


class NotUsernameValidator:
    """Not identical to the user name: the email, or the part before the @."""

    def validate(self, password, user=None):
        email = (getattr(user, "email", "") or "").strip().lower()
        if not email:
            return
        candidate = password.strip().lower()
        if candidate in {email, email.split("@", 1)[0]}:
            raise ValidationError(
                "Votre mot de passe ne doit pas être identique au nom d'utilisateur.",
                code="password_is_username",
            )

    def get_help_text(self):
        return "ne doit pas être identique au nom d'utilisateur"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords (Django's list), beyond the guide's
    rules: "Azerty123" follows them all and is among the first tried."""

    extra_rule = True

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Ce mot de passe est trop courant : choisissez-en un moins facile à deviner.",
                code="password_too_common",
            ) from None

    def get_help_text(self):
        return "ne doit pas être un mot de passe courant"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Not close to the person's email, first name or last name."""

    extra_rule = True
    DEFAULT_USER_ATTRIBUTES = ("email", "first_name", "last_name")

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Votre mot de passe ressemble trop à votre nom, prénom ou adresse email.",
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return "ne doit pas ressembler à vos nom, prénom ou adresse email"
