from django.db import transaction
from django.utils import timezone

from .models import LandlordApiKey

MAX_ACTIVE_KEYS = 20


class ApiKeyError(Exception):
    """A refused change of the keys, explained in French."""


@transaction.atomic
def create_key(*, landlord, name, by):
    """A new key for the landlord's software; returns (key, secret): the secret is shown
    once and only its hash is kept."""
    name = " ".join((name or "").split())[:50]
    if not name:
        raise ApiKeyError("Donnez un nom à la clé (par exemple le nom de votre logiciel).")
    if landlord.api_keys.filter(revoked=False).count() >= MAX_ACTIVE_KEYS:
        raise ApiKeyError(f"{MAX_ACTIVE_KEYS} clés actives au plus : révoquez-en une d'abord.")
    return LandlordApiKey.objects.create_key(landlord=landlord, name=name, created_by=by)


@transaction.atomic
def revoke_key(*, key):
    """Refused from the next call on (the key is checked on every call)."""
    key = LandlordApiKey.objects.select_for_update().get(pk=key.pk)
    if not key.revoked:
        key.revoked = True
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked", "revoked_at"])
    return key
