"""The request as the registry knows it, in a real browser (issue 13): a couple imports
its request, confirms both applicants on the mini-form, applies, and the landlord's PDF
names both; an expired request is refused with the renewal message; the three tabs fit
a 360 px screen."""

import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Candidature
from candidatures.workflow import Role
from demandes.models import CoApplicant
from tests.accounts.factories import PASSWORD, AdvisorFactory, UserFactory
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COUPLE = "0930325000101G1U21"


def sign_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Je me connecte").click()


def test_a_couple_imports_its_request_and_confirms_demandeur_2(live_server, page, axe, ceilings):
    base = live_server.url
    place = CommuneFactory()
    young = timezone.localdate().year - 26
    registry_record(
        number=COUPLE,
        email="famille.nguyen@yopmail.com",
        demandeur={
            "civilite": "M",
            "nom_naissance": "NGUYEN",
            "prenom": "Paul",
            "date_naissance": f"{young}-06-10",
            "telephone_portable": "0612345678",
        },
        codemandeur={
            "civilite": "MME",
            "nom_naissance": "TRAN",
            "nom_usage": "NGUYEN",
            "prenom": "Marie",
            "date_naissance": f"{young + 1}-03-02",
            "lien": "conjointe",
            "email": "marie.nguyen@yopmail.com",
            "situation_professionnelle": "cdi",
            "entreprise_10_salaries_et_plus": True,
        },
        situation_professionnelle="chomage",
        siret_employeur="",
        entreprise_10_salaries_et_plus=False,
        communes_souhaitees=[place.insee_code],
        typologies_souhaitees=["T2", "T3"],
        revenu_fiscal_reference=23000,
        ressources_mensuelles=3000,
        date_renouvellement=(timezone.localdate() - timedelta(days=60)).isoformat(),
    )
    offer = OfferFactory(commune=place, rent=Decimal("450"))
    paul = UserFactory(email="paul@example.org", first_name="Paul", last_name="Nguyen")
    mail.outbox.clear()

    sign_in(page, base, paul.email)
    # First sign-in without a request: the import panel.
    expect(page.get_by_text("J'ai déjà un numéro NUR-NUD")).to_be_visible()
    page.get_by_role("link", name="Oui").click()
    page.get_by_label("Numéro NUD/NUR").fill(COUPLE)
    page.get_by_role("button", name="Accéder à ma demande").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Mon code d'accès").fill(code)
    page.get_by_role("button", name="OK").click()

    expect(
        page.get_by_role("heading", name="Saisie de vos informations demandeur(s)")
    ).to_be_visible()
    expect(page.get_by_text("② Demandeur 2")).to_be_visible()
    axe(page)
    second = page.locator("fieldset", has_text="② Demandeur 2")
    expect(second.get_by_label("Email")).to_have_value("marie.nguyen@yopmail.com")
    expect(second.get_by_label("Madame")).to_be_checked()  # prefilled from the registry
    second.get_by_label("SIRET").fill("732 829 320 00074")  # as printed on the payslip
    second.get_by_label("Téléphone portable").fill("12")
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_text("Saisissez un numéro de téléphone valide (par exemple 06 12 34 56 78).")
    ).to_be_visible()
    page.locator("fieldset", has_text="② Demandeur 2").get_by_label("Téléphone portable").fill(
        "06 98 76 54 32"
    )
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Pièces justificatives")).to_be_visible()
    page.get_by_label("Je confirme avoir déposé").check()
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", name="Ma situation")).to_be_visible()
    expect(page.get_by_text("Madame Marie NGUYEN (née TRAN)")).to_be_visible()
    expect(page.get_by_text("Co-demandeur (conjointe)")).to_be_visible()
    expect(page.get_by_text(re.compile("une catégorie de plus pour jeune ménage"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"N° ALS : \d{10}"))).to_be_visible()
    axe(page)
    assert CoApplicant.objects.get().siret == "73282932000074"

    # The couple applies; Action Logement validates and forwards (the advisor's journey
    # has its own test); the landlord's file and its PDF name both applicants.
    page.goto(f"{base}/offres/{offer.pk}/")
    page.get_by_role("link", name="Je postule").click()
    page.get_by_role("button", name="Je confirme ma candidature").click()
    expect(page.get_by_text("Ce logement a bien été ajouté à vos candidatures")).to_be_visible()
    candidature = Candidature.objects.get(applicant=paul)
    advisor = AdvisorFactory()
    services.transition(candidature, "validate", actor=advisor, role=Role.ADVISOR)
    services.forward_best(offer=offer, actor=advisor, candidatures=[candidature])
    sign_in(page, base, LandlordMembershipFactory(landlord=offer.landlord).user.email)
    page.goto(f"{base}/bailleur/candidatures/{candidature.pk}/")
    expect(page.get_by_text("Monsieur Paul NGUYEN et Madame Marie NGUYEN")).to_be_visible()
    axe(page)
    response = page.request.get(f"{base}/bailleur/candidatures/{candidature.pk}/dossier.pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    pdf = " ".join(pdf.split())  # no-break spaces too
    assert f"Demandeur 1 Monsieur Paul NGUYEN, né le 10/06/{young}" in pdf
    assert f"Demandeur 2 Madame Marie NGUYEN (née TRAN), née le 02/03/{young + 1}" in pdf
    assert "Marie NGUYEN — Co-demandeur (conjointe)" in pdf
    assert "jeune ménage" in pdf  # the category and why
    assert "Contact Paul Nguyen (titulaire du compte AL'in)" in pdf


def test_an_expired_request_is_refused_with_the_renewal_message(live_server, page, axe, ceilings):
    base = live_server.url
    place = CommuneFactory()
    offer = OfferFactory(commune=place)
    renewed = timezone.localdate() - timezone.timedelta(days=430)
    demande = DemandeFactory(
        communes=[place],
        renewed_on=renewed,
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    sign_in(page, base, demande.user.email)
    page.goto(base + "/ma-situation/")
    expect(page.get_by_text(re.compile("n'est plus valable depuis le"))).to_be_visible()
    expect(page.get_by_role("link", name="demande-logement-social.gouv.fr").first).to_be_visible()
    axe(page)
    page.goto(f"{base}/offres/{offer.pk}/")
    expect(
        page.get_by_text(re.compile("elle n'a pas été renouvelée et ne permet plus de postuler"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="Je postule")).to_have_count(0)
    axe(page)


def test_the_three_tabs_fit_a_360_px_screen(live_server, page, viewport):
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    sign_in(page, live_server.url, demande.user.email)
    page.goto(live_server.url + "/ma-situation/")
    width = page.viewport_size["width"]
    for name in ("Ma situation", "Les offres", "Mes candidatures"):
        tab = page.locator(".tabs-bar").get_by_role("link", name=name, exact=True)
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box, width)
