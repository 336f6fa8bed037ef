from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class KeyRateThrottle(SimpleRateThrottle):
    """So many calls per key (settings API_KEY_RATE); beyond, 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self):
        # Read at each call (not frozen at import): settings may change the rate.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
