"""How long a rate-limited person must wait, for a message that says it.

allauth counts attempts in the cache (ACCOUNT_RATE_LIMITS) but only answers
"refused". The wait is read back from the same counters, so the page can say
"réessayez dans 4 minute(s)" instead of "later".
"""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache

APP = "allauth.account"

# Which allauth action a refused page (by its URL name) belongs to, and the form field holding the
# per-address key of that action (if the action has one).
ACTIONS_BY_URL_NAME = {
    "account_login": ("login", None),
    "account_signup": ("signup", None),
    "account_reset_password": ("reset_password", "email"),
    "account_reset_password_from_key": ("reset_password_from_key", None),
    "account_change_password": ("change_password", None),
    "account_set_password": ("change_password", None),
    "account_email": ("manage_email", None),
    "account_reauthenticate": ("reauthenticate", None),
    "accounts:resend_confirmation": ("resend_link", None),
    "core:contact": ("contact", None),
}


def retry_after(request, *, action, key=None):
    """Seconds before ``action`` is allowed again for this request (0: allowed now).

    A rate "N per duration" refuses while N attempts are younger than the
    duration; it allows again when the N-th most recent one gets older.
    """
    now = time.time()
    wait = 0.0
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if rate.per == "key" and key is None:
            continue
        if rate.per == "user" and not request.user.is_authenticated:
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key
        )
        recent = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(recent) >= rate.amount:
            recent.sort(reverse=True)
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def longest_wait(action):
    """The longest window of the action's rates: an upper bound of any wait."""
    rates = allauth_ratelimit.get_rates(app=APP, action=action)
    return math.ceil(max((rate.duration for rate in rates), default=60))


def wait_in_words(seconds):
    """ "4 minute(s)", "30 seconde(s)": the guide's way of writing durations."""
    if seconds < 60:
        return f"{max(seconds, 1)} seconde(s)"
    return f"{math.ceil(seconds / 60)} minute(s)"


def lockout_message(seconds):
    return (
        "Trop de tentatives de connexion infructueuses. Par sécurité, la connexion à ce "
        f"compte est bloquée : réessayez dans {wait_in_words(seconds)} "
        "ou utilisez « Mot de passe oublié ? »."
    )
