"""`manage.py check --database default` reports missing resource ceilings: without them
eligibility refuses every offer of a financing with published ceilings (it never lets an
income through unchecked), so the portal would look empty to applicants."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register(Tags.database)
def ceilings_loaded(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from .eligibility import financings_with_ceilings
    from .models import ResourceCeiling

    year = timezone.localdate().year
    try:
        present = set(
            ResourceCeiling.objects.using("default")
            .filter(year__lte=year)
            .values_list("financing", flat=True)
            .distinct()
        )
    except DatabaseError:  # not migrated yet
        return []
    missing = sorted(financings_with_ceilings() - present)
    if not missing:
        return []
    return [
        Warning(
            f"Plafonds de ressources absents pour {', '.join(missing)} : les offres de ces "
            "financements sont refusées à tous les demandeurs.",
            hint="Lancez `python manage.py bootstrap` (ou `load_plafonds`).",
            id="offres.W001",
        )
    ]
