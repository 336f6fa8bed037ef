"""`manage.py check --database default` reports a database without the French geography
(search, requests and offers all need the communes): run `manage.py bootstrap`."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def communes_loaded(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from .models import Commune

    try:
        missing = not Commune.objects.using("default").exists()
    except DatabaseError:  # not migrated yet: `migrate` checks before migrating
        return []
    if not missing:
        return []
    return [
        Warning(
            "Aucune commune en base : la recherche et les demandes ne fonctionnent pas.",
            hint="Lancez `python manage.py bootstrap` (ou `load_communes`).",
            id="territoires.W001",
        )
    ]
