"""Atom feeds: a script follows a search cheaply, and gets 304 while nothing changed."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from offres import services
from offres.models import Offer, SearchAlert
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def places():
    return {
        "saint-ouen": CommuneFactory(),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_code="33000",
            department=DepartmentFactory(code="33", name="Gironde"),
        ),
    }


def test_the_public_feed_lists_the_offers_of_the_search(client, places):
    OfferFactory(commune=places["saint-ouen"], typology=2)
    OfferFactory(commune=places["saint-ouen"], typology=3, surface=Decimal("60"))
    OfferFactory(commune=places["bordeaux"], typology=2)
    OfferFactory(commune=places["saint-ouen"], status=Offer.Status.DRAFT, published_at=None)

    titles = entries(client.get("/offres/flux.atom?lieu=93&typologie=2&tri=loyer&page=3"))

    assert titles == ["T2 — Saint-Ouen-sur-Seine (93400) — 500 € par mois"]


def test_the_search_page_links_to_its_feed(client, places):
    page = client.get("/offres/?lieu=93&typologie=2&vue=liste").content.decode()
    assert 'href="/offres/flux.atom?typologie=2&amp;lieu=93"' in page
    assert 'type="application/atom+xml"' in page


def test_a_poller_gets_304_until_an_offer_is_published_or_closed(client, places):
    first = OfferFactory(commune=places["saint-ouen"])
    response = client.get("/offres/flux.atom?lieu=93")
    etag, last_modified = response["ETag"], response["Last-Modified"]

    again = client.get("/offres/flux.atom?lieu=93", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert (
        client.get("/offres/flux.atom?lieu=93", HTTP_IF_MODIFIED_SINCE=last_modified).status_code
        == 304
    )

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        new = OfferFactory(commune=places["saint-ouen"], title="Nouvelle", typology=1)
        response = client.get("/offres/flux.atom?lieu=93", HTTP_IF_NONE_MATCH=etag)
        assert len(entries(response)) == 2
        assert (
            client.get(
                "/offres/flux.atom?lieu=93", HTTP_IF_MODIFIED_SINCE=last_modified
            ).status_code
            == 200
        )
        etag = response["ETag"]

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=4)):
        services.close(offer=first)
        response = client.get("/offres/flux.atom?lieu=93", HTTP_IF_NONE_MATCH=etag)
        assert entries(response) == [
            f"T1 — Saint-Ouen-sur-Seine (93400) — {new.total_rent:.0f} € par mois"
        ]


def test_an_offer_whose_deadline_passed_leaves_the_feed_the_next_day(client, places):
    OfferFactory(commune=places["saint-ouen"], deadline=timezone.localdate())
    response = client.get("/offres/flux.atom")
    assert len(entries(response)) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        later = client.get("/offres/flux.atom", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert entries(later) == []


def test_a_saved_search_has_a_private_feed_with_the_offers_open_to_the_applicant(
    client, ceilings, places
):
    demande = DemandeFactory(
        communes=[places["saint-ouen"]],
        monthly_resources=Decimal("1800"),
        information_confirmed_at=timezone.now(),
    )
    OfferFactory(commune=places["saint-ouen"], title="Ouverte")
    OfferFactory(
        commune=places["saint-ouen"], typology=5, surface=Decimal("95"), title="Trop grande"
    )
    alert = services.create_alert(user=demande.user, query_string="lieu=93")

    client.force_login(demande.user)
    page = client.get("/offres/alertes/").content.decode()
    assert f"/offres/alertes/flux/{alert.feed_token}.atom" in page
    client.logout()

    response = client.get(f"/offres/alertes/flux/{alert.feed_token}.atom")
    assert entries(response) == ["T2 — Saint-Ouen-sur-Seine (93400) — 500 € par mois"]
    assert "private" in response["Cache-Control"]
    assert client.get(f"/offres/alertes/flux/{alert.token}.atom").status_code == 404


def test_renewing_the_feed_address_revokes_the_old_one_at_once(client, places):
    demande = DemandeFactory(communes=[places["saint-ouen"]])
    alert = services.create_alert(user=demande.user, query_string="lieu=93")
    old = alert.feed_token
    client.force_login(demande.user)

    response = client.post(f"/offres/alertes/{alert.pk}/flux/nouveau-lien/", follow=True)

    assert "l'ancienne ne fonctionne plus" in unescape(response.content.decode())
    new = SearchAlert.objects.get().feed_token
    assert new != old
    assert client.get(f"/offres/alertes/flux/{old}.atom").status_code == 404
    assert client.get(f"/offres/alertes/flux/{new}.atom").status_code == 200


def test_nobody_renews_the_feed_of_someone_elses_alert(client, places):
    owner = DemandeFactory(communes=[places["saint-ouen"]])
    alert = services.create_alert(user=owner.user, query_string="lieu=93")
    other = DemandeFactory(communes=[places["saint-ouen"]])
    client.force_login(other.user)
    assert client.post(f"/offres/alertes/{alert.pk}/flux/nouveau-lien/").status_code == 404
    assert SearchAlert.objects.get().feed_token == alert.feed_token
