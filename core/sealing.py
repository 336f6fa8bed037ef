"""Sealed (encrypted) email bodies in the outbox.

Outbox rows hold password-reset links, sign-up links and access codes. Anyone who can
read the table (advisors in the admin, a database dump) could take over an account with
them, so bodies are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) and only the
sending task opens them. The key is derived from ``OUTBOX_KEY`` when set, else from
``SECRET_KEY``; ``SECRET_KEY_FALLBACKS`` keep older rows readable after a key rotation.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "fernet:"


def _fernet(secret):
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"alin-outbox", info=b"outbox bodies"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys():
    secrets = [getattr(settings, "OUTBOX_KEY", "") or settings.SECRET_KEY]
    secrets += list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(text):
    """Encrypt a body for storage; the empty body stays empty."""
    if not text:
        return ""
    return PREFIX + _keys().encrypt(text.encode()).decode()


def unseal(value):
    """Decrypt a stored body (a body stored before sealing existed is returned as is)."""
    if not value.startswith(PREFIX):
        return value
    try:
        return _keys().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Corps d'email illisible : clé de chiffrement changée ?") from exc
