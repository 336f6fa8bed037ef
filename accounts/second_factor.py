"""A second factor for staff (advisors and superusers), who read the personal data of
applicants across the whole country: allauth's MFA (TOTP, with recovery codes).

The admin opens only to a staff session that passed a TOTP or recovery code; a staff
account without TOTP is first sent to activate it. The admin's own login page is
allauth's (``secure_admin_login`` in alin/urls.py), so it shares the sign-in rate limits
and lockout.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt, is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


def passed_second_factor(request):
    """Whether this session was confirmed with a TOTP or recovery code."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class StaffSecondFactorMiddleware:
    """Before any admin page: a staff account has TOTP and its session passed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            admin_root = reverse("admin:index")
            if request.path.startswith(admin_root) and request.path != reverse("admin:logout"):
                response = self._second_factor(request, user)
                if response is not None:
                    return response
        return self.get_response(request)

    def _second_factor(self, request, user):
        if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            messages.info(
                request,
                "L'administration contient les données personnelles des demandeurs : "
                "activez la double authentification (application d'authentification) "
                "pour y entrer.",
            )
            return redirect(reverse("mfa_activate_totp"))
        if not passed_second_factor(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None


def ensure_totp(user):
    """The user's TOTP secret, activating TOTP (and recovery codes) when absent; for the
    demo, whose staff accounts must be usable at once."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    else:
        secret = decrypt(authenticator.data["secret"])
    return secret


def a_recovery_code(user):
    """One unused recovery code of the user (recovery codes created when absent)."""
    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    codes = (
        RecoveryCodes(authenticator) if authenticator is not None else RecoveryCodes.activate(user)
    )
    return codes.get_unused_codes()[0]
