"""The portal in a real browser, at 360 and 1280 px: the applicant's journey from the
account to the candidature, the advisor in the admin, the landlord, and the applicant
following each step. Every visited page is checked with axe-core."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from candidatures.models import Candidature
from candidatures.workflow import Status
from offres.models import Offer
from tests.accounts.factories import AdvisorFactory, totp_code
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NUMBER = "1110520020171G1175"
PASSWORD = "Logement2026"


def last_mail_link():
    return re.search(r"http://\S+", mail.outbox[-1].body).group(0).split("8000", 1)[1]


def last_code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


@pytest.fixture
def world(ceilings):
    place = CommuneFactory()
    aubervilliers = CommuneFactory(insee_code="93001", name="Aubervilliers", postal_code="93300")
    registry_record(
        number=NUMBER, email="jean.dupont@yopmail.com", communes_souhaitees=["93070", "93001"]
    )
    offers = [
        OfferFactory(title="T2 lumineux", commune=place, rent=Decimal("450")),
        OfferFactory(
            title="T1 calme",
            typology=1,
            surface=Decimal("28"),
            commune=aubervilliers,
            rent=Decimal("380"),
        ),
        OfferFactory(title="T2 rénové", commune=aubervilliers, rent=Decimal("520")),
    ]
    return {"offers": offers}


def test_an_applicant_goes_from_sign_up_to_a_candidature(live_server, page, axe, world):
    base = live_server.url
    mail.outbox.clear()
    page.goto(base)
    axe(page)
    page.get_by_role("link", name="Se connecter").first.click()
    axe(page)
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("Monsieur").check()
    page.get_by_label("Nom de naissance").fill("Dupont")
    page.get_by_label("Prénom").fill("Jean")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    page.get_by_label("Email").fill("jean@example.org")
    axe(page)
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_label("J'ai compris et j'accepte").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Validation du compte")).to_be_visible()
    axe(page)

    page.goto(base + last_mail_link())
    expect(page.get_by_text("Valider votre email")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="» Cliquez ici").click()
    expect(page.get_by_role("heading", name="Mise à jour du mot de passe")).to_be_visible()
    page.get_by_label("Nouveau mot de passe").fill("court")
    page.get_by_label("Confirmation du mot de passe").fill("court")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("au moins 8 caractères").first).to_be_visible()
    expect(page.get_by_text("au moins 1 chiffre").first).to_be_visible()
    axe(page)
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Votre compte a été créé.")).to_be_visible()
    page.get_by_role("link", name="Revenir à l'application").click()
    page.get_by_label("Email").fill("jean@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Je me connecte").click()

    page.goto(base + "/demande/importer/")
    axe(page)
    page.get_by_role("link", name="Oui").click()
    page.get_by_label("Numéro NUD/NUR").fill(NUMBER.lower())
    page.get_by_role("button", name="Accéder à ma demande").click()
    expect(
        page.get_by_text("L'email associé à votre demande est *****@yopmail.com")
    ).to_be_visible()
    axe(page)
    right = last_code()
    page.get_by_label("Mon code d'accès").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Code d'accès incorrect")).to_be_visible()
    page.get_by_label("Mon code d'accès").fill(right)
    page.get_by_role("button", name="OK").click()

    expect(
        page.get_by_role("heading", name="Saisie de vos informations demandeur(s)")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Monsieur").check()
    page.get_by_label("CDI", exact=True).check()
    page.get_by_label("SIRET").fill("73282932000074")
    page.get_by_label("Mon entreprise voit mes nom, prénom et date de naissance").check()
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Pièces justificatives")).to_be_visible()
    axe(page)
    page.get_by_label("Je confirme avoir déposé").check()
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", name="Ma situation")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Les offres").last.click()
    expect(page.get_by_text("3 résultats correspondant à votre recherche")).to_be_visible()
    axe(page)
    page.get_by_label("T1", exact=True).check()
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("1 résultat correspondant à votre recherche")).to_be_visible()
    page.get_by_label("T1", exact=True).uncheck()
    page.get_by_label("Trier par").select_option(label="Loyer croissant")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("3 résultats correspondant à votre recherche")).to_be_visible()
    results_url = page.url
    page.get_by_role("link", name=re.compile("Saint-Ouen-sur-Seine")).first.click()
    expect(page.get_by_role("heading", name="T2 lumineux")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="« Retour aux résultats").click()
    assert page.url.split("?")[1] == results_url.split("?")[1]

    page.get_by_role("link", name=re.compile("Saint-Ouen-sur-Seine")).first.click()
    page.get_by_role("link", name="Je postule").click()
    axe(page)
    page.get_by_role("button", name="Je confirme ma candidature").click()
    expect(page.get_by_text("Ce logement a bien été ajouté à vos candidatures")).to_be_visible()
    page.get_by_role("link", name="Ok").click()
    expect(
        page.get_by_text("Il y a actuellement 1 candidature déposée sur cette offre")
    ).to_be_visible()
    axe(page)

    other = world["offers"][2]
    page.goto(f"{base}/offres/{other.pk}/")
    expect(page.get_by_text("Vous ne pouvez avoir qu'une seule candidature active")).to_be_visible()
    page.goto(f"{base}/candidatures/")
    page.get_by_role("link", name="Annuler cette candidature").click()
    axe(page)
    page.get_by_role("button", name="Oui, annuler cette candidature").click()
    expect(page.get_by_text("Votre candidature a été annulée.")).to_be_visible()
    page.goto(f"{base}/offres/{other.pk}/")
    page.get_by_role("link", name="Je postule").click()
    page.get_by_role("button", name="Je confirme ma candidature").click()
    expect(page.get_by_text("Ce logement a bien été ajouté à vos candidatures")).to_be_visible()

    page.goto(f"{base}/offres/?lieu=93")
    page.get_by_role("button", name="Créer une alerte").click()
    expect(page.get_by_text("Votre alerte « 93 » est créée")).to_be_visible()
    assert Candidature.objects.active().get().offer == other


def test_the_advisor_validates_and_forwards_then_the_landlord_decides(
    live_server, page, axe, world, viewport
):
    base = live_server.url
    offer = world["offers"][0]
    demande = DemandeFactory(
        communes=[offer.commune],
        information_confirmed_at=timezone.now(),
        monthly_resources=Decimal("2400"),
    )
    from candidatures import services

    candidature = services.apply(user=demande.user, offer=offer, demande=demande)
    advisor = AdvisorFactory(email="conseil@example.org")
    page.goto(base + "/admin/")  # the portal's sign-in, then the second factor
    page.get_by_label("Email").fill(advisor.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    axe(page)
    page.get_by_label("Code").fill(totp_code(advisor.totp_secret))
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Espace conseiller")).to_be_visible()
    axe(page)  # the work queue
    # One click from the queue to the candidature's page, where the advisor decides.
    page.get_by_role("link", name=candidature.number).first.click()
    expect(page.get_by_role("heading", name="Décision")).to_be_visible()
    axe(page)
    # Invalider without a reason: the browser asks for one, then the server for details.
    page.get_by_role("button", name="Invalider").click()
    reason = page.get_by_label("Motif de l'invalidation")
    assert reason.evaluate("select => select.validity.valueMissing")
    reason.select_option(label="Autre motif")
    page.get_by_role("button", name="Invalider").click()
    expect(page.get_by_text("Candidature non invalidée : Précisez le motif")).to_be_visible()
    candidature.refresh_from_db()
    assert candidature.status == Status.SUBMITTED
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text(f"Candidature {candidature.number} validée.")).to_be_visible()
    expect(page.get_by_text("Transmises au bailleur pour cette offre : 0 sur 3")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Transmettre au bailleur").click()
    expect(page.get_by_text("1 candidature(s) transmise(s).")).to_be_visible()
    expect(page.get_by_text("Transmises au bailleur pour cette offre : 1 sur 3")).to_be_visible()
    candidature.refresh_from_db()
    assert candidature.status == Status.FORWARDED
    # The team's month, from the queue: this advisor's validation and forwarding.
    page.goto(base + "/admin/")
    page.get_by_role("link", name="Charge de travail de l'équipe").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Charge de travail de l'équipe"))
    ).to_be_visible()
    expect(
        page.get_by_role(
            "row", name=re.compile(re.escape(f"{advisor.first_name} {advisor.last_name} 1 0 1"))
        )
    ).to_be_visible()
    axe(page)

    staff = LandlordMembershipFactory(landlord=offer.landlord).user
    context = page.context
    context.clear_cookies()
    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    page.goto(base + "/bailleur/")
    axe(page)
    page.get_by_role("link", name="Créer une offre").click()
    axe(page)
    page.get_by_label(re.compile(r"^\s*Titre")).fill("T3 familial")
    page.get_by_label(re.compile(r"^\s*Typologie")).select_option(label="T3")
    page.get_by_label(re.compile(r"^\s*Surface\ \(m²\)")).fill("64")
    page.get_by_label(re.compile(r"^\s*Loyer\ hors\ charges\ \(€\)")).fill("610")
    page.get_by_label(re.compile(r"^\s*Charges\ \(€\)")).fill("80")
    page.get_by_label(re.compile(r"^\s*Financement")).select_option("PLUS")
    page.get_by_label(re.compile(r"^\s*Adresse")).fill("3 rue Pasteur")
    page.get_by_label(re.compile(r"^\s*Commune\ \(nom")).fill("93400")
    page.get_by_label(re.compile(r"^\s*Disponible\ dès\ le")).fill(
        str(timezone.localdate() + timezone.timedelta(days=40))
    )
    page.get_by_label(re.compile(r"^\s*Date\ limite\ de\ candidature")).fill(
        str(timezone.localdate() + timezone.timedelta(days=20))
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=re.compile("Photos de"))).to_be_visible()
    axe(page)
    from tests.offres.test_landlord_space import jpeg

    photo = jpeg()
    page.get_by_label("Photo (JPEG").set_input_files(
        {"name": "facade.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}
    )
    page.get_by_role("button", name="Ajouter la photo").click()
    expect(page.get_by_text("La photo a été ajoutée.")).to_be_visible()
    page.get_by_role("button", name="Publier l'offre").click()
    assert Offer.objects.get(title="T3 familial").status == Offer.Status.PUBLISHED

    page.goto(base + "/bailleur/candidatures/")
    axe(page)
    page.get_by_role("link", name=re.compile("Voir le dossier")).click()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le dossier (PDF)").click()
    assert download.value.suggested_filename == f"dossier-{candidature.number}.pdf"
    visited = timezone.localdate() - timezone.timedelta(days=2)  # the visit took place
    page.get_by_label(re.compile(r"^\s*Date\ et\ heure\ de\ la\ visite")).fill(f"{visited}T10:30")
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(page.get_by_text("La candidature a été mise à jour.")).to_be_visible()
    page.get_by_label("Attribution par ordre de priorité").check()
    page.get_by_label(re.compile(r"^\s*Rang")).fill("1")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Logement attribué").first).to_be_visible()

    context.clear_cookies()
    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(demande.user.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    page.goto(base + "/candidatures/")
    axe(page)
    expect(page.get_by_text("Validée par Action Logement").first).to_be_visible()
    expect(page.get_by_text("Transmise au bailleur").first).to_be_visible()
    expect(page.get_by_text("Visite programmée").first).to_be_visible()
    page.get_by_role("link", name=re.compile("^Notifications")).first.click()
    expect(
        page.get_by_text("La commission d'attribution (CALEOL) vous a attribué le logement.")
    ).to_be_visible()
    axe(page)


def test_filters_work_without_javascript(live_server, browser, world, viewport):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/offres/")
    page.get_by_label("Où voulez-vous habiter ?").fill("Aubervilliers (93300)")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("2 résultats correspondant à votre recherche")).to_be_visible()
    assert "lieu=Aubervilliers" in page.url
    context.close()


def test_the_main_actions_work_with_the_keyboard_alone(live_server, page, world):
    demande = DemandeFactory(
        communes=[world["offers"][0].commune],
        information_confirmed_at=timezone.now(),
        monthly_resources=Decimal("2400"),
    )
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type(demande.user.email)
    page.keyboard.press("Tab")
    page.keyboard.type("Motdepasse1")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/offres/{world['offers'][0].pk}/")
    apply_link = page.get_by_role("link", name="Je postule")
    for _ in range(60):
        page.keyboard.press("Tab")
        if apply_link.evaluate("el => el === document.activeElement"):
            break
    expect(apply_link).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Je confirme ma candidature").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ce logement a bien été ajouté à vos candidatures")).to_be_visible()
