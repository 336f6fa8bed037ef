import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from stdnum import luhn

from offres.models import Landlord, LandlordMembership, Offer
from tests.accounts.factories import LandlordUserFactory
from tests.territoires.factories import CommuneFactory


class LandlordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landlord
        django_get_or_create = ("siren",)

    name = factory.Sequence(lambda n: f"Habitat Social {n}")
    siren = factory.Sequence(
        lambda n: f"{10000000 + n:08d}" + luhn.calc_check_digit(f"{10000000 + n:08d}")
    )
    contact_email = factory.Sequence(lambda n: f"contact{n}@bailleur.example")


class LandlordMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandlordMembership

    user = factory.SubFactory(LandlordUserFactory)
    landlord = factory.SubFactory(LandlordFactory)


class OfferFactory(factory.django.DjangoModelFactory):
    """A published T2 in Saint-Ouen-sur-Seine, 450 € + 50 € of charges, open for a month."""

    class Meta:
        model = Offer

    landlord = factory.SubFactory(LandlordFactory)
    title = "T2 lumineux proche métro"
    description = "Dans une rue très commerçante, proche des écoles et du métro."
    typology = 2
    surface = Decimal("43.00")
    floor = 2
    rent = Decimal("450.00")
    charges = Decimal("50.00")
    financing = Offer.Financing.PLUS
    energy_class = "C"
    climate_class = "D"
    address = "12 rue des Rosiers"
    commune = factory.SubFactory(CommuneFactory)
    available_from = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=20)
    )
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Offer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
