"""Sensitive account changes ask for the password again: changing the email address and
deleting the account (someone at an unlocked phone cannot take the account away)."""

from html import unescape

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory, reauthenticate

pytestmark = pytest.mark.django_db


def test_a_new_address_needs_the_password_again(client):
    user = UserFactory(email="jean@example.org")
    client.force_login(user)  # a session whose sign-in is not recent

    asked = client.post("/compte/email/", {"action_add": "", "email": "autre@example.org"})
    assert asked.status_code == 302 and asked["Location"].startswith("/compte/reauthenticate/")
    assert not EmailAddress.objects.filter(email="autre@example.org").exists()

    wrong = client.post(asked["Location"], {"password": "Mauvais2026"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="autre@example.org").exists()

    # The right password resumes the change that was asked for.
    client.post(asked["Location"], {"password": PASSWORD})
    assert EmailAddress.objects.filter(user=user, email="autre@example.org").exists()


def test_deleting_the_account_needs_the_password_again(client):
    user = UserFactory(email="jean@example.org")
    client.force_login(user)
    asked = client.post("/compte/supprimer/", {"confirm": "on"})
    assert asked.status_code == 302 and asked["Location"].startswith("/compte/reauthenticate/")
    user.refresh_from_db()
    assert user.is_active

    done = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    assert "Votre compte a été supprimé." in unescape(done.content.decode())
    user.refresh_from_db()
    assert not user.is_active


def test_the_password_typed_again_holds_five_minutes(client):
    user = UserFactory(email="jean@example.org")
    client.force_login(user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        reauthenticate(client)
        ok = client.post("/compte/email/", {"action_add": "", "email": "a@example.org"})
        assert not ok["Location"].startswith("/compte/reauthenticate/")
        traveller.shift(6 * 60)
        asked = client.post("/compte/email/", {"action_add": "", "email": "b@example.org"})
        assert asked["Location"].startswith("/compte/reauthenticate/")
    assert EmailAddress.objects.filter(user=user, email="a@example.org").exists()
    assert not EmailAddress.objects.filter(email="b@example.org").exists()
