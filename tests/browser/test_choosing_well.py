"""Choosing well with a single slot, in a real browser (issue 18): the applicant reads the
rank they would have on an offer, applies, and finds the same rank on "Mes candidatures";
"Élargir mes souhaits" lists a nearby commune whose link shows its offers. Every page
passes axe-core, on a phone and on a desktop."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GRAND_PARIS = "200054781"


def flat(value):
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ").replace("\u202f", " "))


def test_projected_rank_then_the_same_rank_after_applying_and_a_wider_search(
    live_server, page, axe, console_errors, ceilings
):
    base = live_server.url
    saint_ouen = CommuneFactory(epci=GRAND_PARIS)
    aubervilliers = CommuneFactory(
        insee_code="93001", name="Aubervilliers", postal_code="93300", epci=GRAND_PARIS
    )
    # One person, 1 800 € a month, request filed in 2022, who wishes Saint-Ouen.
    demande = DemandeFactory(
        communes=[saint_ouen],
        monthly_resources=Decimal("1800"),
        first_filed_on=datetime.date(2022, 5, 1),
        legal_priority=False,
        information_confirmed_at=timezone.now(),
        documents_confirmed_at=timezone.now(),
    )
    offer = OfferFactory(commune=saint_ouen, title="T2 lumineux près du métro")
    # One candidate with a legal priority ranks before them, one filed later after them.
    CandidatureFactory(offer=offer, demande=DemandeFactory(legal_priority=True))
    CandidatureFactory(
        offer=offer,
        demande=DemandeFactory(legal_priority=False, first_filed_on=datetime.date(2025, 9, 1)),
    )
    OfferFactory(commune=aubervilliers, title="T2 à Aubervilliers")

    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(demande.user.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()

    # « Élargir mes souhaits » on Ma situation, and its link to the commune's offers.
    page.goto(base + "/ma-situation/")
    widening = page.locator("section[aria-labelledby=titre-elargir]")
    expect(widening).to_contain_text("Aubervilliers (93300) : +1 offre (T2), rang estimé 1er")
    axe(page)
    widening.get_by_role("link", name="Aubervilliers (93300)").click()
    expect(page.get_by_text("hors de vos souhaits actuels")).to_be_visible()
    expect(page.get_by_text("T2 à Aubervilliers")).to_be_visible()
    assert "T2 lumineux" not in page.content()
    axe(page)

    # The projected rank on the offer page, computed by the real ranking.
    page.goto(f"{base}/offres/{offer.pk}/")
    projection = page.locator("#rang-estime")
    expect(projection).to_contain_text("vous seriez classé(e) 2e sur 3")
    expect(projection).to_contain_text("1 candidat — ")
    axe(page)

    page.get_by_role("link", name="Je postule").click()
    page.get_by_role("button", name="Je confirme ma candidature").click()
    page.goto(base + "/candidatures/")
    card = flat(page.locator("main").inner_text())
    assert "Votre rang : 2e sur 3 (rang provisoire, avant la commission)" in card
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert not console_errors
