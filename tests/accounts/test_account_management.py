"""Recovery, "Mon compte", personal data, rate limits and accounts created by advisors."""

import json
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import (
    PASSWORD,
    AdvisorFactory,
    UserFactory,
    reauthenticate,
    staff_login,
)

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"http://[^\s\"<]+", message.body).group(0).split("8000", 1)[1]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a request and deliver the emails it queued."""

    def do(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return do


def test_a_forgotten_password_is_reset_with_a_12_hour_link(client, mailoutbox, send):
    user = UserFactory(email="jean@example.org")
    page = send(client.post, "/compte/password/reset/", {"email": "jean@example.org"}, follow=True)
    assert page.status_code == 200
    [mail] = mailoutbox
    assert "Ce lien expire dans 12 heure(s)." in mail.body
    link = link_in(mail)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    weak = client.post(action, {"password1": "faible", "password2": "faible"})
    assert "au moins 8 caractères" in weak.content.decode()
    client.post(action, {"password1": "Nouveau2026", "password2": "Nouveau2026"})
    user.refresh_from_db()
    assert user.check_password("Nouveau2026")


def test_a_reset_link_older_than_12_hours_is_refused(client, mailoutbox, send):
    user = UserFactory(email="jean@example.org")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        send(client.post, "/compte/password/reset/", {"email": user.email})
        link = link_in(mailoutbox[0])
        traveller.shift(11 * 3600 + 59 * 60)
        assert client.get(link, follow=True).context["form"] is not None  # still valid
        traveller.shift(2 * 60)
        response = client.get(link, follow=True)
        action = response.redirect_chain[-1][0] if response.redirect_chain else link
        client.post(action, {"password1": "Nouveau2026", "password2": "Nouveau2026"})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox, send):
    known = send(
        client.post, "/compte/password/reset/", {"email": "personne@example.org"}, follow=True
    )
    assert known.status_code == 200
    assert "aucun compte AL'in ne lui correspond" in mailoutbox[0].body
    assert mailoutbox[0].to == ["personne@example.org"]


def test_the_password_change_applies_the_same_rules(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": "sansmajuscule1", "password2": "sansmajuscule1"},
    )
    assert "au moins 1 lettre en majuscule" in response.content.decode()
    client.post(
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": "Changement2026", "password2": "Changement2026"},
    )
    user.refresh_from_db()
    assert user.check_password("Changement2026")


def test_a_new_email_address_must_be_validated(client, mailoutbox, send):
    user = UserFactory(email="ancien@example.org")
    client.force_login(user)
    reauthenticate(client)
    send(client.post, "/compte/email/", {"action_add": "", "email": "nouveau@example.org"})
    address = EmailAddress.objects.get(email="nouveau@example.org")
    assert not address.verified
    [mail] = mailoutbox
    assert mail.to == ["nouveau@example.org"]
    client.post(link_in(mail))
    address.refresh_from_db()
    assert address.verified


def test_mon_compte_shows_and_updates_the_identity(client, django_assert_max_num_queries):
    user = UserFactory(first_name="Jean", last_name="Dupont")
    client.force_login(user)
    with django_assert_max_num_queries(4):
        page = client.get("/compte/").content.decode()
    assert "Mes informations" in page and "Dupont" in page
    assert 'value="06 12 34 56 78"' in page  # the phone as people write it
    response = client.post(
        "/compte/",
        {
            "civility": User.Civility.MONSIEUR,
            "last_name": "Durand",
            "first_name": "Jean",
            "mobile_phone": "0699887766",
        },
        follow=True,
    )
    assert "Vos informations ont bien été mises à jour." in response.content.decode()
    user.refresh_from_db()
    assert (user.last_name, str(user.mobile_phone)) == ("Durand", "+33699887766")


def test_an_invalid_profile_change_changes_nothing(client):
    user = UserFactory(last_name="Dupont")
    client.force_login(user)
    response = client.post(
        "/compte/",
        {
            "civility": User.Civility.MONSIEUR,
            "last_name": "",
            "first_name": "Jean",
            "mobile_phone": "0699887766",
        },
    )
    assert "Indiquez votre nom de naissance." in response.content.decode()
    user.refresh_from_db()
    assert user.last_name == "Dupont"


def test_the_applicant_downloads_all_personal_data_as_json(client):
    user = UserFactory(email="jean@example.org", first_name="Jean", last_name="Dupont")
    client.force_login(user)
    response = client.get("/compte/mes-donnees.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["compte"]["email"] == "jean@example.org"
    assert data["compte"]["nom_de_naissance"] == "Dupont"
    assert data["adresses_email"] == [
        {"email": "jean@example.org", "verifiee": True, "principale": True}
    ]


def test_deleting_the_account_anonymises_it_and_signs_out(client):
    user = UserFactory(email="jean@example.org", first_name="Jean", last_name="Dupont")
    client.force_login(user)
    reauthenticate(client)
    page = client.get("/compte/supprimer/").content.decode()
    assert "anonymisé" in page
    refused = client.post("/compte/supprimer/", {})
    assert "Cochez la case pour confirmer" in refused.content.decode()
    client.post("/compte/supprimer/", {"confirm": "on"})
    user.refresh_from_db()
    assert not user.is_active
    assert "jean" not in user.email and user.last_name == "" and user.first_name == ""
    assert not EmailAddress.objects.filter(email="jean@example.org").exists()
    assert "_auth_user_id" not in client.session
    assert not client.login(email="jean@example.org", password=PASSWORD)


def test_repeated_wrong_passwords_lock_the_sign_in_with_the_wait_time(client):
    user = UserFactory(email="jean@example.org")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            client.post("/compte/login/", {"login": user.email, "password": "Mauvais2026"})
        locked = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
        page = locked.content.decode()
        assert "Trop de tentatives de connexion infructueuses" in page
        assert "réessayez dans 5 minute(s)" in page
        assert "_auth_user_id" not in client.session

        traveller.shift(2 * 60 + 10)
        page = client.post(
            "/compte/login/", {"login": user.email, "password": PASSWORD}
        ).content.decode()
        assert "réessayez dans 3 minute(s)" in page
        assert "_auth_user_id" not in client.session

        traveller.shift(3 * 60)
        signed_in = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_ups_from_one_address_are_rate_limited(client):
    statuses = [
        client.post("/compte/signup/", {"email": f"x{i}@example.org"}).status_code
        for i in range(11)
    ]
    assert statuses[-1] == 429
    refused = client.post("/compte/signup/", {})
    assert refused.status_code == 429
    assert "Veuillez réessayer dans" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60


def test_an_advisor_creates_a_landlord_account_that_receives_a_password_link(
    client, mailoutbox, send
):
    staff_login(client, AdvisorFactory())
    send(
        client.post,
        "/admin/accounts/user/add/",
        {
            "email": "Gestion@Bailleur.example",
            "role": "bailleur",
            "civility": User.Civility.MADAME,
            "last_name": "Martin",
            "first_name": "Sophie",
            "mobile_phone": "",
        },
    )
    user = User.objects.get(email="gestion@bailleur.example")
    assert user.role == User.Role.LANDLORD and not user.is_staff
    assert not user.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["gestion@bailleur.example"]
    assert "/compte/password/reset/key/" in mail.body


def test_password_reset_requests_are_rate_limited(client, mailoutbox, send):
    UserFactory(email="jean@example.org")
    statuses = [
        send(client.post, "/compte/password/reset/", {"email": "jean@example.org"}).status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429
    assert len(mailoutbox) == 3  # 3 a minute for one address


def test_new_link_requests_are_rate_limited_per_address_and_per_ip(client, mailoutbox, send):
    from allauth.account.models import EmailAddress as Address

    user = UserFactory(email="attente@example.org", verified_email=False)
    Address.objects.create(user=user, email=user.email, verified=False, primary=True)
    statuses = [
        send(client.post, "/compte/nouveau-lien/", {"email": "attente@example.org"}).status_code
        for _ in range(6)
    ]
    assert len(mailoutbox) == 1  # then a 3-minute cooldown for this address
    assert statuses[:5] == [302] * 5 and statuses[5] == 429  # 5 a minute from one address


def test_mon_compte_links_to_alerts_and_candidatures(client):
    client.force_login(UserFactory())
    page = client.get("/compte/").content.decode()
    assert 'href="/offres/alertes/"' in page and 'href="/candidatures/"' in page
