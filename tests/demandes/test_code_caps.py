"""Guessing an access code with several accounts: the caps count per request number,
whoever asks (5 codes a day, 10 wrong codes a day), as well as per account."""

import re
from html import unescape

import pytest

from demandes.models import AccessCode, Demande
from tests.accounts.factories import UserFactory
from tests.demandes.factories import registry_record
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db
CODES_PER_NUMBER_PER_DAY = 5  # whoever asks
FAILED_ATTEMPTS_PER_NUMBER_PER_DAY = 10
NUMBER = "1110520020171G1175"


@pytest.fixture
def record():
    CommuneFactory()
    return registry_record(number=NUMBER)


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    def do(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/demande/importer/", {"number": NUMBER}, follow=True)

    return do


def page(response):
    return unescape(response.content.decode())


def test_a_number_gets_at_most_five_codes_a_day_whoever_asks(record, ask_code, mailoutbox):
    accounts = [UserFactory() for _ in range(CODES_PER_NUMBER_PER_DAY + 1)]
    for user in accounts[:-1]:
        ask_code(user)
    assert len(mailoutbox) == CODES_PER_NUMBER_PER_DAY

    refused = page(ask_code(accounts[-1]))

    assert "Trop de codes d'accès ont été demandés ou essayés pour ce numéro" in refused
    assert len(mailoutbox) == CODES_PER_NUMBER_PER_DAY
    assert AccessCode.objects.filter(number=NUMBER).count() == CODES_PER_NUMBER_PER_DAY


def test_wrong_codes_are_capped_per_number_across_accounts(client, record, ask_code, mailoutbox):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for user in (first, second, third):
        ask_code(user)
    assert len(mailoutbox) == 3
    third_code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    wrong = 0
    for user in (first, second):
        client.force_login(user)
        for guess in range(5):
            client.post("/demande/code/", {"code": f"{guess:06d}", "confirm_identity": "on"})
            wrong += 1
    assert wrong == FAILED_ATTEMPTS_PER_NUMBER_PER_DAY

    # The third account's code was sent before the cap: it no longer opens the request…
    client.force_login(third)
    refused = page(client.post("/demande/code/", {"code": third_code, "confirm_identity": "on"}))
    assert "Trop de codes d'accès ont été demandés ou essayés pour ce numéro" in refused
    assert not Demande.objects.exists()
    # …and no new code is sent for this number today, to anyone.
    assert "Trop de codes" in page(ask_code(UserFactory()))
    assert len(mailoutbox) == 3
