"""The demo data of `make run`: a few hundred offers with photos across ten departments,
a landlord login each, an applicant with open offers and one with none."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from offres.models import Offer, OfferPhoto

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


def test_the_demo_offers_and_what_each_demo_applicant_sees(client):
    call_command("demo", stdout=StringIO())
    published = Offer.objects.published()
    assert published.count() >= 250
    assert set(published.values_list("commune__department", flat=True)) == {
        "75", "92", "93", "94", "69", "13", "33", "31", "44", "59",
    }  # fmt: skip
    assert not published.filter(photos__isnull=True).exists()
    count = Offer.objects.count(), OfferPhoto.objects.count()
    call_command("demo", stdout=StringIO())
    assert (Offer.objects.count(), OfferPhoto.objects.count()) == count  # idempotent

    client.force_login(User.objects.get(email="candidat@alin.example"))
    page = text(client.get("/offres/"))
    found = int(re.search(r"(\d+) résultats? correspondant à votre recherche", page)[1])
    assert found >= 1
    assert "Nombre de pièces T1 - T2" in page and "Surface minimum 9 m²" in page

    client.force_login(User.objects.get(email="demandeur.sansoffre@alin.example"))
    page = text(client.get("/offres/"))
    assert (
        "A ce jour nous n'avons pas d'offre adaptée à votre situation sur vos communes "
        "choisies. Veuillez élargir vos souhaits."
    ) in page
    assert "Pensez à élargir votre zone de recherche." in page

    client.force_login(User.objects.get(email="bailleur.lyon@alin.example"))
    page = text(client.get("/bailleur/"))
    assert "Logis Métropole Lyon" in page and "Paris" not in page
