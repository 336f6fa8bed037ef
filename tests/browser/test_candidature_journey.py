"""One candidature followed from "Je postule" to "Entrée dans les lieux" in a real
browser: at each step the applicant's tracker, the email caught by a real SMTP server
and the text of the landlord's PDF tell the same story (issue 14)."""

import datetime
import re
from decimal import Decimal
from email.header import decode_header, make_header
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Candidature
from candidatures.workflow import Role, Status
from tests.accounts.factories import AdvisorFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordFactory, LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def flat(value):
    return re.sub(r"\s+", " ", value.translate(SPACES))


def plain(message):
    """The text part of an email as received by the SMTP server."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return flat(part.get_payload(decode=True).decode(part.get_content_charset()))
    return ""


def subject(message):
    return flat(str(make_header(decode_header(message["Subject"]))))


def login(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()


def tracker(page, base):
    page.goto(base + "/candidatures/")
    steps = page.get_by_role("list", name="Étapes de la candidature").first
    return flat(steps.inner_text())


def pdf_text(page, base, pk):
    response = page.request.get(f"{base}/bailleur/candidatures/{pk}/dossier.pdf")
    assert response.headers["content-type"] == "application/pdf"
    return flat(" ".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages))


def test_one_candidature_from_je_postule_to_the_keys(live_server, browser, smtp_sink, ceilings):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    landlord = LandlordFactory(name="Plaine Commune Habitat", contact_phone="0148123456")
    staff = LandlordMembershipFactory(landlord=landlord).user
    commune = CommuneFactory()
    offer = OfferFactory(
        landlord=landlord,
        commune=commune,
        address="3 rue Pasteur",
        rent=Decimal("610"),
        charges=Decimal("80"),
    )
    demande = DemandeFactory(
        communes=[commune],
        information_confirmed_at=timezone.now(),
        monthly_resources=Decimal("2400"),
        housing_allowance=Decimal("150"),
        fiscal_income=21000,
        mobile_phone="+33612345678",
    )
    applicant = demande.user
    mails = lambda: [m for m in smtp_sink if m["To"] == applicant.email]  # noqa: E731

    # 1. Je postule.
    login(page, base, applicant.email)
    page.goto(f"{base}/offres/{offer.pk}/")
    page.get_by_role("link", name="Je postule").click()
    page.get_by_role("button", name="Je confirme ma candidature").click()
    expect(page.get_by_text("Ce logement a bien été ajouté à vos candidatures")).to_be_visible()
    assert "1 Je postule (étape franchie) 2 Validations (étape en cours)" in tracker(page, base)
    assert "Vous avez postulé sur ce logement." in plain(mails()[-1])
    candidature = Candidature.objects.get(applicant=applicant)

    # 2. Action Logement validates and forwards (the admin journey has its own test).
    advisor = AdvisorFactory()
    services.transition(candidature, "validate", actor=advisor, role=Role.ADVISOR)
    services.forward_best(offer=offer, actor=advisor, candidatures=[candidature])
    assert "3 Envoi bailleur (étape franchie) 4 Visite (étape en cours)" in tracker(page, base)
    assert "Votre dossier a été transmis au bailleur." in plain(mails()[-1])

    # 3. The landlord reads the file and plans a visit.
    login(page, base, staff.email)
    page.goto(f"{base}/bailleur/candidatures/{candidature.pk}/")
    file = flat(page.locator("main").inner_text())
    assert "06 12 34 56 78" in file and "21 000 €" in file
    # (610 + 80 − 150) ÷ 2 400 = 22,5 %
    assert "Taux d'effort\t22,5 %" in page.locator("main").inner_text().translate(SPACES) or (
        "Taux d'effort 22,5 %" in file
    )
    text = pdf_text(page, base, candidature.pk)
    assert "Taux d'effort 22,5 %" in text and "Plaine Commune Habitat" in text
    assert "Dossier transmis par Action Logement." in text
    planned = timezone.localtime() + datetime.timedelta(days=2)
    page.get_by_label(re.compile(r"^\s*Date et heure de la visite")).fill(
        planned.strftime("%Y-%m-%dT10:00")
    )
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(page.get_by_text("La candidature a été mise à jour.")).to_be_visible()
    login(page, base, applicant.email)
    assert f"4 Visite (Visite prévue le {planned:%d/%m/%Y} à 10h00) (étape en cours)" in tracker(
        page, base
    )
    visit_mail = plain(mails()[-1])
    assert f"Visite prévue le {planned:%d/%m/%Y} à 10h00" in visit_mail
    assert "Adresse : 3 rue Pasteur" in visit_mail and "01 48 12 34 56" in visit_mail

    # 4. The visit is brought forward to yesterday: one "Visite reprogrammée" email.
    login(page, base, staff.email)
    page.goto(f"{base}/bailleur/candidatures/{candidature.pk}/")
    done = timezone.localtime() - datetime.timedelta(days=1)
    page.get_by_label(re.compile(r"^\s*Date et heure de la visite")).fill(
        done.strftime("%Y-%m-%dT17:30")
    )
    page.get_by_role("button", name="Reprogrammer la visite").click()
    expect(page.get_by_text("La candidature a été mise à jour.")).to_be_visible()
    assert "Visite reprogrammée" in plain(mails()[-1])
    assert subject(mails()[-1]).startswith("AL'in : visite reprogrammée au")

    # 5. The CALEOL attributes the dwelling (order of priority, rank 1).
    page.get_by_label("Attribution par ordre de priorité").check()
    page.get_by_label(re.compile(r"^\s*Rang")).fill("1")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La candidature a été mise à jour.")).to_be_visible()
    candidature.refresh_from_db()
    deadline = f"{candidature.answer_by:%d/%m/%Y}"
    proposal = plain(mails()[-1])
    assert f"répondez avant le {deadline} inclus ; sans réponse, la proposition sera " in proposal
    assert "Attribution par ordre de priorité" in pdf_text(page, base, candidature.pk)
    login(page, base, applicant.email)
    steps = tracker(page, base)
    assert f"4 Visite (Visite effectuée le {done:%d/%m/%Y}) (étape franchie)" in steps
    assert "5 Commission logement" in steps and "(étape franchie) 6" in steps
    assert f"répondez avant le {deadline} inclus" in flat(page.locator("main").inner_text())

    # 6. Accepting asks for confirmation first.
    page.get_by_role("link", name="J'accepte ce logement").click()
    expect(page.get_by_text("Accepter ce logement est une décision définitive.")).to_be_visible()
    page.get_by_role("button", name="Oui, j'accepte ce logement").click()
    expect(page.get_by_text("Vous avez accepté le logement.")).to_be_visible()
    assert "le bailleur va organiser la signature du bail" in plain(mails()[-1])

    # 7. The lease is signed: the six steps are done, "Ma situation" says housed.
    login(page, base, staff.email)
    page.goto(f"{base}/bailleur/candidatures/{candidature.pk}/")
    expect(page.get_by_text("la date ne peut pas être dans le futur")).to_be_visible()
    page.get_by_role("button", name="Bail signé : entrée dans les lieux").click()
    expect(page.get_by_text("La candidature a été mise à jour.")).to_be_visible()
    assert "Bail signé : entrée dans les lieux." in pdf_text(page, base, candidature.pk)
    login(page, base, applicant.email)
    assert tracker(page, base).count("(étape franchie)") == 6
    assert "Bail signé : bienvenue chez vous !" in plain(mails()[-1])
    page.goto(base + "/ma-situation/")
    expect(page.get_by_text(re.compile("Vous êtes logé\\(e\\) : bail signé le"))).to_be_visible()
    candidature.refresh_from_db()
    assert candidature.status == Status.MOVED_IN
    context.close()
