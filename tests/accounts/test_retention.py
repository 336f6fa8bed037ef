from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tasks import anonymise_inactive_accounts
from demandes.models import Demande
from tests.accounts.factories import LandlordUserFactory, UserFactory
from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def test_applicants_inactive_for_two_years_are_anonymised():
    now = timezone.now()
    old = DemandeFactory(
        user=UserFactory(email="ancien@example.org", last_login=now - timedelta(days=731))
    ).user
    recent = UserFactory(email="actif@example.org", last_login=now - timedelta(days=700))
    landlord = LandlordUserFactory(last_login=now - timedelta(days=900))
    assert anonymise_inactive_accounts.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    landlord.refresh_from_db()
    assert not old.is_active and old.email.endswith("@anonyme.invalid")
    assert not Demande.objects.filter(user=old).exists()
    assert recent.is_active and recent.email == "actif@example.org"
    assert landlord.is_active
