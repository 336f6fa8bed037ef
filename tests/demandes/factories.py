import datetime
from decimal import Decimal

import factory

from demandes.models import Demande
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
