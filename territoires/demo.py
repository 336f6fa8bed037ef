"""Demo data of territoires: INSEE's communes, loaded once (the other apps' demo data
places offers and requests in them)."""

from django.core.management import call_command

from .models import Commune


def load(stdout):
    if not Commune.objects.exists():
        call_command("load_communes", stdout=stdout)
    return []
