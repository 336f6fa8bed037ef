"""Extension points of the request pages, filled by apps to the right of demandes.

- ``register_company_code_checker(func)``: ``func(code, sirets)`` checks the Code
  Entreprise typed on the mini-form against the known companies and returns ``None``
  or the French reason it is refused (``sirets``: the SIRETs of the request). The
  entreprises app registers it. A code typed while no checker is registered is a
  misconfiguration and raises, rather than accepting any code silently.
"""

from django.core.exceptions import ImproperlyConfigured

_code_checkers = []


def register_company_code_checker(func):
    _code_checkers[:] = [func]


def check_company_code(code, sirets):
    """The reason the Code Entreprise is refused, or None (no code: nothing to check)."""
    if not code:
        return None
    if not _code_checkers:
        raise ImproperlyConfigured(
            "Aucun contrôle du Code Entreprise n'est enregistré : l'application "
            "« entreprises » doit être installée (INSTALLED_APPS)."
        )
    return _code_checkers[0](code, sirets)
