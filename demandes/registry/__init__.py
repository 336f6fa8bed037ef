"""The national registry of social-housing requests (SNE), behind one small interface.

The portal never owns a request: it looks it up by number, has the access code sent
to the email on file, and reads the current content. ``get_registry()`` returns the
backend named by the DEMANDES_REGISTRY_BACKEND setting; the one working backend,
``DatabaseRegistry``, reads the registry's copy held in the portal's database
(filled by ``manage.py import_registre``).
"""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class Registry(Protocol):
    def find(self, number: str) -> dict | None:
        """The registry record of a request, or None when the number is unknown."""

    def email_on_file(self, number: str) -> str | None:
        """The email address registered with the request."""

    def send_access_code(self, number: str, code: str) -> str | None:
        """Send the access code to the email on file; return that address."""


def get_registry() -> Registry:
    return import_string(settings.DEMANDES_REGISTRY_BACKEND)()
