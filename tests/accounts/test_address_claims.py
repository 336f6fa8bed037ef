"""Claiming someone else's future address: an account that adds an address without
validating it neither stops its real owner from signing up nor receives the owner's
password reset. The whole story, through the pages."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory, reauthenticate

pytestmark = pytest.mark.django_db

OWNER = "victoire@example.org"
SIGNUP = {
    "civility": User.Civility.MADAME,
    "last_name": "Martin",
    "first_name": "Victoire",
    "mobile_phone": "06 12 34 56 78",
    "email": OWNER,
    "data_consent": "on",
}


def links_in(message):
    return re.findall(r"https?://[^\s\"<]+", message.body)


def path_of(url, settings):
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def do(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return do


def claim(client, send, attacker):
    """The attacker adds the owner's address to their own account (never validated)."""
    client.force_login(attacker)
    reauthenticate(client)
    send(client.post, "/compte/email/", {"action_add": "", "email": OWNER})
    client.logout()
    assert EmailAddress.objects.filter(user=attacker, email=OWNER, verified=False).exists()


def test_an_unvalidated_claim_neither_blocks_the_owner_nor_takes_their_reset(
    client, send, mailoutbox, settings
):
    attacker = UserFactory(email="pirate@example.org")
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        # Earlier (the validation emails of one address are 3 minutes apart).
        claim(client, send, attacker)
    mailoutbox.clear()

    # Before the owner has an account, a reset for the address opens no account.
    send(client.post, "/compte/password/reset/", {"email": OWNER})
    assert all("/password/reset/key/" not in m.body for m in mailoutbox)
    mailoutbox.clear()

    # The owner signs up with the address: a real account and its validation link.
    send(client.post, "/compte/signup/", SIGNUP, follow=True)
    owner = User.objects.get(email=OWNER)
    [mail] = mailoutbox
    assert mail.to == [OWNER]
    assert mail.subject == "Action Logement Services : Demande d'accès"
    # The attacker's pending claim is gone.
    assert not EmailAddress.objects.filter(user=attacker, email=OWNER).exists()

    page = send(client.post, path_of(links_in(mail)[0], settings), follow=True)
    set_password_url = page.redirect_chain[-1][0]
    client.post(
        set_password_url, {"new_password1": "Logement2026", "new_password2": "Logement2026"}
    )
    mailoutbox.clear()

    # Forgotten password: the link opens the owner's account, not the attacker's.
    send(client.post, "/compte/password/reset/", {"email": OWNER})
    [mail] = mailoutbox
    [link] = [u for u in links_in(mail) if "/password/reset/key/" in u]
    form_page = client.get(path_of(link, settings), follow=True)
    action = form_page.redirect_chain[-1][0]
    done = client.post(action, {"password1": "Nouveau2026", "password2": "Nouveau2026"})
    assert done.status_code == 302
    owner.refresh_from_db()
    attacker.refresh_from_db()
    assert owner.check_password("Nouveau2026")
    assert attacker.check_password(PASSWORD)
    assert "Mise à jour" not in html.unescape(done.content.decode())
