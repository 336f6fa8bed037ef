"""The cached offer pages are never stale in a way that matters (issue 19).

With the real cache (Redis): a published offer shows in, and a closed one leaves, the
visitors' search and the applicant's list on the next request (the offers' version is
bumped by every change); every cached entry expires within 60 seconds at most, so even a
write that bypasses the signals is seen within a minute; a new day reads new keys; the
applicant's own candidature shows on the next request.
"""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from candidatures.models import Candidature
from offres import services
from offres.models import Offer
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db

SEARCH = "/offres/?typologie=2&loyer_max=900&tri=date_limite"


def text(response):
    return unescape(response.content.decode())


def results(page):
    return int(re.search(r"(\d+) résultats? correspondant", page)[1])


@pytest.fixture
def real_cache(redis_url):
    """The portal's Redis cache, as in production (not the in-process fallback)."""
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.ResilientRedisCache"
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def place(ceilings):
    return CommuneFactory()


@pytest.fixture
def applicant(client, place):
    demande = DemandeFactory(
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    client.force_login(demande.user)
    return demande


def seen(client, path, offer):
    page = text(client.get(path))
    return f"/offres/{offer.pk}/" in page, results(page)


def test_a_published_then_closed_offer_shows_in_and_leaves_the_search_at_once(
    client, real_cache, place, django_capture_on_commit_callbacks
):
    OfferFactory(commune=place)
    assert results(text(client.get(SEARCH))) == 1
    assert results(text(client.get(SEARCH))) == 1  # read from the cache
    new = OfferFactory(commune=place, status=Offer.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(offer=new)
    assert seen(client, SEARCH, new) == (True, 2)
    assert seen(client, SEARCH + "&vue=liste", new) == (True, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.close(offer=new)
    assert seen(client, SEARCH, new) == (False, 1)


def test_an_applicant_list_and_situation_follow_published_and_closed_offers(
    client, real_cache, applicant, place, django_capture_on_commit_callbacks
):
    OfferFactory(commune=place)
    assert results(text(client.get("/offres/"))) == 1
    assert "1</span> offre adaptée" in text(client.get("/ma-situation/"))
    new = OfferFactory(commune=place, status=Offer.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(offer=new)
    assert seen(client, "/offres/", new) == (True, 2)
    assert "2</span> offres adaptées" in text(client.get("/ma-situation/"))
    # The bulk path (the nightly closing, and the landlord's "close these offers").
    with django_capture_on_commit_callbacks(execute=True):
        services.close_offers(offers=Offer.objects.filter(pk=new.pk))
    assert seen(client, "/offres/", new) == (False, 1)
    assert "1</span> offre adaptée" in text(client.get("/ma-situation/"))


def test_an_edited_offer_and_a_new_photo_show_at_once(
    client, real_cache, place, django_capture_on_commit_callbacks
):
    offer = OfferFactory(commune=place, title="Avant")
    assert "Avant" in text(client.get(SEARCH))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_offer(offer=offer, title="Après", rent=Decimal("460"))
    page = text(client.get(SEARCH))
    assert "Après" in page and "Avant" not in page and "510 €" in page


def test_the_applicant_own_changes_show_on_the_next_request(client, real_cache, applicant, place):
    offer = OfferFactory(commune=place)
    card = "T2 | Saint-Ouen-sur-Seine (93) | 500 €"
    assert card not in text(client.get("/candidatures/"))
    assert "Ma candidature en cours" not in text(client.get("/ma-situation/"))
    client.post(f"/candidatures/postuler/{offer.pk}/")
    assert Candidature.objects.filter(demande=applicant).exists()
    assert card in text(client.get("/candidatures/"))
    assert "Ma candidature en cours" in text(client.get("/ma-situation/"))
    # A change of the request's situation (here: resources) shows at once as well.
    applicant.monthly_resources = Decimal("900")
    applicant.save()
    assert results(text(client.get("/offres/"))) == 0


def test_every_cached_read_expires_within_a_minute(client, real_cache, applicant, place):
    """Whatever path changed an offer (even raw SQL, which no signal sees), nothing the
    pages cache outlives 60 seconds; only the version token itself is kept."""
    OfferFactory(commune=place)
    cache.clear()
    for path in ("/offres/", "/ma-situation/", SEARCH, SEARCH + "&page=1&vue=liste"):
        assert client.get(path).status_code == 200
    client.logout()
    client.get(SEARCH)
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    keys = [k.decode() for k in real_cache.scan_iter(f"{prefix}:*")]
    kinds = {"count", "page", "search-form", "version", "template.cache.offer-cards"}
    found = {kind for kind in kinds for key in keys if kind in key}
    assert found == kinds, keys
    for key in keys:
        if key.endswith(":offres:version"):
            assert real_cache.ttl(key) == -1  # the invalidation: no expiry
        elif "offres:" in key or "template.cache" in key:
            assert 0 < real_cache.ttl(key) <= 60, key


def test_an_offer_leaves_the_lists_the_day_after_its_deadline_even_cached(
    client, real_cache, applicant, place
):
    last_day = timezone.localdate() + datetime.timedelta(days=2)
    offer = OfferFactory(commune=place, deadline=last_day)
    assert seen(client, "/offres/", offer) == (True, 1)
    with time_machine.travel(last_day + datetime.timedelta(days=1, hours=9)):
        # No write happened: the new day alone makes new keys.
        assert seen(client, "/offres/", offer) == (False, 0)
        client.logout()
        assert seen(client, "/offres/", offer) == (False, 0)
