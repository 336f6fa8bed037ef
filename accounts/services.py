import uuid

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import personal_data
from .adapter import INITIAL_PASSWORD_SALT
from .models import User
from .roles import apply_role

INITIAL_PASSWORD_MAX_AGE = 12 * 3600


class InvalidToken(Exception):
    """The link to choose a first password is unknown, expired or already used."""


def user_for_initial_password(token):
    """Return the validated account a first-password link belongs to.

    The link is valid 12 hours, and only while the account has no password yet
    (so it can be used once).
    """
    try:
        data = signing.loads(token, salt=INITIAL_PASSWORD_SALT, max_age=INITIAL_PASSWORD_MAX_AGE)
    except signing.BadSignature as exc:
        raise InvalidToken from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None or user.has_usable_password():
        raise InvalidToken
    if not EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists():
        raise InvalidToken
    return user


@transaction.atomic
def send_new_link(*, request, email):
    """ "Recevoir un nouveau lien": what the address needs to finish its sign-up.

    An address waiting for validation gets a new validation link (allauth's per-address
    cooldown applies); a validated account that never chose its password gets the link
    to choose it; any other address gets nothing. The caller answers the same in every
    case, so that nothing is revealed about the address.
    """
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )

    from .adapter import send_choose_password_email

    address = (
        EmailAddress.objects.filter(email__iexact=email.strip(), user__is_active=True)
        .select_related("user")
        .first()
    )
    if address is None:
        return
    if not address.verified:
        send_verification_email_to_address(request, address, signup=True)
    elif not address.user.has_usable_password():
        send_choose_password_email(address.user)


@transaction.atomic
def set_initial_password(*, user, form):
    """Save the first password chosen after the email was validated."""
    form.save()
    return user


@transaction.atomic
def update_profile(*, form):
    return form.save()


def export_personal_data(*, user):
    """Everything the portal holds about the user, for the RGPD right of access."""
    data = {
        "compte": {
            "email": user.email,
            "civilite": user.get_civility_display(),
            "nom_de_naissance": user.last_name,
            "prenom": user.first_name,
            "telephone_portable": str(user.mobile_phone or ""),
            "role": user.get_role_display(),
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
            "consentement_donnees": {
                "date": user.data_consent_at.isoformat() if user.data_consent_at else None,
                "version_notice": user.data_consent_version,
            },
        },
        "adresses_email": [
            {"email": a.email, "verifiee": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "exporte_le": timezone.now().isoformat(),
    }
    for name, exporter in personal_data.exporters().items():
        data[name] = exporter(user)
    return data


@transaction.atomic
def delete_account(*, user):
    """Delete the account; what must be kept for legal reasons is anonymised.

    Each app erases or anonymises its own data first (registered erasers). The user
    row itself is kept, anonymised and deactivated, so that the history of
    candidatures (a legal obligation of the allocation process) keeps its integrity
    without naming anybody.
    """
    traces = personal_data.traces_of(user)
    for eraser in personal_data.erasers():
        eraser(user)
    personal_data.erase_history_and_outbox(user, traces)
    personal_data.erase_sessions(user, traces)
    EmailAddress.objects.filter(user=user).delete()
    LogEntry.objects.filter(user=user).update(change_message="")
    user.email = f"supprime-{uuid.uuid4().hex}@anonyme.invalid"
    user.first_name = ""
    user.last_name = ""
    user.civility = ""
    user.mobile_phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def ensure_first_superuser(*, email, password):
    """The technical administrator of a new installation, from the environment.

    Idempotent: when an account with this address exists it is left exactly as it is
    (its password is never reset by a re-run). Returns (user, created). The address is
    marked verified: sign-in requires a verified address (ACCOUNT_EMAIL_VERIFICATION).
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing, False
    validate_password(password, user=User(email=email))
    user = User.objects.create_superuser(email=email, password=password)
    apply_role(user)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def owners_of(email):
    """The accounts an address belongs to: validated on the account, or the account's
    own sign-in address. An address added to another account and never validated is
    only a claim: it gives that account nothing."""
    email = email.strip().lower()
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    return User.objects.filter(Q(email=email) | Q(pk__in=verified))


def drop_claims(email, *, owner):
    """The owner of ``email`` signed up with it: other accounts' unvalidated claims on it
    are removed (their validation link would otherwise move the address)."""
    EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user=owner).exclude(
        user__email__iexact=email
    ).delete()
