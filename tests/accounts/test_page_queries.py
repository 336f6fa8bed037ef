"""The SQL query count of each account page, pinned: a page that starts querying per
row or per link shows up here first."""

import re

import pytest

from accounts.adapter import initial_password_token
from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "civility": User.Civility.MADAME,
    "last_name": "Martin",
    "first_name": "Zoé",
    "mobile_phone": "07 81 23 45 67",
    "email": "zoe@example.org",
    "data_consent": "on",
}


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/compte/login/", 0),
        ("/compte/signup/", 0),
        ("/compte/password/reset/", 0),
        ("/compte/nouveau-lien/", 0),
        ("/compte/compte-cree/", 0),
    ],
)
def test_pages_for_visitors(client, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, unread notifications of the header
        ("/compte/", 3),
        ("/compte/password/change/", 3),
        # + allauth reads the addresses (current, pending, list)
        ("/compte/email/", 7),
        ("/compte/supprimer/", 3),
    ],
)
def test_pages_of_mon_compte(client, django_assert_num_queries, url, queries):
    client.force_login(UserFactory())
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_pages_of_the_emailed_links(
    client, mailoutbox, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/signup/", SIGNUP)
    link = re.search(r"/compte/confirm-email/[^\s\"<]+", mailoutbox[0].body).group(0)
    with django_assert_num_queries(4):
        assert client.get(link).status_code == 200
    client.post(link)
    from accounts.models import User

    token = initial_password_token(User.objects.get())
    with django_assert_num_queries(6):
        assert client.get(f"/compte/mot-de-passe/{token}/").status_code == 200
