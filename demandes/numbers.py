"""The Numéro Unique (NUD/NUR) of a social-housing request.

18 characters: territory code (3), month (2) and year (2) of the first filing, the
applicant's sequence number (6) and the registering organisation's code (5), e.g.
``0080321000486G1U21`` read as 008|03|21|000486|G1U21. The split is inferred from the
guide's examples (see ../shared/domain.md); only what is certain is enforced: length,
upper-case letters and digits, and a month from 01 to 12.
"""

import re

from django.core.exceptions import ValidationError

NUMBER_LENGTH = 18
_ALLOWED = re.compile(r"^[A-Z0-9]+$")


def normalise_number(raw: str) -> str:
    """Strip spaces (inside too) and put letters in upper case."""
    return "".join((raw or "").split()).upper()


def validate_number(raw: str) -> str:
    """Return the normalised number, or raise a French error saying what is wrong."""
    number = normalise_number(raw)
    if not number:
        raise ValidationError("Saisissez votre Numéro Unique.", code="required")
    if not _ALLOWED.match(number):
        raise ValidationError(
            "Le Numéro Unique ne contient que des lettres et des chiffres.", code="characters"
        )
    if len(number) != NUMBER_LENGTH:
        raise ValidationError(
            f"Le Numéro Unique comporte {NUMBER_LENGTH} caractères "
            f"(vous en avez saisi {len(number)}).",
            code="length",
        )
    month = int(number[3:5]) if number[3:5].isdigit() else 0
    if not 1 <= month <= 12:
        raise ValidationError(
            "Ce Numéro Unique n'est pas valide : vérifiez-le sur votre attestation "
            "d'enregistrement.",
            code="month",
        )
    return number


def mask_email(email: str) -> str:
    """Hide the part before the @, as the guide shows it: *****@yopmail.com."""
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    return f"*****@{domain}"
