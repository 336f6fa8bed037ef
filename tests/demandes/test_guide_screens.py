"""The guide's remaining screens and small frictions (issue 13, §4)."""

import json
import re
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from demandes.models import AlsNumber, Demande
from demandes.services import assign_als_number
from tests.accounts.factories import PASSWORD, UserFactory
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db
LEGACY = "0930321000486G1U21"


def text(response):
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Requests created on AL'in before 20/04/21 ------------------------------------------


@pytest.fixture
def legacy(tmp_path):
    """Alexandre's request, created on AL'in in 2020, loaded by the documented command."""
    CommuneFactory()
    registry_record(
        number=LEGACY,
        email="alex.dib@yopmail.com",
        demandeur={
            "civilite": "M",
            "nom_naissance": "DI BIASE",
            "prenom": "Alexandre",
            "date_naissance": "1988-02-03",
        },
        revenu_fiscal_reference=15000,
    )
    alex = UserFactory(email="alex@example.org", first_name="Alexandre", last_name="DI BIASE")
    UserFactory(email="landlord@example.org", role=User.Role.LANDLORD)
    path = tmp_path / "historiques.json"
    path.write_text(
        json.dumps(
            [
                {"email_compte": "alex@example.org", "numero": LEGACY, "cree_le": "2020-06-06"},
                {"email_compte": "nobody@example.org", "numero": LEGACY, "cree_le": "2020-06-06"},
                {"email_compte": "alex@example.org", "numero": LEGACY, "cree_le": "2021-05-01"},
                {"email_compte": "landlord@example.org", "numero": LEGACY, "cree_le": "2020-01-01"},
            ]
        ),
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("import_demandes_historiques", str(path), stdout=out, stderr=err)
    assert "4 enregistrement(s) lu(s) : 1 demande(s) rattachée(s), 3 refusé(s)." in out.getvalue()
    assert "aucun compte AL'in pour l'email nobody@example.org" in err.getvalue()
    assert "pas avant le 20/04/2021" in err.getvalue()
    assert "n'est pas un compte demandeur" in err.getvalue()
    return alex


def test_a_legacy_request_is_validated_with_a_code_once_then_updates_are_one_click(
    client, legacy, mailoutbox, django_capture_on_commit_callbacks
):
    demande = Demande.objects.get(user=legacy)
    assert demande.needs_code_validation and demande.legacy_created_on.year == 2020
    client.force_login(legacy)
    response = client.post("/demande/mettre-a-jour/")
    assert response.url == "/demande/valider/"
    page = text(client.get("/demande/valider/"))
    assert "créée sur AL'in avant le 20/04/21" in page and "Confirmer" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/demande/valider/", {"action": "confirm"})
    [first] = mailoutbox
    assert first.to == ["alex.dib@yopmail.com"]  # the registry's address
    page = text(client.get("/demande/valider/"))
    assert "Saisir ma demande" in page and "(*****@yopmail.com)" in page
    wrong = text(client.post("/demande/valider/", {"action": "code", "code": "000000"}))
    assert "Code d'accès incorrect" in wrong or "Il vous reste" in wrong

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/demande/valider/", {"action": "resend"})  # "Saisir ma demande"
    assert len(mailoutbox) == 2
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    done = text(client.post("/demande/valider/", {"action": "code", "code": code}, follow=True))
    assert "Votre Numéro Unique est validé et votre demande mise à jour" in done
    demande.refresh_from_db()
    assert not demande.needs_code_validation

    again = text(client.post("/demande/mettre-a-jour/", follow=True))
    assert "Votre demande a été mise à jour." in again  # one click now
    assert client.get("/demande/valider/").url == "/ma-situation/"


# First sign-in --------------------------------------------------------------------------


def test_after_signing_in_an_applicant_without_a_request_lands_on_the_import_panel():
    user = UserFactory()
    browser = Client()
    response = browser.post(
        "/compte/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/demande/importer/"
    assert "J'ai déjà un numéro NUR-NUD" in text(response)

    with_request = DemandeFactory(information_confirmed_at=timezone.now()).user
    browser = Client()
    response = browser.post("/compte/login/", {"login": with_request.email, "password": PASSWORD})
    assert browser.get(response.url).url == "/"


# N° ALS ----------------------------------------------------------------------------------


def test_the_als_number_is_shown_beside_the_numero_unique_and_assigned_once(client, ceilings):
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    number = assign_als_number(demande.user)
    assert re.fullmatch(r"\d{10}", number)
    assert assign_als_number(demande.user) == number  # once
    other = assign_als_number(UserFactory())
    assert other != number and AlsNumber.objects.count() == 2
    client.force_login(demande.user)
    for url in ("/ma-situation/", "/offres/"):
        assert f"N° ALS : {number} Numéro unique : {demande.number}" in text(client.get(url))


# No offer: the ways out --------------------------------------------------------------------


def test_without_an_offer_the_applicant_is_shown_the_ways_out(client, ceilings):
    place = CommuneFactory()
    demande = DemandeFactory(
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
    )
    client.force_login(demande.user)
    for url in ("/ma-situation/", "/offres/"):
        response = client.get(url)
        page = text(response)
        assert "A ce jour nous n'avons pas d'offre adaptée à votre situation" in page, url
        assert "Mettre à jour ma demande" in page
        assert (
            'href="https://www.demande-logement-social.gouv.fr/index"' in response.content.decode()
        )

    OfferFactory(commune=place, typology=2)
    filtered = text(client.get("/offres/?typologie=1"))
    assert "ce sont vos filtres qui ont vidé la liste" in filtered
    assert "Réinitialiser tous les critères" in filtered
    assert "A ce jour nous n'avons pas d'offre adaptée" not in filtered


# Forms: SIRET, phones, civility ----------------------------------------------------------


def test_the_mini_form_takes_a_siret_as_printed_and_says_a_mobile_example(client):
    demande = DemandeFactory(siret="", civility="")
    client.force_login(demande.user)
    html = client.get("/demande/informations/").content.decode()
    siret_input = re.search(r'<input[^>]*name="siret"[^>]*>', html).group(0)
    assert 'maxlength="14"' not in siret_input
    form = {
        "civility": User.Civility.MADAME,
        "usage_name": "DUPONT",
        "email": "jean@example.org",
        "mobile_phone": "12",
        "professional_situation": "cdi",
        "siret": "732 829 320 00074",
        "data_sharing": "1",
    }
    refused = text(client.post("/demande/informations/", form))
    assert "Saisissez un numéro de téléphone valide (par exemple 06 12 34 56 78)." in refused
    client.post("/demande/informations/", {**form, "mobile_phone": "06 12 34 56 78"})
    demande.refresh_from_db()
    assert demande.siret == "73282932000074"


def test_civility_and_mobile_are_prefilled_from_the_account_when_the_registry_has_none(client):
    from demandes.services import _create_demande
    from tests.demandes.factories import registry_data

    CommuneFactory()
    user = UserFactory(civility=User.Civility.MADAME, mobile_phone="+33698765432")
    data = registry_data()
    data["demandeur"].pop("civilite")
    demande = _create_demande(user, data)
    assert demande.civility == User.Civility.MADAME and str(demande.mobile_phone) == "+33698765432"


# The code email ----------------------------------------------------------------------------


def test_the_code_email_carries_the_legal_footer(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    CommuneFactory()
    registry_record()
    client.force_login(UserFactory(first_name="Jean", last_name="Dupont"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/demande/importer/", {"number": "1110520020171G1175"})
    [mail] = mailoutbox
    assert "SAS au capital de 20.000.000 d'euros" in mail.body
    assert "ORIAS sous le numéro 17006232" in mail.body
    html = mail.alternatives[0][0]
    assert "Siège social : 19/21 quai d'Austerlitz" in html


# Error pages --------------------------------------------------------------------------------


def test_production_error_pages_are_french_and_in_the_portals_shell(settings):
    settings.DEBUG = False
    browser = Client(raise_request_exception=False)
    missing = browser.get("/offres/999999999/")
    assert missing.status_code == 404
    page = text(missing)
    assert "Page introuvable" in page and "Revenir à l'accueil" in page
    assert "Mentions légales" in page  # the shell's footer

    from django.test import RequestFactory

    from alin.errors import csrf_failure, server_error

    request = RequestFactory().get("/")
    request.user = UserFactory()
    request.session = {}
    error = server_error(request)
    assert error.status_code == 500
    assert "Une erreur est survenue" in error.content.decode()
    assert "Mentions légales" in error.content.decode()
    csrf = csrf_failure(request, reason="CSRF cookie not set.")
    assert csrf.status_code == 403
    assert "Votre formulaire a expiré" in unescape(csrf.content.decode())

    strict = Client(enforce_csrf_checks=True)
    refused = strict.post("/contact/", {"message": "Bonjour"})
    assert refused.status_code == 403
    assert "Votre formulaire a expiré" in unescape(refused.content.decode())

    bad = browser.get("/", headers={"host": "pirate.example"})
    assert bad.status_code == 400
    assert "Demande incorrecte" in text(bad)
