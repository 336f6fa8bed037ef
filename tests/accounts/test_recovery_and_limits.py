"""Ways back into an account, the links of every email, and the brakes on brute force."""

import html
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import (
    PASSWORD,
    CompanyUserFactory,
    UserFactory,
    reauthenticate,
    staff_login,
)

pytestmark = pytest.mark.django_db


def links_in(message):
    return re.findall(r"https?://[^\s\"<]+", message.body)


def text_of(response):
    return html.unescape(response.content.decode())


def path_of(url, settings):
    assert url.startswith(settings.SITE_URL), url
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a request and deliver the emails it queued (they leave after commit)."""

    def do(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return do


def test_every_link_of_the_account_already_exists_email_uses_the_public_address(
    client, mailoutbox, send, settings
):
    settings.SITE_URL = "https://al-in.example"
    UserFactory(email="jean@example.org")
    send(
        client.post,
        "/compte/signup/",
        {
            "civility": User.Civility.MONSIEUR,
            "last_name": "Dupont",
            "first_name": "Jean",
            "mobile_phone": "0612345678",
            "email": "jean@example.org",
            "data_consent": "on",
        },
    )
    [mail] = mailoutbox
    links = links_in(mail)
    assert "https://al-in.example/compte/login/" in links
    assert "https://al-in.example/compte/password/reset/" in links
    assert all(link.startswith("https://al-in.example") for link in links)
    assert "testserver" not in mail.body and "testserver" not in mail.alternatives[0][0]


def test_the_reset_email_for_an_unknown_address_offers_to_sign_up(
    client, mailoutbox, send, settings
):
    settings.SITE_URL = "https://al-in.example"
    page = send(client.post, "/compte/password/reset/", {"email": "inconnu@example.org"})
    assert page.status_code == 302
    [mail] = mailoutbox
    assert "https://al-in.example/compte/signup/" in links_in(mail)


def test_emails_carry_the_legal_footer_of_the_guide(client, mailoutbox, send):
    UserFactory(email="jean@example.org")
    send(client.post, "/compte/password/reset/", {"email": "jean@example.org"})
    [mail] = mailoutbox
    for text in (mail.body, mail.alternatives[0][0]):
        assert "Madame, Monsieur," in text
        assert "Bien cordialement," in text
        assert "Immatriculée à l'ORIAS sous le numéro 17006232" in text


def test_a_reset_link_names_every_broken_rule_then_signs_in(client, mailoutbox, send, settings):
    user = UserFactory(email="jean@example.org")
    send(client.post, "/compte/password/reset/", {"email": "Jean@Example.org"})
    [link] = [u for u in links_in(mailoutbox[0]) if "/password/reset/key/" in u]
    form_page = client.get(path_of(link, settings), follow=True)
    action = form_page.redirect_chain[-1][0]
    page = text_of(form_page)
    assert "Mise à jour du mot de passe" in page
    assert "ne doit pas être identique au nom d'utilisateur" in page  # before typing

    refused = text_of(client.post(action, {"password1": "jean", "password2": "jean"}))
    for rule in (
        "au moins 8 caractères",
        "au moins 1 chiffre",
        "identique au nom d'utilisateur",
        "au moins 1 lettre en majuscule",
    ):
        assert rule in refused
    done = client.post(
        action, {"password1": "Nouveau2026", "password2": "Nouveau2026"}, follow=True
    ).content.decode()
    assert "Votre mot de passe a été mis à jour." in done
    assert client.login(email="jean@example.org", password="Nouveau2026")
    user.refresh_from_db()
    assert not user.check_password(PASSWORD)


def test_a_used_reset_link_shows_a_way_to_get_a_new_one(client, mailoutbox, send, settings):
    UserFactory(email="jean@example.org")
    send(client.post, "/compte/password/reset/", {"email": "jean@example.org"})
    [link] = [u for u in links_in(mailoutbox[0]) if "/password/reset/key/" in u]
    action = client.get(path_of(link, settings), follow=True).redirect_chain[-1][0]
    client.post(action, {"password1": "Nouveau2026", "password2": "Nouveau2026"})
    page = text_of(client.get(path_of(link, settings), follow=True))
    assert "Ce lien n'est plus valide" in page
    assert "Recevoir un nouveau lien" in page


def test_a_person_who_validated_the_email_but_left_before_the_password_gets_a_way_back(
    client, mailoutbox, send, settings
):
    """The emailed link was used ("Valider votre email") but the browser closed before
    "Mise à jour du mot de passe": the person cannot sign in and the first link is
    spent; asking for a new link sends the link to choose the password."""
    user = UserFactory(email="parti@example.org")
    user.set_unusable_password()
    user.save()
    page = send(
        client.post, "/compte/nouveau-lien/", {"email": "Parti@example.org"}, follow=True
    ).content.decode()
    assert "un nouveau lien de confirmation vient de lui être envoyé" in page
    [mail] = mailoutbox
    assert mail.to == ["parti@example.org"]
    [link] = [u for u in links_in(mail) if "/password/reset/key/" in u]
    action = client.get(path_of(link, settings), follow=True).redirect_chain[-1][0]
    client.post(action, {"password1": "Logement2026", "password2": "Logement2026"})
    assert client.login(email="parti@example.org", password="Logement2026")


def test_asking_a_new_link_for_an_active_account_sends_nothing(client, mailoutbox, send):
    UserFactory(email="jean@example.org")
    page = send(
        client.post, "/compte/nouveau-lien/", {"email": "jean@example.org"}, follow=True
    ).content.decode()
    assert "un nouveau lien de confirmation vient de lui être envoyé" in page  # same answer
    assert mailoutbox == []


def test_a_password_without_a_validated_email_does_not_open_the_account(client, mailoutbox, send):
    user = UserFactory(email="attente@example.org", verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    page = send(
        client.post,
        "/compte/login/",
        {"login": "attente@example.org", "password": PASSWORD},
        follow=True,
    ).content.decode()
    assert "_auth_user_id" not in client.session
    assert "Validation du compte" in page
    assert "boîte mail attente@example.org" in html.unescape(re.sub(r"<[^>]+>", "", page))
    [mail] = mailoutbox  # the link is sent again
    assert mail.subject == "Action Logement Services : Demande d'accès"


def test_a_changed_email_replaces_the_old_one_once_validated(client, mailoutbox, send, settings):
    user = UserFactory(email="ancien@example.org")
    client.force_login(user)
    reauthenticate(client)
    page = send(
        client.post,
        "/compte/email/",
        {"action_add": "", "email": "Nouveau@Example.org"},
        follow=True,
    ).content.decode()
    assert "en attente de validation" in page and "nouveau@example.org" in page
    user.refresh_from_db()
    assert user.email == "ancien@example.org"  # unchanged until validated

    [mail] = mailoutbox
    assert mail.to == ["nouveau@example.org"]
    send(client.post, path_of(links_in(mail)[0], settings))
    user.refresh_from_db()
    assert user.email == "nouveau@example.org"
    # The old address is told, with a way to take the account back.
    warning = mailoutbox[-1]
    assert warning.to == ["ancien@example.org"]
    assert warning.subject == "Action Logement Services : Votre adresse email a été modifiée"
    assert "désormais nouveau@example.org" in warning.body
    assert f"{settings.SITE_URL}/compte/password/reset/" in links_in(warning)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("nouveau@example.org", True)
    ]
    client.logout()
    assert client.login(email="nouveau@example.org", password=PASSWORD)
    assert not client.login(email="ancien@example.org", password=PASSWORD)


def test_an_invalid_new_email_is_refused_in_french(client):
    client.force_login(UserFactory())
    reauthenticate(client)
    page = client.post("/compte/email/", {"action_add": "", "email": "pas une adresse"})
    assert "Saisissez une adresse email valide." in page.content.decode()


def test_a_reset_request_limit_says_how_many_seconds_to_wait(client, mailoutbox, send):
    UserFactory(email="jean@example.org")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            send(client.post, "/compte/password/reset/", {"email": "jean@example.org"})
        traveller.shift(20)
        refused = client.post("/compte/password/reset/", {"email": "JEAN@example.org"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "Veuillez réessayer dans 40 seconde(s)" in refused.content.decode()
    assert len(mailoutbox) == 3


def test_the_new_link_limit_says_how_long_to_wait(client, send):
    for _ in range(5):
        send(client.post, "/compte/nouveau-lien/", {"email": "x@example.org"})
    refused = client.post("/compte/nouveau-lien/", {"email": "x@example.org"})
    assert refused.status_code == 429
    assert "Veuillez réessayer dans 1 minute(s)" in refused.content.decode()


def test_a_company_account_created_by_an_advisor_chooses_its_password_and_signs_in(
    admin_client_for_advisor, mailoutbox, send, settings
):
    send(
        admin_client_for_advisor.post,
        "/admin/accounts/user/add/",
        {
            "email": "rh@entreprise.example",
            "role": User.Role.COMPANY,
            "civility": User.Civility.MONSIEUR,
            "last_name": "Bernard",
            "first_name": "Luc",
            "mobile_phone": "",
        },
    )
    user = User.objects.get(email="rh@entreprise.example")
    assert user.role == User.Role.COMPANY and not user.is_staff and user.is_company
    [mail] = mailoutbox
    [link] = [u for u in links_in(mail) if "/password/reset/key/" in u]
    from django.test import Client

    person = Client()
    action = person.get(path_of(link, settings), follow=True).redirect_chain[-1][0]
    person.post(action, {"password1": "Recrutement2026", "password2": "Recrutement2026"})
    assert person.login(email="rh@entreprise.example", password="Recrutement2026")


def test_an_advisor_cannot_create_a_second_account_with_a_known_address(
    admin_client_for_advisor,
):
    CompanyUserFactory(email="rh@entreprise.example")
    page = admin_client_for_advisor.post(
        "/admin/accounts/user/add/",
        {
            "email": "RH@entreprise.example",
            "role": User.Role.COMPANY,
            "civility": User.Civility.MONSIEUR,
        },
    )
    assert "Un compte existe déjà avec cette adresse email." in page.content.decode()
    assert User.objects.filter(email="rh@entreprise.example").count() == 1


@pytest.fixture
def admin_client_for_advisor(client):
    from tests.accounts.factories import AdvisorFactory

    staff_login(client, AdvisorFactory())
    return client


def test_a_password_change_is_notified_to_the_owner(client, mailoutbox, send, settings):
    user = UserFactory(email="jean@example.org")
    client.force_login(user)
    send(
        client.post,
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": "Changement2026", "password2": "Changement2026"},
    )
    [mail] = mailoutbox
    assert mail.to == ["jean@example.org"]
    assert mail.subject == "Action Logement Services : Votre mot de passe a été modifié"
    assert "Si vous n'êtes pas à l'origine de cette modification" in mail.body
    assert "Votre mot de passe a été modifié." in mail.alternatives[0][0]


def test_taking_someone_elses_address_is_neither_revealed_nor_possible(
    client, mailoutbox, send, settings
):
    owner = UserFactory(email="zoe@example.org")
    user = UserFactory(email="jean@example.org")
    client.force_login(user)
    reauthenticate(client)
    page = send(
        client.post, "/compte/email/", {"action_add": "", "email": "zoe@example.org"}, follow=True
    )
    assert page.status_code == 200
    assert "en attente de validation" in page.content.decode()  # as for a free address
    [mail] = mailoutbox
    response = client.post(path_of(links_in(mail)[0], settings), follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    owner.refresh_from_db()
    assert user.email == "jean@example.org"
    assert owner.email == "zoe@example.org"
    assert EmailAddress.objects.get(email="zoe@example.org", verified=True).user == owner


def test_the_sign_in_address_is_not_case_sensitive(client):
    user = UserFactory(email="jean@example.org")
    response = client.post("/compte/login/", {"login": " Jean@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_gets_one_message_that_reveals_nothing(client):
    UserFactory(email="jean@example.org")
    wrong = client.post("/compte/login/", {"login": "jean@example.org", "password": "Faux2026"})
    unknown = client.post("/compte/login/", {"login": "x@example.org", "password": "Faux2026"})
    message = "L'adresse email ou le mot de passe est incorrect."
    assert message in text_of(wrong) and message in text_of(unknown)


def test_an_advisor_sends_a_new_password_link_from_the_list(client, mailoutbox, send):
    from tests.accounts.factories import AdvisorFactory

    staff_login(client, AdvisorFactory())
    landlord = CompanyUserFactory(email="rh@entreprise.example")
    send(
        client.post,
        "/admin/accounts/user/",
        {"action": "send_password_link", "_selected_action": [landlord.pk]},
    )
    [mail] = mailoutbox
    assert mail.to == ["rh@entreprise.example"]
    assert "/compte/password/reset/key/" in mail.body
