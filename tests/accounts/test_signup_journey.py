"""Chapter "#2 Créer son compte" of the guide, through the test client."""

import re
from email.header import decode_header, make_header

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "civility": User.Civility.MONSIEUR,
    "last_name": "Dupont",
    "first_name": "Jean",
    "mobile_phone": "06 12 34 56 78",
    "email": "DupontJean@yopmail.com",
    "data_consent": "on",
}
GOOD_PASSWORD = "Logement2026"


def link_in(message):
    return re.search(r"http://[^\s\"<]+", message.body).group(0)


def path_of(url):
    return url.split("8000", 1)[1]


@pytest.fixture
def signup(client, mailoutbox, django_capture_on_commit_callbacks):
    def do(data=SIGNUP):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/compte/signup/", data, follow=True)

    return do


def test_an_applicant_creates_the_account_validates_the_email_and_signs_in(
    client, signup, mailoutbox, settings
):
    page = signup().content.decode()
    assert "Validation du compte" in page
    assert "boîte mail <strong>dupontjean@yopmail.com</strong>" in page

    user = User.objects.get(email="dupontjean@yopmail.com")
    assert (user.civility, user.last_name, user.first_name) == (
        User.Civility.MONSIEUR,
        "Dupont",
        "Jean",
    )
    assert str(user.mobile_phone) == "+33612345678"
    assert user.data_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert user.data_consent_at is not None
    assert not user.has_usable_password()

    [mail] = mailoutbox
    assert mail.subject == "Action Logement Services : Demande d'accès"
    assert "Ce lien expire dans 12 heure(s)." in mail.body
    assert "Cliquez ici" in mail.alternatives[0][0]
    link = link_in(mail)
    assert link.startswith(settings.SITE_URL + "/compte/confirm-email/")

    # Cannot sign in yet: no password, email not validated.
    refused = client.post("/compte/login/", {"login": user.email, "password": "x"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session

    page = client.get(path_of(link)).content.decode()
    assert "Dernière étape avant la validation de votre compte" in page
    assert "Valider votre email" in page
    response = client.post(path_of(link), follow=True)
    page = response.content.decode()
    assert "Mise à jour du mot de passe" in page
    assert "doit contenir au moins 8 caractères" in page  # rules shown before typing
    set_password_url = response.redirect_chain[-1][0]

    weak = client.post(set_password_url, {"new_password1": "court", "new_password2": "court"})
    errors = weak.content.decode()
    assert "au moins 8 caractères" in errors
    assert "au moins 1 chiffre" in errors
    assert "au moins 1 lettre en majuscule" in errors

    done = client.post(
        set_password_url,
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        follow=True,
    ).content.decode()
    assert "Votre compte a été créé." in done
    assert "Revenir à l'application" in done

    # The link to choose the first password works once.
    again = client.get(set_password_url)
    assert again.status_code == 400
    assert "Ce lien n'est plus valide" in again.content.decode()

    signed_in = client.post(
        "/compte/login/", {"login": "dupontjean@yopmail.com", "password": GOOD_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_validation_link_expires_after_12_hours(client, signup, mailoutbox):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signup()
        link = path_of(link_in(mailoutbox[0]))
        traveller.shift(11 * 3600 + 59 * 60)
        assert "Dernière étape" in client.get(link).content.decode()  # still valid
        traveller.shift(2 * 60)
        page = client.get(link).content.decode()
    assert "Ce lien n'est plus valide" in page
    assert "Recevoir un nouveau lien" in page
    assert not User.objects.get().emailaddress_set.get().verified


def test_a_used_validation_link_says_so(client, signup, mailoutbox):
    signup()
    link = path_of(link_in(mailoutbox[0]))
    client.post(link)
    page = client.get(link).content.decode()
    assert "Dernière étape" not in page
    assert "Lien déjà utilisé" in page or "Ce lien n'est plus valide" in page


def test_an_expired_link_can_be_replaced(
    client, signup, mailoutbox, django_capture_on_commit_callbacks
):
    signup()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/compte/nouveau-lien/", {"email": "dupontjean@yopmail.com"}, follow=True
        ).content.decode()
    assert "un nouveau lien de confirmation vient de lui être envoyé" in page
    # allauth's cooldown: the first email was sent less than 3 minutes ago.
    assert len(mailoutbox) == 0


def test_after_expiry_a_new_link_is_sent_and_works(
    client, signup, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signup()
        old_link = path_of(link_in(mailoutbox[0]))
        traveller.shift(13 * 3600)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/compte/nouveau-lien/", {"email": "DupontJean@yopmail.com"})
        assert len(mailoutbox) == 2
        new_link = path_of(link_in(mailoutbox[1]))
        assert new_link != old_link
        assert "Ce lien n'est plus valide" in client.get(old_link).content.decode()
        page = client.post(new_link, follow=True).content.decode()
    assert "Mise à jour du mot de passe" in page
    assert User.objects.get().emailaddress_set.get().verified


def test_signing_up_again_with_a_known_address_reveals_nothing(client, signup, mailoutbox):
    owner = UserFactory(email="dupontjean@yopmail.com")
    page = signup().content.decode()
    assert "Validation du compte" in page  # the same page as for a new address
    assert "boîte mail <strong>dupontjean@yopmail.com</strong>" in page
    assert User.objects.count() == 1
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "vous avez déjà un compte" in mail.body


def text_part(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset())
    raise AssertionError("no text part")


def finish_the_journey_from(message, client, settings):
    """Follow the link of a delivered email up to signing in."""
    link = re.search(r"http://[^\s]+", text_part(message)).group(0)
    assert link.startswith(settings.SITE_URL + "/compte/confirm-email/")
    response = client.post(link.removeprefix(settings.SITE_URL), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        follow=True,
    )
    assert "Votre compte a été créé." in done.content.decode()
    return client.login(email="dupontjean@yopmail.com", password=GOOD_PASSWORD)


def test_the_confirmation_email_reaches_a_real_smtp_server(
    client, smtp_sink, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/signup/", SIGNUP)
    [message] = smtp_sink
    assert message["To"] == "dupontjean@yopmail.com"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Action Logement Services : Demande d'accès"
    assert message.is_multipart()  # text and HTML
    assert "Ce lien expire dans 12 heure(s)." in text_part(message)
    assert finish_the_journey_from(message, client, settings)
