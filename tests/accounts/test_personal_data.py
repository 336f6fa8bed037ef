"""The RGPD rights: everything held about a person is downloadable, and deleting the
account takes the data of every app with it (the apps hook in through
accounts.personal_data, accounts imports none of them)."""

import json

import pytest
from django.utils import timezone

from accounts import personal_data
from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory, reauthenticate

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_app_holding_data(monkeypatch):
    """An app to the right of accounts, registered as in its AppConfig.ready()."""
    erased = []
    monkeypatch.setattr(personal_data, "_exporters", dict(personal_data._exporters))
    monkeypatch.setattr(personal_data, "_erasers", list(personal_data._erasers))
    personal_data.register_exporter("alertes", lambda user: [{"commune": "Lyon"}])
    personal_data.register_eraser(erased.append)
    return erased


def test_the_export_holds_the_account_the_consent_and_each_apps_data(
    client, an_app_holding_data, settings
):
    user = UserFactory(
        email="zoe@example.org",
        first_name="Zoé",
        last_name="N'Guessan",
        mobile_phone="+33781234567",
        data_consent_at=timezone.now(),
        data_consent_version=settings.PRIVACY_NOTICE_VERSION,
    )
    client.force_login(user)
    response = client.get("/compte/mes-donnees.json")
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-alin.json"'
    data = json.loads(response.content.decode("utf-8"))
    assert data["compte"] | {"inscrit_le": None, "derniere_connexion": None} == {
        "email": "zoe@example.org",
        "civilite": "Madame",
        "nom_de_naissance": "N'Guessan",
        "prenom": "Zoé",
        "telephone_portable": "+33781234567",
        "role": "Demandeur",
        "inscrit_le": None,
        "derniere_connexion": None,
        "consentement_donnees": {
            "date": user.data_consent_at.isoformat(),
            "version_notice": settings.PRIVACY_NOTICE_VERSION,
        },
    }
    assert data["alertes"] == [{"commune": "Lyon"}]
    assert "Zoé" in response.content.decode("utf-8")  # readable, not \\u-escaped


def test_the_export_is_for_signed_in_people_only(client):
    response = client.get("/compte/mes-donnees.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_deleting_the_account_runs_every_apps_eraser_and_keeps_no_identity(
    client, an_app_holding_data
):
    user = UserFactory(email="zoe@example.org", mobile_phone="+33781234567")
    client.force_login(user)
    reauthenticate(client)
    page = client.post("/compte/supprimer/", {"confirm": "on"}, follow=True)
    assert "Votre compte a été supprimé." in page.content.decode()
    assert an_app_holding_data == [user]
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.civility, str(user.mobile_phone)) == (
        "",
        "",
        "",
        "",
    )
    assert user.email.endswith("@anonyme.invalid") and not user.has_usable_password()
    # The address is free again: the person may sign up anew later.
    assert not User.objects.filter(email="zoe@example.org").exists()
    assert not client.login(email="zoe@example.org", password=PASSWORD)


def test_a_failing_eraser_deletes_nothing(client, monkeypatch):
    monkeypatch.setattr(personal_data, "_erasers", [])

    def broken(user):
        raise RuntimeError("panne")

    personal_data.register_eraser(broken)
    user = UserFactory(email="zoe@example.org")
    from accounts.services import delete_account

    with pytest.raises(RuntimeError):
        delete_account(user=user)
    user.refresh_from_db()
    assert user.email == "zoe@example.org" and user.is_active


def test_a_deleted_person_may_sign_up_again_with_the_same_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="zoe@example.org")
    client.force_login(user)
    reauthenticate(client)
    client.post("/compte/supprimer/", {"confirm": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compte/signup/",
            {
                "civility": User.Civility.MADAME,
                "last_name": "Martin",
                "first_name": "Zoé",
                "mobile_phone": "0781234567",
                "email": "zoe@example.org",
                "data_consent": "on",
            },
        )
    new = User.objects.get(email="zoe@example.org")
    assert new.pk != user.pk and new.is_active
    [mail] = mailoutbox
    assert mail.subject == "Action Logement Services : Demande d'accès"
