"""The company space in a real browser, at 360 and 1280 px: HR sees the employees at
choices 2 to 4 and only counts for choice 1, designates one employee, whose rank
explanation then shows the designation. axe-clean, no sideways scrolling."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidatures import services
from tests.demandes.factories import DemandeFactory
from tests.entreprises.factories import CompanyMembershipFactory, siret_of
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{page.url} défile horizontalement"


def sign_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()


def test_hr_sees_what_each_choice_allows_and_designates_an_employee(
    live_server, page, axe, viewport, ceilings
):
    base = live_server.url
    hr = CompanyMembershipFactory(company__name="Acme Logistique")
    place = CommuneFactory()
    offer = OfferFactory(commune=place)

    def employee(choice, first_name, filed):
        return DemandeFactory(
            siret=siret_of(hr.company),
            data_sharing=choice,
            first_name=first_name,
            birth_name=f"{first_name.upper()}-NOM",
            communes=[place],
            monthly_resources=Decimal("2400"),
            first_filed_on=filed,
            renewed_on=timezone.localdate() - datetime.timedelta(days=10),
            information_confirmed_at=timezone.now(),
        )

    hidden = [employee(1, f"Anonyme{n}", datetime.date(2021, 1, 1)) for n in range(3)]
    identity = employee(2, "Inès", datetime.date(2025, 1, 1))
    employee(3, "Paul", datetime.date(2024, 1, 1))
    employee(4, "Zoé", datetime.date(2024, 1, 1))
    older = DemandeFactory(communes=[place], first_filed_on=datetime.date(2020, 1, 1))
    for demande in (older, identity):
        services.apply(user=demande.user, offer=offer, demande=demande)

    sign_in(page, base, hr.user.email)
    page.get_by_role("link", name="Espace entreprise").first.click()
    expect(page.get_by_role("heading", name="Espace entreprise")).to_be_visible()
    axe(page)
    no_sideways_scroll(page)
    for name in ("Inès INÈS-NOM", "Paul PAUL-NOM", "Zoé ZOÉ-NOM"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_text("moins de 5").first).to_be_visible()
    for demande in hidden:
        expect(page.get_by_text(demande.first_name)).to_have_count(0)

    page.get_by_role("link", name="Inès INÈS-NOM").click()
    axe(page)
    no_sideways_scroll(page)
    expect(page.get_by_text("Lieux souhaités")).to_have_count(0)
    page.get_by_role("button", name="Désigner ce salarié").click()
    expect(page.get_by_text("Le salarié est désigné (points entreprise).")).to_be_visible()
    axe(page)

    page.get_by_role("link", name=re.compile("Espace entreprise")).first.click()
    page.get_by_role("link", name="Zoé ZOÉ-NOM").click()
    expect(page.get_by_role("heading", name="Gestion déléguée (choix n°4)")).to_be_visible()
    axe(page)
    no_sideways_scroll(page)
    page.get_by_role("link", name="Situation professionnelle").click()
    expect(page.get_by_label("CDD / Stagiaire / intérim")).to_be_visible()
    axe(page)
    no_sideways_scroll(page)
    page.go_back()
    page.get_by_role("link", name="Postuler pour le salarié").click()
    expect(page.get_by_role("button", name=f"Postuler à {offer.title}")).to_be_visible()
    axe(page)
    no_sideways_scroll(page)

    sign_in(page, base, identity.user.email)
    page.goto(base + "/candidatures/")
    expect(page.get_by_text("désigné par votre entreprise (points entreprise)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"1er sur 2"))).to_be_visible()
    axe(page)
    page.goto(base + "/compte/qui-a-consulte-ma-demande/")
    expect(page.get_by_text("Fiche du salarié").first).to_be_visible()
    axe(page)
    no_sideways_scroll(page)
