"""The demo of `make run`: demandeur@alin.example imports a demo request end to end."""

import datetime
import re
from html import unescape
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts import demo as accounts_demo
from demandes import demo
from demandes.models import Demande, RegistryRecord
from demandes.services import identity_mismatch
from offres import demo as offres_demo

pytestmark = pytest.mark.django_db
DEMO_DEPARTMENTS = ["75", "92", "93", "94", "69", "13", "33", "31", "44", "59"]


def test_the_demo_applicant_imports_the_number_printed_by_the_demo(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("load_communes", departments=DEMO_DEPARTMENTS, stdout=StringIO())
    out = StringIO()
    accounts_demo.load(out)
    demo.load(out)
    number = re.search(r"Numéro Unique (\w{18})", out.getvalue()).group(1)
    assert number == demo.GUIDE_NUMBER

    client.post("/compte/login/", {"login": "demandeur@alin.example", "password": "Demo2026!"})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/demande/importer/", {"number": number}, follow=True)
    assert "*****@yopmail.com" in unescape(page.content.decode())
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    client.post("/demande/code/", {"code": code})

    demande = Demande.objects.get(user__email="demandeur@alin.example")
    assert demande.number == number
    assert demande.desired_communes.count() == 3

    again = StringIO()
    demo.load(again)  # idempotent, and says the request is imported
    assert "0 créé(s), 43 mis à jour, 0 refusé(s)" in again.getvalue()
    assert f"a déjà importé la demande {number}" in again.getvalue()


def test_the_demo_shows_each_moment_of_a_requests_life_under_its_own_login(client):
    call_command("load_communes", departments=DEMO_DEPARTMENTS, stdout=StringIO())
    out = StringIO()
    accounts_demo.load(out)
    logins = {email: label for label, email, _ in demo.load(out)}
    assert logins["demandeur.couple@alin.example"] == "Couple avec co-demandeur"
    assert logins["demandeur.arenouveler@alin.example"] == "Demande à renouveler ce mois-ci"
    assert logins["demandeur.expiree@alin.example"] == "Demande expirée (non renouvelée)"
    assert "demandeur.historique@alin.example" in logins

    def page(email, url="/ma-situation/"):
        client.logout()
        client.post("/compte/login/", {"login": email, "password": "Demo2026!"})
        html = unescape(client.get(url).content.decode())
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    couple = page("demandeur.couple@alin.example")
    assert "Demandeur 2 Madame Marie NGUYEN (née TRAN)" in couple
    assert "jeune ménage" in couple
    assert "est à renouveler" in page("demandeur.arenouveler@alin.example")
    assert "n'est plus valable depuis le" in page("demandeur.expiree@alin.example")
    client.logout()
    client.post(
        "/compte/login/", {"login": "demandeur.historique@alin.example", "password": "Demo2026!"}
    )
    assert client.post("/demande/mettre-a-jour/").url == "/demande/valider/"

    demo.load(StringIO())  # idempotent
    assert Demande.objects.filter(user__email__startswith="demandeur.").count() == 4


def test_loaded_any_day_the_demo_logins_keep_their_story(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """The registry file's dates are fixed; the logins' stories follow the day the demo
    is loaded: valid requests stay valid (the guide's number, candidat@, sansoffre@),
    the one to renew is to renew, the expired one is expired."""
    call_command("load_communes", departments=DEMO_DEPARTMENTS, stdout=StringIO())

    def page(email):
        client.logout()
        client.post("/compte/login/", {"login": email, "password": "Demo2026!"})
        html = unescape(client.get("/ma-situation/").content.decode())
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    for day in (datetime.datetime(2028, 3, 1, 9), datetime.datetime(2029, 9, 15, 9)):
        with time_machine.travel(day.replace(tzinfo=datetime.UTC), tick=False):
            accounts_demo.load(StringIO())
            demo.load(StringIO())
            offres_demo._applicant_without_offers()
            if not Demande.objects.filter(user__email="demandeur@alin.example").exists():
                client.post(
                    "/compte/login/", {"login": "demandeur@alin.example", "password": "Demo2026!"}
                )
                with django_capture_on_commit_callbacks(execute=True):
                    client.post("/demande/importer/", {"number": demo.GUIDE_NUMBER})
                code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
                done = client.post("/demande/code/", {"code": code})
                assert done.status_code == 302, unescape(done.content.decode())[-3000:]
            # demandeur@ imported the guide's number (its mini-form still to fill).
            guide = Demande.objects.get(user__email="demandeur@alin.example")
            assert not guide.is_expired and not guide.to_renew_soon, day
            for email in (
                "candidat@alin.example",
                "demandeur.sansoffre@alin.example",
                "demandeur.couple@alin.example",
            ):
                situation = page(email)
                assert "Valable jusqu'au" in situation, (day, email)
                assert "n'est plus valable" not in situation, (day, email)
            assert "est à renouveler" in page("demandeur.arenouveler@alin.example")
            assert "n'est plus valable depuis le" in page("demandeur.expiree@alin.example")

    # One identity: each demo account is its request's applicant or co-applicant (the
    # demo imports without the code page, which would otherwise ask to confirm).
    for demande in Demande.objects.select_related("user"):
        record = RegistryRecord.objects.get(number=demande.number).data
        assert not identity_mismatch(demande.user, record), demande.user.email
