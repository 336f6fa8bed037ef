"""Advisors manage companies in the admin, through the advisors' group."""

from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ADVISOR_GROUP, apply_role
from entreprises.models import Company, Establishment
from tests.accounts.factories import UserFactory, staff_login
from tests.entreprises.factories import siren_for, siret_for


def test_an_advisor_of_the_group_creates_a_company_with_its_establishments(client, db):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # post_migrate keeps the group in step
    group = Group.objects.get(name=ADVISOR_GROUP)
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"add_company", "change_company", "view_access", "view_designation"} <= codes
    advisor = UserFactory(role="conseiller", is_staff=True)
    apply_role(advisor)
    staff_login(client, advisor)
    assert "Entreprises" in client.get(reverse("admin:index")).content.decode()
    siren = siren_for(42424242)
    response = client.post(
        reverse("admin:entreprises_company_add"),
        {
            "name": "Acme Logistique",
            "siren": siren,
            "headcount": Company.Headcount.FROM_50,
            "code": "acme",
            "housing_policy": "Aide au logement des salariés.",
            "designation_quota": "3",
            "establishments-TOTAL_FORMS": "1",
            "establishments-INITIAL_FORMS": "0",
            "establishments-0-siret": siret_for(siren, 2),
            "establishments-0-name": "Entrepôt",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    company = Company.objects.get()
    assert company.code == "ACME" and company.designation_quota == 3
    assert Establishment.objects.get().company == company


def test_a_siret_outside_the_companys_siren_is_refused(client, db):
    staff_login(client, UserFactory(role="conseiller", is_staff=True, is_superuser=True))
    siren = siren_for(42424242)
    page = client.post(
        reverse("admin:entreprises_company_add"),
        {
            "name": "Acme",
            "siren": siren,
            "headcount": Company.Headcount.FROM_50,
            "designation_quota": "0",
            "establishments-TOTAL_FORMS": "1",
            "establishments-INITIAL_FORMS": "0",
            "establishments-0-siret": siret_for(siren_for(11111111)),
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    ).content.decode()
    assert "Ce SIRET n&#x27;appartient pas au SIREN de l&#x27;entreprise." in page
    assert not Company.objects.exists()
