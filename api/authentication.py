"""Who calls: ``Authorization: Api-Key <key>``; the key names its landlord."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import LandlordApiKey

KEYWORD = "Api-Key"


class LandlordKeyAuthentication(authentication.BaseAuthentication):
    """Checks the key on every call (a revoked key is refused at once). ``request.user``
    is the staff member who created the key (the actor of pipeline steps),
    ``request.auth`` the key, whose ``landlord`` scopes everything."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword != KEYWORD or not secret.strip():
            raise exceptions.AuthenticationFailed(
                f"En-tête Authorization attendu : « {KEYWORD} <votre clé> »."
            )
        secret = secret.strip()
        key = (
            LandlordApiKey.objects.select_related("landlord", "created_by")
            .filter(prefix=secret.partition(".")[0], revoked=False)
            .first()
        )
        # The library's check of the secret against the stored hash.
        if key is None or not key.is_valid(secret) or key.has_expired:
            raise exceptions.AuthenticationFailed("Clé d'API inconnue ou révoquée.")
        LandlordApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        request._request.api_key = key  # for the call log
        return (key.created_by, key)

    def authenticate_header(self, request):
        return KEYWORD


class LandlordKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.LandlordKeyAuthentication"
    name = "CleApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "« Api-Key <votre clé> » : la clé créée dans l'espace bailleur.",
        }
