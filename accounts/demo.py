"""Demo accounts: advisors (a superuser and a group member) and an applicant who can
sign in at once."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from .models import User
from .roles import apply_role
from .second_factor import a_recovery_code, ensure_totp

DEMO_PASSWORD = "Demo2026!"  # noqa: S105 — published demo login, demo data only


def _user(email, **fields):
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _with_second_factor(user):
    """Staff need a second factor for the admin: the demo prints the TOTP key (to add
    to an authenticator app) and a recovery code (usable once) next to the login."""
    return (
        f"{DEMO_PASSWORD}\n{'':<30}2e facteur : clé TOTP {ensure_totp(user)}"
        f" (ou code de secours {a_recovery_code(user)})"
    )


def load(stdout):
    superuser = _user(
        "conseiller@alin.example",
        role=User.Role.ADVISOR,
        is_staff=True,
        is_superuser=True,
        first_name="Claire",
        last_name="Conseil",
        civility=User.Civility.MADAME,
    )
    # An advisor who is not a superuser: the admin through the advisors' group.
    advisor = _user(
        "conseillere.paris@alin.example",
        role=User.Role.ADVISOR,
        is_staff=True,
        first_name="Inès",
        last_name="Petit",
        civility=User.Civility.MADAME,
    )
    apply_role(advisor)
    _user(
        "demandeur@alin.example",
        role=User.Role.APPLICANT,
        first_name="Jean",
        last_name="Dupont",
        civility=User.Civility.MONSIEUR,
        mobile_phone="+33612345678",
        data_consent_at=timezone.now(),
        data_consent_version="2026-11",
    )
    return [
        ("Conseiller (administration)", superuser.email, _with_second_factor(superuser)),
        ("Conseillère (groupe conseillers)", advisor.email, _with_second_factor(advisor)),
        ("Demandeur", "demandeur@alin.example", DEMO_PASSWORD),
    ]
