"""Two applicants, one household (issue 13, §2): the registry's co-applicant on the
mini-form ("Demandeur 2"), on "Ma situation" and the advisor's page, the household with
each person's link and age, the category and why; company priority from either."""

import datetime
import re
from html import unescape

import pytest
import time_machine

from accounts.models import User
from demandes.models import CoApplicant, DataSharingChange, Demande
from tests.accounts.factories import UserFactory
from tests.demandes.factories import registry_data, registry_record
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db
NUMBER = "0080321000486G1U21"

MARIE = {
    "civilite": "MME",
    "nom_naissance": "TRAN",
    "nom_usage": "NGUYEN",
    "prenom": "Marie",
    "date_naissance": "2001-03-02",
    "handicap": False,
    "lien": "conjointe",
    "email": "marie.nguyen@yopmail.com",
    "telephone_portable": "0698765432",
    "situation_professionnelle": "cdi",
    "siret_employeur": "73282932000074",
    "entreprise_10_salaries_et_plus": True,
}
PAUL = {
    "civilite": "M",
    "nom_naissance": "NGUYEN",
    "nom_usage": "",
    "prenom": "Paul",
    "date_naissance": "2000-06-10",
    "handicap": False,
    "telephone_portable": "0612345678",
}


def text(response):
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def couple(client, mailoutbox, django_capture_on_commit_callbacks):
    """Paul imports the request he filed with Marie (young couple, Lyon), on 30/11/2026."""
    CommuneFactory()
    registry_record(
        number=NUMBER,
        email="famille.nguyen@yopmail.com",
        demandeur=PAUL,
        codemandeur=MARIE,
        situation_professionnelle="chomage",
        siret_employeur="",
        entreprise_10_salaries_et_plus=False,
        revenu_fiscal_reference=23000,
    )
    user = UserFactory(email="paul@example.org", last_name="NGUYEN", first_name="Paul")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/demande/importer/", {"number": NUMBER})
        code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
        client.post("/demande/code/", {"code": code, "confirm_identity": "on"})
    return Demande.objects.get(user=user)


def mini_form(**overrides):
    data = {
        "civility": User.Civility.MONSIEUR,
        "usage_name": "NGUYEN",
        "email": "famille.nguyen@yopmail.com",
        "mobile_phone": "06 12 34 56 78",
        "landline_phone": "",
        "professional_situation": "chomage",
        "siret": "",
        "company_code": "",
        "data_sharing": "1",
        "demandeur2-civility": User.Civility.MADAME,
        "demandeur2-usage_name": "NGUYEN",
        "demandeur2-email": "marie.nguyen@yopmail.com",
        "demandeur2-mobile_phone": "06 98 76 54 32",
        "demandeur2-landline_phone": "",
        "demandeur2-professional_situation": "cdi",
        "demandeur2-siret": "732 829 320 00074",
        "demandeur2-company_code": "",
    }
    data.update(overrides)
    return data


def test_the_co_applicant_of_the_registry_is_imported_as_demandeur_2(couple):
    co = couple.coapplicant
    assert (co.civility, co.first_name, co.birth_name, co.usage_name) == (
        User.Civility.MADAME,
        "Marie",
        "TRAN",
        "NGUYEN",
    )
    assert co.email == "marie.nguyen@yopmail.com" and co.siret == "73282932000074"
    assert str(co.mobile_phone) == "+33698765432"
    # Paul's civility and phone come from the registry too (prefilled on the mini-form).
    assert couple.civility == User.Civility.MONSIEUR and str(couple.mobile_phone) == "+33612345678"


def test_the_mini_form_has_a_prefilled_demandeur_2_block_with_the_same_rules(client, couple):
    page = text(client.get("/demande/informations/"))
    assert "① Demandeur 1 (obligatoire)" in page and "② Demandeur 2" in page
    html = client.get("/demande/informations/").content.decode()
    assert 'name="demandeur2-email" value="marie.nguyen@yopmail.com"' in html
    assert 'name="demandeur2-siret" value="73282932000074"' in html
    assert re.search(
        rf'value="{User.Civility.MADAME}"[^>]*checked|checked[^>]*value="{User.Civility.MADAME}"',
        html,
    )

    refused = text(
        client.post(
            "/demande/informations/",
            mini_form(**{"demandeur2-mobile_phone": "12", "demandeur2-professional_situation": ""}),
        )
    )
    assert "Saisissez un numéro de téléphone valide (par exemple 06 12 34 56 78)." in refused
    assert "Indiquez la situation professionnelle." in refused
    couple.refresh_from_db()
    assert couple.information_confirmed_at is None  # nothing saved

    response = client.post(
        "/demande/informations/",
        mini_form(**{"demandeur2-email": "marie.pro@example.org"}),
    )
    assert response.status_code == 302
    co = CoApplicant.objects.get(demande=couple)
    assert co.email == "marie.pro@example.org"
    assert co.siret == "73282932000074"  # typed with spaces, as on the payslip
    assert co.professional_situation == Demande.ProfessionalSituation.CDI


def test_ma_situation_shows_both_applicants_the_household_and_why_its_category(client, couple):
    client.post("/demande/informations/", mini_form())
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)):
        client.force_login(couple.user)
        page = text(client.get("/ma-situation/"))
    assert "Demandeur 1 Monsieur Paul NGUYEN, 26 ans — Demandeur d'emploi" in page
    assert (
        "Demandeur 2 Madame Marie NGUYEN (née TRAN), 25 ans — CDI, entreprise de 10 salariés"
        in page
    )
    assert "Paul NGUYEN — Demandeur, 26 ans" in page
    assert "Marie NGUYEN — Co-demandeur (conjointe), 25 ans" in page
    assert "Léa — Enfant" not in page  # no child in this record
    assert (
        "Catégorie 3 : 2 personnes, une catégorie de plus pour jeune ménage (couple sans "
        "personne à charge dont les âges font 51 ans, 55 ans au plus)." in page
    )
    # Company priority from Demandeur 2 and said so.
    assert (
        "Salarié d'une entreprise de 10 salariés et plus (demandeur 2 (Madame Marie NGUYEN) "
        "est salarié(e) d'une entreprise de 10 salariés et plus)." in page
    )


def test_company_priority_holds_when_only_the_co_applicant_qualifies(couple):
    assert couple.company_priority is True
    assert couple.applicant_company_priority is False
    assert [a.label for a in couple.company_priority_holders] == ["Demandeur 2"]


def test_display_helpers_other_pages_use(couple):
    assert couple.applicants_names == "Monsieur Paul NGUYEN et Madame Marie NGUYEN"
    assert [(p.name, p.link) for p in couple.household] == [
        ("Paul NGUYEN", "Demandeur"),
        ("Marie NGUYEN", "Co-demandeur (conjointe)"),
    ]
    assert couple.contact_emails == ["famille.nguyen@yopmail.com", "paul@example.org"]


def test_the_advisor_sees_both_applicants_on_the_request_page(client, couple):
    from tests.accounts.factories import AdvisorFactory, staff_login

    staff_login(client, AdvisorFactory())
    page = text(client.get(f"/admin/demandes/demande/{couple.pk}/change/"))
    assert "Madame Marie NGUYEN" in page and "Monsieur Paul NGUYEN" in page
    assert "Co-demandeur (conjointe)" in page
    assert "jeune ménage" in page


def test_an_update_keeps_demandeur_2_as_declared_and_follows_the_registry_otherwise(client, couple):
    client.post("/demande/informations/", mini_form(**{"demandeur2-email": "m@example.org"}))
    client.post("/demande/mettre-a-jour/")
    assert CoApplicant.objects.get(demande=couple).email == "m@example.org"
    from demandes.models import RegistryRecord

    stored = RegistryRecord.objects.get(number=NUMBER)
    stored.data = {**stored.data, "codemandeur": None}
    stored.save()
    client.post("/demande/mettre-a-jour/")
    assert not CoApplicant.objects.filter(demande=couple).exists()
    couple.refresh_from_db()
    assert couple.household_size == 1


def test_a_single_applicant_has_no_demandeur_2_block(client):
    CommuneFactory()
    from demandes.services import _create_demande

    user = UserFactory()
    demande = _create_demande(user, registry_data())
    client.force_login(user)
    page = text(client.get("/demande/informations/"))
    assert "Demandeur 2" not in page
    assert demande.category_reason == "Catégorie 1 : 1 personne."


def test_the_import_default_is_recorded_as_par_defaut(client, couple):
    [first] = DataSharingChange.objects.filter(demande=couple)
    assert first.by_default is True
    client.post("/demande/informations/", mini_form(data_sharing="2"))
    page = text(client.get("/demande/informations/"))
    history = page[page.index("Historique de mes choix") :]
    assert "Je souhaite rester anonyme (par défaut, à l'import de votre demande)" in history
    assert "Mon entreprise voit mes nom, prénom et date de naissance" in history
    assert history.count("par défaut") == 1
