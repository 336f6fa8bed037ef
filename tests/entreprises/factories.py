import factory
from stdnum import luhn

from entreprises.models import Company, CompanyMembership, Establishment
from tests.accounts.factories import CompanyUserFactory


def siren_for(n):
    base = f"{n:08d}"
    return base + luhn.calc_check_digit(base)


def siret_for(siren, nic=1):
    base = f"{siren}{nic:04d}"
    return base + luhn.calc_check_digit(base)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    siren = factory.Sequence(lambda n: siren_for(51000000 + n))
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    headcount = Company.Headcount.FROM_250
    designation_quota = 2
    housing_policy = "Nous accompagnons nos salariés dans leur recherche de logement."

    @factory.post_generation
    def establishment(obj, create, extracted, **kwargs):
        """Every company gets its head office as an establishment."""
        if create and extracted is not False:
            Establishment.objects.create(company=obj, siret=siret_for(obj.siren), name="Siège")


class CompanyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(CompanyUserFactory)
    company = factory.SubFactory(CompanyFactory)
    is_admin = True


def siret_of(company):
    return company.establishments.values_list("siret", flat=True).first()
