"""A demo company with an HR login and employees at each of the four choices.

Acme Logistique (250 à 999 salariés, Code Entreprise ``ACME``) employs the demo
candidates of ``candidatures.demo``: one at choice 4 (delegation), one at choice 3,
two at choice 2 and six who chose to stay anonymous (choice 1), so that the company
space shows both a count ("6") and a "moins de 5". ``rh@alin.example`` is its
administrator. Idempotent.
"""

from accounts.demo import DEMO_PASSWORD, _user
from accounts.models import User
from demandes.models import Demande

from .models import Company, CompanyMembership, Establishment

SIREN = "732829320"
SIRET = "73282932000074"
HR_EMAIL = "rh@alin.example"
# demo.candidatN@alin.example → choice
CHOICES = {1: 4, 2: 3, 3: 2, 4: 2, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1}


def load(stdout):
    company, _ = Company.objects.get_or_create(
        siren=SIREN,
        defaults={
            "name": "Acme Logistique",
            "headcount": Company.Headcount.FROM_250,
            "code": "ACME",
            "designation_quota": 3,
            "housing_policy": "Acme Logistique aide ses salariés à se loger près de leur "
            "site : désignation prioritaire des salariés en mobilité ou en première "
            "embauche, aide aux pièces justificatives sur demande.",
        },
    )
    Establishment.objects.get_or_create(
        siret=SIRET, defaults={"company": company, "name": "Siège, Saint-Ouen-sur-Seine"}
    )
    hr = _user(
        HR_EMAIL,
        role=User.Role.COMPANY,
        first_name="Rita",
        last_name="RESSOURCES",
        civility=User.Civility.MADAME,
    )
    CompanyMembership.objects.get_or_create(
        user=hr, defaults={"company": company, "is_admin": True}
    )
    linked = 0
    for n, choice in CHOICES.items():
        demande = Demande.objects.filter(user__email=f"demo.candidat{n}@alin.example").first()
        if demande is None or demande.siret == SIRET:
            continue
        demande.siret, demande.company_code, demande.data_sharing = SIRET, "ACME", choice
        demande.save()
        demande.sharing_changes.create(choice=choice)
        linked += 1
    if linked:
        stdout.write(f"{linked} salariés de démonstration rattachés à {company.name}.")
    return [("RH entreprise (Acme Logistique)", HR_EMAIL, DEMO_PASSWORD)]
