"""What HR reads of an employee's request, exactly as the employee chose (guide #3)."""

import csv
import datetime
import io
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import User
from candidatures.workflow import Status
from demandes.models import CoApplicant
from entreprises import selectors
from entreprises.models import Access
from entreprises.selectors import FIELDS, Level
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.entreprises.factories import CompanyMembershipFactory, siret_of
from tests.offres.factories import OfferFactory


def text(response):
    return unescape(response.content.decode())


# The declared minimum level of each field, as the issue states it.
EXPECTED_LEVEL = {
    "birth_name": 2,
    "first_name": 2,
    "birth_date": 2,
    "household": 3,
    "household_category": 3,
    "desired_places": 3,
    "desired_typologies": 3,
    "validity": 3,
    "candidature": 3,
    "number": 4,
    "usage_name": 4,
    "email": 4,
    "phones": 4,
    "fiscal_income": 4,
    "resources": 4,
    "professional_situation": 4,
    "siret": 4,
    "company_code": 4,
    "current_housing": 4,
    "reduced_mobility": 4,
    "legal_priority": 4,
    "first_filed_on": 4,
    "documents": 4,
}


def test_every_field_has_the_level_the_issue_gives_it():
    assert {f.key: int(f.level) for f in FIELDS} == EXPECTED_LEVEL


@pytest.mark.parametrize("choice", [1, 2, 3, 4])
def test_each_field_is_readable_only_from_its_level(hr, employee, place, choice):
    demande = employee(choice, fiscal_income=31234, usage_name="MARTIN-DURAND")
    CandidatureFactory(demande=demande, offer=OfferFactory(commune=place))
    view = selectors.read_employee(hr.user, hr.company, demande.pk)
    if choice == 1:
        assert view is None
        return
    visible = {key for key, level in EXPECTED_LEVEL.items() if choice >= level}
    assert set(view.values) == visible
    assert view.values["birth_name"] == demande.birth_name


def test_the_pages_show_each_level_and_never_more(client, hr, employee, place):
    client.force_login(hr.user)
    identity = employee(2, first_name="Inès", usage_name="MARTIN-DURAND")
    most = employee(3, first_name="Paul", fiscal_income=31234)
    delegated = employee(4, first_name="Zoé", fiscal_income=28765)
    for demande in (identity, most, delegated):
        CandidatureFactory(demande=demande, offer=OfferFactory(commune=place))

    page = text(client.get(reverse("entreprises:employee", args=[identity.pk])))
    assert identity.birth_name in page and "17/05/1990" in page
    assert identity.number not in page and "MARTIN-DURAND" not in page
    assert "Candidature" not in page and place.name not in page

    page = text(client.get(reverse("entreprises:employee", args=[most.pk])))
    assert place.name in page and "T1 - T2" in page and "Valable jusqu'au" in page
    assert "En attente — T2 à" in page  # the candidature's step, typology and commune
    assert most.number not in page and "31" + "\u202f" + "234" not in page
    assert "Revenu fiscal" not in page and "Pièces justificatives" not in page
    assert "Gestion déléguée" not in page

    page = text(client.get(reverse("entreprises:employee", args=[delegated.pk])))
    assert delegated.number in page and "28\u202f765 €" in page
    assert "Pièces justificatives" in page and "Gestion déléguée" in page


def test_anonymous_employees_are_only_counts_never_under_five(client, hr, employee, place):
    client.force_login(hr.user)
    hidden = [employee(1, first_name=f"Anonyme{n}") for n in range(4)]
    CandidatureFactory(demande=hidden[0], offer=OfferFactory(commune=place))
    page = text(client.get(reverse("entreprises:home")))
    assert "Salariés anonymes ayant une demande" in page
    assert page.count("moins de 5") == 3
    assert all(d.first_name not in page and d.birth_name not in page for d in hidden)
    assert client.get(reverse("entreprises:employee", args=[hidden[0].pk])).status_code == 404

    employee(1)
    counts = {c["label"]: c["value"] for c in selectors.anonymous_counts(hr.company)}
    assert counts["Salariés anonymes ayant une demande"] == "5"
    assert counts["dont avec une candidature en cours"] == "moins de 5"
    assert not Access.objects.exists()  # nobody's data was read


def test_the_co_applicants_siret_and_the_company_code_link_a_request(hr, company):
    from entreprises.models import Company

    co = DemandeFactory(
        siret="",
        data_sharing=2,
        coapplicant={
            "first_name": "Anne",
            "birth_name": "MARTIN",
            "birth_date": datetime.date(1991, 2, 3),
            "siret": siret_of(company),
        },
    )
    other = DemandeFactory(siret="73282932000074", data_sharing=2)
    assert [v.pk for v in selectors.read_employees(hr.user, company)] == [co.pk]
    assert selectors.companies_of(co) == [company]
    assert selectors.companies_of(other) == []

    Company.objects.filter(pk=company.pk).update(code="ACME")
    company.refresh_from_db()
    assert selectors.read_employees(hr.user, company) == []  # the code is now required
    co.company_code = "ACME"  # typed in Demandeur 1's block, as the mini-form allows
    co.save()
    assert [v.pk for v in selectors.read_employees(hr.user, company)] == [co.pk]
    co.company_code = ""
    co.save()
    CoApplicant.objects.filter(demande=co).update(company_code="ACME")  # or in Demandeur 2's
    assert [v.pk for v in selectors.read_employees(hr.user, company)] == [co.pk]


def test_hr_of_company_a_never_sees_anything_of_company_b(client, hr, employee):
    mine = employee(4, first_name="Alice")
    other_hr = CompanyMembershipFactory()
    theirs = DemandeFactory(siret=siret_of(other_hr.company), data_sharing=4, first_name="Bruno")
    client.force_login(hr.user)
    home = text(client.get(reverse("entreprises:home")))
    assert "Alice" in home and "Bruno" not in home and theirs.birth_name not in home
    export = text(client.get(reverse("entreprises:export")))
    assert "Alice" in export and "Bruno" not in export
    for name in ("employee", "professional", "apply"):
        assert client.get(reverse(f"entreprises:{name}", args=[theirs.pk])).status_code == 404
    for name in ("designate", "refresh", "confirm_documents", "cancel"):
        assert client.post(reverse(f"entreprises:{name}", args=[theirs.pk])).status_code == 404
    assert not Access.objects.filter(applicant=theirs.user).exists()
    assert mine.pk != theirs.pk


def test_a_change_of_choice_or_a_withdrawal_applies_on_hrs_next_request(client, hr, employee):
    demande = employee(3)
    url = reverse("entreprises:employee", args=[demande.pk])
    client.force_login(hr.user)
    assert "Lieux souhaités" in text(client.get(url))

    demande.data_sharing = Level.IDENTITY
    demande.save()
    page = text(client.get(url))
    assert demande.birth_name in page and "Lieux souhaités" not in page

    demande.data_sharing = Level.ANONYMOUS  # consent withdrawn
    demande.save()
    assert client.get(url).status_code == 404
    assert demande.birth_name not in text(client.get(reverse("entreprises:home")))


def test_the_withdrawal_made_on_the_mini_form_removes_access_at_once(client, hr, employee):
    demande = employee(4)
    url = reverse("entreprises:employee", args=[demande.pk])
    hr_client = client.__class__()
    hr_client.force_login(hr.user)
    assert hr_client.get(url).status_code == 200
    client.force_login(demande.user)
    response = client.post(
        reverse("demandes:information"),
        {
            "civility": User.Civility.MONSIEUR,
            "usage_name": demande.birth_name,
            "email": demande.email,
            "professional_situation": "cdi",
            "siret": demande.siret,
            "company_code": "",
            "data_sharing": "1",
        },
    )
    assert response.status_code == 302
    assert hr_client.get(url).status_code == 404


def test_the_export_holds_only_what_each_choice_shows(client, hr, employee):
    identity = employee(2, fiscal_income=31234)
    delegated = employee(4, fiscal_income=28765)
    client.force_login(hr.user)
    response = client.get(reverse("entreprises:export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_number = {row["Prénom"]: row for row in rows}
    assert by_number[identity.first_name]["Numéro unique"] == ""
    assert by_number[identity.first_name]["Revenu fiscal de référence"] == ""
    assert by_number[delegated.first_name]["Numéro unique"] == delegated.number
    assert Access.objects.filter(kind=Access.Kind.EXPORT).count() == 2


def test_every_read_is_logged_and_listed_to_the_applicant(client, hr, employee):
    demande = employee(3)
    hr.user.first_name, hr.user.last_name = "Rita", "RH"
    hr.user.save()
    client.force_login(hr.user)
    client.get(reverse("entreprises:home"))
    client.get(reverse("entreprises:employee", args=[demande.pk]))
    log = list(Access.objects.filter(applicant=demande.user).order_by("at", "pk"))
    assert [(a.kind, a.level) for a in log] == [("liste", 3), ("fiche", 3)]

    client.force_login(demande.user)
    page = text(client.get(reverse("company_accesses")))
    assert "Rita RH" in page and hr.company.name in page and "Fiche du salarié" in page
    assert "choix n°3" in page
    assert "Qui a consulté ma demande" in text(client.get(reverse("accounts:profile")))
    data = client.get(reverse("accounts:export")).json()
    assert [e["type"] for e in data["consultations_entreprise"]] == [
        "Fiche du salarié",
        "Liste des salariés",
    ]


def test_ma_situation_names_the_company_the_request_is_linked_to(client, hr, employee):
    demande = employee(1)
    client.force_login(demande.user)
    page = text(client.get(reverse("dashboard")))
    assert f"Entreprise de rattachement :</strong> {hr.company.name}." in page


def test_the_company_space_is_for_company_members_only(client, employee):
    demande = employee(2)
    client.force_login(demande.user)
    assert client.get(reverse("entreprises:home")).status_code == 404


def test_a_finished_candidature_shows_its_last_step(hr, employee, place):
    demande = employee(3)
    CandidatureFactory(demande=demande, offer=OfferFactory(commune=place), status=Status.CANCELLED)
    view = selectors.read_employee(hr.user, hr.company, demande.pk)
    assert view.values["candidature"].startswith("Annulée")


@pytest.mark.parametrize("count", [2, 6])
def test_the_company_space_costs_the_same_whatever_the_number_of_employees(
    client, hr, employee, place, django_assert_num_queries, count
):
    for n in range(count):
        demande = employee(2 + n % 3)
        CandidatureFactory(demande=demande, offer=OfferFactory(commune=place))
    employee(1)
    client.force_login(hr.user)
    # session, user, membership, establishments (x2), employees, their communes,
    # departments, designations, candidatures, the read log (one insert), 3 counts,
    # designations left.
    with django_assert_num_queries(15):
        response = client.get(reverse("entreprises:home"))
    assert response.status_code == 200


def test_deleting_the_account_deletes_its_log_of_company_reads(client, hr, employee):
    from accounts.services import delete_account

    demande = employee(2)
    selectors.read_employees(hr.user, hr.company)
    assert Access.objects.filter(applicant=demande.user).count() == 1
    delete_account(user=demande.user)
    assert not Access.objects.filter(applicant=demande.user).exists()
