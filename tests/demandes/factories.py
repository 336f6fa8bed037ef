import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from demandes.models import CoApplicant, Demande
from tests.accounts.factories import UserFactory


class DemandeFactory(factory.django.DjangoModelFactory):
    """An imported request of a single person, documents confirmed, ready to apply."""

    class Meta:
        model = Demande
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"0930321{n:06d}G1U21")
    birth_name = factory.SelfAttribute("user.last_name")
    first_name = factory.SelfAttribute("user.first_name")
    birth_date = datetime.date(1990, 5, 17)
    email = factory.SelfAttribute("user.email")
    household_size = 1
    household_category = 1
    fiscal_income = 20000
    monthly_resources = Decimal("2000.00")
    housing_allowance = Decimal("0.00")
    desired_typologies = factory.LazyFunction(lambda: [1, 2])
    first_filed_on = datetime.date(2024, 3, 1)
    applicant_company_priority = factory.SelfAttribute("company_priority")
    # Renewed two months ago: valid for ten more months (demandes/validity.py).
    renewed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    professional_situation = Demande.ProfessionalSituation.CDI
    company_priority = True
    documents_confirmed_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)
    )

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        """``DemandeFactory(communes=[commune, …])`` sets the desired communes."""
        if create and extracted:
            obj.desired_communes.set(extracted)

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.desired_departments.set(extracted)

    @factory.post_generation
    def coapplicant(obj, create, extracted, **kwargs):
        """``DemandeFactory(coapplicant={"first_name": …, "birth_name": …, "birth_date": …})``
        adds "Demandeur 2" (what the import makes of the registry's ``codemandeur``)."""
        if create and extracted:
            CoApplicant.objects.create(demande=obj, **extracted)


def registry_data(number="1110520020171G1175", email="jean.dupont@yopmail.com", **overrides):
    """A valid record of the national registry's export, as documented in docs/demandes.md."""
    data = {
        "numero": number,
        "email": email,
        "demandeur": {
            "civilite": "M",
            "nom_naissance": "DUPONT",
            "nom_usage": "",
            "prenom": "Jean",
            "date_naissance": "1990-05-17",
            "handicap": False,
        },
        "codemandeur": None,
        "personnes_a_charge": [],
        "revenu_fiscal_reference": 21000,
        "ressources_mensuelles": 2100,
        "aide_logement": 0,
        "situation_professionnelle": "cdi",
        "siret_employeur": "73282932000074",
        "entreprise_10_salaries_et_plus": True,
        "designation_entreprise": False,
        "communes_souhaitees": ["93070"],
        "departements_souhaites": [],
        "typologies_souhaitees": ["T1", "T2"],
        "logement_actuel": "Hébergé chez des tiers",
        "mobilite_reduite": False,
        "public_prioritaire": False,
        "date_depot": "2023-05-02",
        "date_renouvellement": "2026-05-02",
        "pieces_deposees": ["identite", "avis_imposition_n2"],
    }
    data.update(overrides)
    return data


def registry_record(**kwargs):
    """Store a record in the registry (the database backend of demandes.registry)."""
    from demandes.models import RegistryRecord

    data = registry_data(**kwargs)
    return RegistryRecord.objects.create(
        number=data["numero"],
        email=data["email"],
        birth_name=data["demandeur"]["nom_naissance"],
        first_name=data["demandeur"]["prenom"],
        birth_date=datetime.date.fromisoformat(data["demandeur"]["date_naissance"]),
        data=data,
    )
