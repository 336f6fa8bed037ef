import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import apply_role
from accounts.second_factor import ensure_totp

PASSWORD = "Motdepasse1"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose email is verified and whose password is set."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    civility = User.Civility.MADAME
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    mobile_phone = "+33612345678"
    role = User.Role.APPLICANT

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AdvisorFactory(UserFactory):
    """A real advisor: staff, in the advisors' group, not a superuser, with TOTP
    activated (``advisor.totp_secret``; sign in to the admin with ``staff_login``)."""

    role = User.Role.ADVISOR
    is_staff = True
    is_superuser = False

    @factory.post_generation
    def advisor_group(obj, create, extracted, **kwargs):
        if create:
            apply_role(obj)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.totp_secret = ensure_totp(obj)


class SuperuserFactory(AdvisorFactory):
    """A technical administrator (superuser)."""

    is_superuser = True


class LandlordUserFactory(UserFactory):
    role = User.Role.LANDLORD


class CompanyUserFactory(UserFactory):
    role = User.Role.COMPANY


def reauthenticate(client, password=PASSWORD):
    """Type the password again, as allauth asks before changing the address or deleting
    the account (a session opened by ``force_login`` has no recent sign-in)."""
    response = client.post("/compte/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def totp_code(secret, at=None, *, step=0):
    """The 6-digit code an authenticator app shows for ``secret`` (RFC 6238: HMAC-SHA1
    of the 30-second counter), computed here independently of allauth."""
    key = base64.b32decode(secret, casefold=True)
    counter = int((time.time() if at is None else at) // 30) + step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def staff_login(client, user):
    """Sign a staff account in as the admin requires: session, then its TOTP code.

    A code is accepted once: when the current one was just used (same 30 seconds),
    the next step's code is, as allauth tolerates one step of drift.
    """
    secret = getattr(user, "totp_secret", None) or ensure_totp(user)
    client.force_login(user)
    for step in (0, 1):
        response = client.post(
            "/compte/2fa/reauthenticate/", {"code": totp_code(secret, step=step)}
        )
        if response.status_code == 302:
            return
    raise AssertionError(response.content.decode()[:2000])
