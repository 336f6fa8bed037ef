"""A request is linked to a company by the SIRET of either applicant (issue 17): the
co-applicant's employer is read from "Demandeur 2" as confirmed on the mini-form
(``CoApplicant``), the one source of truth; HR reads its own employee's identity."""

import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import User
from demandes.models import Demande
from entreprises.models import Company
from tests.accounts.factories import UserFactory
from tests.demandes.factories import registry_record

pytestmark = pytest.mark.django_db
NUMBER = "0080321000486G1U21"


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(response.content.decode())).split())


@pytest.fixture
def marie_was_employed():
    """Whether the registry knows Marie's employer (the company's SIRET)."""
    return False


@pytest.fixture
def paul(
    client, place, company, marie_was_employed, mailoutbox, django_capture_on_commit_callbacks
):
    """Paul imports the request he filed with Marie; on the national site Marie had no
    employer yet (no SIRET in the registry's ``codemandeur``), unless told otherwise."""
    registry_record(
        number=NUMBER,
        email="famille.nguyen@yopmail.com",
        demandeur={
            "civilite": "M",
            "nom_naissance": "NGUYEN",
            "prenom": "Paul",
            "date_naissance": "1990-06-10",
        },
        codemandeur={
            "civilite": "MME",
            "nom_naissance": "TRAN",
            "nom_usage": "NGUYEN",
            "prenom": "Marie",
            "date_naissance": "1991-03-02",
            "lien": "conjointe",
            "situation_professionnelle": "cdi" if marie_was_employed else "chomage",
            "siret_employeur": company.establishments.get().siret if marie_was_employed else "",
        },
        situation_professionnelle="chomage",
        siret_employeur="",
        communes_souhaitees=[place.insee_code],
    )
    user = UserFactory(email="paul@example.org", first_name="Paul", last_name="Nguyen")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/demande/importer/", {"number": NUMBER})
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    client.post("/demande/code/", {"code": code})
    return user


def mini_form(siret, code=""):
    """Marie, now hired by the company, gives its SIRET as printed on her payslip."""
    return {
        "civility": User.Civility.MONSIEUR,
        "usage_name": "NGUYEN",
        "email": "famille.nguyen@yopmail.com",
        "mobile_phone": "06 12 34 56 78",
        "landline_phone": "",
        "professional_situation": "chomage",
        "siret": "",
        "company_code": "",
        "data_sharing": "2",
        "demandeur2-civility": User.Civility.MADAME,
        "demandeur2-usage_name": "NGUYEN",
        "demandeur2-email": "marie.nguyen@yopmail.com",
        "demandeur2-mobile_phone": "06 98 76 54 32",
        "demandeur2-landline_phone": "",
        "demandeur2-professional_situation": "cdi",
        "demandeur2-siret": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}",
        "demandeur2-company_code": code,
    }


def test_the_co_applicants_siret_on_the_mini_form_links_the_request_to_her_company(
    client, paul, hr, company
):
    siret = company.establishments.get().siret
    response = client.post("/demande/informations/", mini_form(siret))
    assert response.status_code == 302, text(response)
    demande = Demande.objects.get(user=paul)
    assert demande.coapplicant.siret == siret

    # Paul sees the company the request is linked to...
    assert f"Entreprise de rattachement : {company.name}" in text(client.get("/ma-situation/"))
    # ... and its HR member sees its employee, Marie (choice 2: birth name, first name
    # and birth date), not Paul, whom the company does not employ.
    client.force_login(hr.user)
    listing = text(client.get(reverse("entreprises:home")))
    assert "TRAN" in listing and "Marie" in listing and "02/03/1991" in listing
    assert "Paul" not in listing and "10/06/1990" not in listing
    detail = text(client.get(reverse("entreprises:employee", args=[demande.pk])))
    assert "Nom de naissance TRAN" in detail and "Prénom Marie" in detail
    assert "Paul" not in detail

    # The company defines a Code Entreprise: Marie's own code then links the request.
    Company.objects.filter(pk=company.pk).update(code="ACME")
    assert "TRAN" not in text(client.get(reverse("entreprises:home")))
    client.force_login(paul)
    response = client.post("/demande/informations/", mini_form(siret, code="ACME"))
    assert response.status_code == 302, text(response)
    client.force_login(hr.user)
    assert "TRAN" in text(client.get(reverse("entreprises:home")))


@pytest.mark.parametrize("marie_was_employed", [True])
def test_a_siret_the_co_applicant_removed_no_longer_links_the_request(client, paul, hr, company):
    """Marie left the company: she removes its SIRET on the mini-form; the registry's
    copy still names it until she updates the national site."""
    siret = company.establishments.get().siret
    assert Demande.objects.get(user=paul).co_applicant["siret_employeur"] == siret
    response = client.post(
        "/demande/informations/",
        {
            **mini_form(siret),
            "demandeur2-siret": "",
            "demandeur2-professional_situation": "chomage",
        },
    )
    assert response.status_code == 302, text(response)
    assert Demande.objects.get(user=paul).coapplicant.siret == ""
    assert f"Entreprise de rattachement : {company.name}" not in text(client.get("/ma-situation/"))
    client.force_login(hr.user)
    assert "TRAN" not in text(client.get(reverse("entreprises:home")))
