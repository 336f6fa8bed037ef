"""One identity everywhere (issue 13, §2 and §3), on the candidature's side: Claire
Martin's account imported the request Paul and Marie NGUYEN filed with their disabled
daughter. The landlord's file and its PDF, the advisor's pages and every email about
the candidature name the request's two applicants and the whole household (each person,
link, age), the category and why; Claire appears as the contact, never as the applicant."""

import datetime
import re
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Candidature
from candidatures.workflow import Role, Status
from core.models import OutgoingEmail
from demandes.models import Demande
from tests.accounts.factories import AdvisorFactory, UserFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import registry_record
from tests.offres.factories import LandlordFactory, LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db
NUMBER = "0080321000486G1U21"
TODAY = datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})

PAUL = {
    "civilite": "M",
    "nom_naissance": "NGUYEN",
    "nom_usage": "",
    "prenom": "Paul",
    "date_naissance": "1990-06-10",
    "handicap": False,
    "telephone_portable": "0612345678",
}
MARIE = {
    "civilite": "MME",
    "nom_naissance": "TRAN",
    "nom_usage": "NGUYEN",
    "prenom": "Marie",
    "date_naissance": "1991-03-02",
    "handicap": False,
    "lien": "conjointe",
    "email": "marie.nguyen@yopmail.com",
    "situation_professionnelle": "cdi",
    "siret_employeur": "73282932000074",
    "entreprise_10_salaries_et_plus": True,
}
LEA = {"prenom": "Léa", "nom_naissance": "NGUYEN", "lien": "enfant"}
LEA |= {"date_naissance": "2016-01-02", "handicap": True}

# What every reader of the file must find, in these words.
APPLICANTS = [
    "Demandeur 1 Monsieur Paul NGUYEN, né le 10/06/1990 (36 ans)",
    "Demandeur 2 Madame Marie NGUYEN (née TRAN), née le 02/03/1991 (35 ans)",
]
HOUSEHOLD = [
    "Paul NGUYEN — Demandeur, 36 ans",
    "Marie NGUYEN — Co-demandeur (conjointe), 35 ans",
    "Léa NGUYEN — Enfant, 10 ans, en situation de handicap",
    "Catégorie 4 : 3 personnes, une catégorie de plus pour une personne en situation de handicap.",
]


def text(response):
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).translate(SPACES).split())


def flat(value):
    return " ".join(value.translate(SPACES).split())


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def claire(client, mailoutbox, django_capture_on_commit_callbacks):
    """Claire Martin's account imports the NGUYEN family's request (confirming she is
    one of its applicants, as the import asks)."""
    CommuneFactory()
    registry_record(
        number=NUMBER,
        email="famille.nguyen@yopmail.com",
        demandeur=PAUL,
        codemandeur=MARIE,
        personnes_a_charge=[LEA],
        situation_professionnelle="chomage",
        siret_employeur="",
        entreprise_10_salaries_et_plus=False,
    )
    user = UserFactory(first_name="Claire", last_name="Martin", email="claire@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/demande/importer/", {"number": NUMBER})
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    client.post("/demande/code/", {"code": code, "confirm_identity": "on"})
    client.logout()
    mailoutbox.clear()
    return user


@pytest.fixture
def landlord():
    return LandlordFactory(name="Lyon Métropole Habitat")


def candidature_of(user, landlord, status):
    return CandidatureFactory(
        demande=Demande.objects.get(user=user),
        offer=OfferFactory(landlord=landlord, rent=Decimal("450")),
        status=status,
    )


@pytest.fixture
def candidature(claire, landlord):
    return candidature_of(claire, landlord, Status.FORWARDED)


def assert_names_the_family(content):
    for fact in APPLICANTS + HOUSEHOLD:
        assert fact in content, fact
    assert "Contact Claire Martin (titulaire du compte AL'in)" in content
    assert "Monsieur Claire" not in content and "Madame Claire" not in content


def test_the_landlords_file_and_its_pdf_name_both_applicants_and_the_household(
    client, landlord, candidature
):
    client.force_login(LandlordMembershipFactory(landlord=landlord).user)
    listing = text(client.get("/bailleur/candidatures/"))
    assert "Monsieur Paul NGUYEN et Madame Marie NGUYEN" in listing
    assert "Claire Martin" not in listing

    page = text(client.get(f"/bailleur/candidatures/{candidature.pk}/"))
    assert page.count("Monsieur Paul NGUYEN et Madame Marie NGUYEN") >= 1  # the title line
    assert_names_the_family(page)

    pdf = client.get(f"/bailleur/candidatures/{candidature.pk}/dossier.pdf")
    document = flat(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages))
    assert_names_the_family(document)


def test_the_advisors_candidature_pages_name_the_requests_applicants(client, claire, landlord):
    candidature = candidature_of(claire, landlord, Status.SUBMITTED)  # waits for an advisor
    staff_login(client, AdvisorFactory())
    page = text(client.get(f"/admin/candidatures/candidature/{candidature.pk}/change/"))
    assert_names_the_family(page)
    assert "SIRET 73282932000074" in page  # Marie's employer, confirmed from the registry
    listing = text(client.get("/admin/candidatures/candidature/"))
    assert "Monsieur Paul NGUYEN et Madame Marie NGUYEN" in listing
    assert "Claire Martin" not in listing
    found = text(client.get("/admin/candidatures/candidature/?q=TRAN"))  # Marie's birth name
    assert NUMBER in found
    queue = text(client.get("/admin/"))  # the work queue: waiting for validation
    assert f"{NUMBER} Monsieur Paul NGUYEN et Madame Marie NGUYEN" in queue
    assert "Claire Martin" not in queue


def test_every_email_about_the_candidature_names_the_applicants(
    claire, landlord, django_capture_on_commit_callbacks
):
    staff = LandlordMembershipFactory(landlord=landlord).user
    advisor = AdvisorFactory()
    candidature = candidature_of(claire, landlord, Status.VALIDATED)
    earlier = list(OutgoingEmail.objects.values_list("pk", flat=True))  # the access code
    with django_capture_on_commit_callbacks(execute=True):
        services.forward_best(offer=candidature.offer, actor=advisor, candidatures=[candidature])
        services.transition(
            candidature,
            "attribute_sole",
            actor=staff,
            role=Role.LANDLORD,
            committee_on=TODAY.date(),
        )
        services.transition(candidature, "decline", actor=claire, role=Role.APPLICANT)
    # A new candidature waits for validation for more than 2 working days.
    waiting = candidature_of(claire, landlord, Status.SUBMITTED)
    Candidature.objects.filter(pk=waiting.pk).update(applied_at=TODAY - datetime.timedelta(7))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_advisors() == 1

    sent = list(OutgoingEmail.objects.exclude(pk__in=earlier).order_by("pk"))
    to = {
        "landlord": [e for e in sent if e.to == landlord.contact_email],
        "advisor": [e for e in sent if e.to == advisor.email],
        "request contact": [e for e in sent if e.to == "famille.nguyen@yopmail.com"],
        "account copy": [e for e in sent if e.to == "claire@example.org"],
    }
    assert {k: len(v) for k, v in to.items()} == {
        "landlord": 2,  # forwarded, declined
        "advisor": 1,
        "request contact": 3,  # forwarded, attributed, declined
        "account copy": 3,
    }
    for email in sent:
        body = flat(email.read_text())
        assert "Monsieur Paul NGUYEN et Madame Marie NGUYEN" in body, (email.to, body)
        assert "Claire Martin" not in body, (email.to, body)


def test_the_rank_explanation_says_which_applicant_gives_the_company_priority(
    client, claire, landlord
):
    candidature = candidature_of(claire, landlord, Status.SUBMITTED)
    assert candidature.company_priority  # Marie's employer has 10 employees or more
    client.force_login(claire)
    page = text(client.get("/candidatures/"))
    assert (
        "vos critères : pas de priorité légale, salarié d'une entreprise de 10 salariés et "
        "plus (Demandeur 2 : Madame Marie NGUYEN)"
    ) in page
