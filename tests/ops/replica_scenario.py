"""Run by tests/ops/test_replica.py in a process of its own, against a private primary
(DATABASE_URL) and its streaming replica (DATABASE_REPLICA_URL): prints what it saw as
JSON. A separate process, because the routing is decided by the settings at start."""

import json
import os
import sys
import time

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from candidatures.models import Candidature  # noqa: E402
from offres import services  # noqa: E402
from offres.models import Offer  # noqa: E402
from tests.accounts.factories import LandlordUserFactory  # noqa: E402
from tests.demandes.factories import DemandeFactory  # noqa: E402
from tests.offres.factories import (  # noqa: E402
    LandlordFactory,
    LandlordMembershipFactory,
    OfferFactory,  # noqa: E402
)
from tests.territoires.factories import CommuneFactory  # noqa: E402


def replica_sql(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def tables_read(context):
    return " ".join(query["sql"] for query in context.captured_queries)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_plafonds", verbosity=0)
    commune = CommuneFactory()
    landlord = LandlordFactory()
    landlord_user = LandlordUserFactory()
    LandlordMembershipFactory(landlord=landlord, user=landlord_user)
    published = OfferFactory(landlord=landlord, commune=commune, title="Offre déjà répliquée")
    demande = DemandeFactory(communes=[commune])
    # The replica has everything so far…
    for _ in range(300):
        if Offer.objects.using("replica").filter(pk=published.pk).exists():
            break
        time.sleep(0.1)
    # …then stops replaying: from now on it lags behind the primary.
    replica_sql("SELECT pg_wal_replay_pause()")
    seen = {"replay_paused": replica_sql("SELECT pg_is_wal_replay_paused()")}

    public = Client()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        listing = public.get("/offres/")
        detail = public.get(f"/offres/{published.pk}/")
    seen["search_status"] = [listing.status_code, detail.status_code]
    seen["search_shows_offer"] = "Offre déjà répliquée" in listing.content.decode()
    seen["search_offer_reads_on_replica"] = "offres_offer" in tables_read(on_replica)
    seen["search_offer_reads_on_primary"] = "offres_offer" in tables_read(on_primary)

    # A landlord creates an offer, then views it.
    landlord_client = Client()
    landlord_client.force_login(landlord_user)
    form = {name: "" for name in services.EDITABLE_FIELDS if name != "commune"}
    template = OfferFactory.build(landlord=landlord, commune=commune)
    for name in form:
        value = getattr(template, name)
        form[name] = "" if value is None else ("on" if value is True else str(value))
    form = {k: v for k, v in form.items() if v not in ("", "False")}
    form.update(title="Offre créée pendant le retard", commune_code=commune.insee_code)
    created = landlord_client.post("/bailleur/offres/nouvelle/", form)
    seen["landlord_create_status"] = created.status_code
    new_offer = Offer.objects.filter(title="Offre créée pendant le retard").first()
    seen["landlord_offer_created"] = new_offer is not None
    if new_offer is not None:
        seen["landlord_view_status"] = landlord_client.get(created["Location"]).status_code
        edit = landlord_client.get(f"/bailleur/offres/{new_offer.pk}/modifier/")
        seen["landlord_edit_status"] = edit.status_code
        seen["landlord_list_shows_it"] = (
            "Offre créée pendant le retard" in landlord_client.get("/bailleur/").content.decode()
        )
        seen["replica_has_new_offer"] = (
            Offer.objects.using("replica").filter(pk=new_offer.pk).exists()
        )

    # An applicant applies, then lists their candidatures.
    applicant = Client()
    applicant.force_login(demande.user)
    applied = applicant.post(f"/candidatures/postuler/{published.pk}/")
    seen["apply_status"] = applied.status_code
    seen["apply_redirect"] = applied.get("Location", "")
    listing = applicant.get("/candidatures/")
    seen["list_status"] = listing.status_code
    filed = Candidature.objects.filter(applicant=demande.user).first()
    page = listing.content.decode()
    seen["list_shows_candidature"] = bool(filed) and (
        f'id="cand-{filed.pk}"' in page and f'href="/offres/{published.pk}/"' in page
    )
    seen["replica_has_candidature"] = (
        Candidature.objects.using("replica").filter(applicant=demande.user).exists()
    )
    seen["primary_has_candidature"] = Candidature.objects.filter(applicant=demande.user).exists()

    replica_sql("SELECT pg_wal_replay_resume()")
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
