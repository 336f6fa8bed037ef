"""Choice 4: HR acts for the applicant; every act is recorded as done by HR on the
applicant's behalf and notified to the applicant."""

from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import User
from candidatures.models import Candidature, CandidatureEvent, Notification
from candidatures.workflow import Status
from demandes import extensions
from entreprises.models import Access
from tests.demandes.factories import registry_record
from tests.entreprises.factories import CompanyFactory, siret_of
from tests.offres.factories import OfferFactory


def text(response):
    return unescape(response.content.decode())


def test_every_delegated_act_is_logged_and_notified(
    client, hr, employee, place, mailoutbox, django_capture_on_commit_callbacks
):
    demande = employee(4, documents_confirmed_at=None)
    registry_record(
        number=demande.number,
        demandeur={
            "civilite": "M",
            "nom_naissance": demande.birth_name,
            "nom_usage": "",
            "prenom": demande.first_name,
            "date_naissance": "1990-05-17",
            "handicap": False,
        },
        communes_souhaitees=[place.insee_code],
        ressources_mensuelles=2400,
        revenu_fiscal_reference=20000,
    )
    offer = OfferFactory(commune=place)
    hr.user.first_name, hr.user.last_name = "Rita", "RH"
    hr.user.save()
    client.force_login(hr.user)
    url = reverse("entreprises:employee", args=[demande.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = text(client.post(reverse("entreprises:refresh", args=[demande.pk]), follow=True))
        assert "La demande a été mise à jour." in page
        client.post(
            reverse("entreprises:professional", args=[demande.pk]),
            {"professional_situation": "cdd", "siret": demande.siret, "company_code": ""},
        )
        client.post(reverse("entreprises:confirm_documents", args=[demande.pk]))
        assert offer.title in text(client.get(reverse("entreprises:apply", args=[demande.pk])))
        client.post(reverse("entreprises:apply", args=[demande.pk]), {"offer": offer.pk})
        assert "Annuler la candidature" in text(client.get(url))
        client.post(reverse("entreprises:cancel", args=[demande.pk]))

    demande.refresh_from_db()
    assert demande.professional_situation == "cdd" and demande.documents_confirmed_at
    candidature = Candidature.objects.get(applicant=demande.user)
    assert candidature.status == Status.CANCELLED
    cancel = CandidatureEvent.objects.get(candidature=candidature, transition="cancel")
    assert cancel.actor == hr.user and "pour votre compte" in cancel.reason
    applied = CandidatureEvent.objects.get(candidature=candidature, transition="apply")
    assert applied.actor == hr.user

    acts = list(Access.objects.filter(applicant=demande.user, kind=Access.Kind.ACT).order_by("pk"))
    assert [a.detail.split(" ")[0] for a in acts] == [
        "mise",
        "situation",
        "dépôt",
        "candidature",
        "candidature",
    ]
    assert all(a.reader == hr.user and a.level == 4 for a in acts)
    told = [n.message for n in Notification.objects.filter(user=demande.user)]
    assert sum("Rita RH, de votre entreprise" in m for m in told) == 5
    mails = [m for m in mailoutbox if "a agi pour votre compte" in m.body]
    assert len(mails) == 5 and all(m.to == [demande.user.email] for m in mails)

    client.force_login(demande.user)
    page = text(client.get(reverse("company_accesses")))
    assert "Action pour le compte du salarié : dépôt des pièces justificatives confirmé" in page


def test_hr_cannot_act_without_delegation(client, hr, employee):
    demande = employee(3, documents_confirmed_at=None)
    client.force_login(hr.user)
    for name in ("refresh", "confirm_documents", "cancel"):
        assert client.post(reverse(f"entreprises:{name}", args=[demande.pk])).status_code == 404
    for name in ("professional", "apply"):
        assert client.get(reverse(f"entreprises:{name}", args=[demande.pk])).status_code == 404
    demande.refresh_from_db()
    assert demande.documents_confirmed_at is None
    assert not Access.objects.filter(kind=Access.Kind.ACT).exists()


def test_hrs_professional_fields_follow_the_mini_forms_rules(client, hr, employee):
    demande = employee(4)
    client.force_login(hr.user)
    page = text(
        client.post(
            reverse("entreprises:professional", args=[demande.pk]),
            {"professional_situation": "cdd", "siret": "123", "company_code": "INCONNU"},
        )
    )
    assert "Le SIRET comporte 14 chiffres." in page
    page = text(
        client.post(
            reverse("entreprises:professional", args=[demande.pk]),
            {"professional_situation": "cdd", "siret": demande.siret, "company_code": "INCONNU"},
        )
    )
    assert "Ce Code Entreprise ne correspond à aucune entreprise" in page
    demande.refresh_from_db()
    assert demande.professional_situation == "cdi"


MINI_FORM = {
    "civility": User.Civility.MONSIEUR,
    "usage_name": "DUPONT",
    "email": "jean@example.org",
    "mobile_phone": "0612345678",
    "landline_phone": "",
    "professional_situation": "cdi",
    "data_sharing": "3",
}


def test_the_code_entreprise_of_the_mini_form_is_checked_against_known_companies(client, employee):
    acme = CompanyFactory(code="ACME")
    other = CompanyFactory()
    demande = employee(2)
    client.force_login(demande.user)
    url = reverse("demandes:information")
    page = text(client.post(url, {**MINI_FORM, "siret": siret_of(acme), "company_code": "NOPE"}))
    assert "Ce Code Entreprise ne correspond à aucune entreprise" in page
    page = text(client.post(url, {**MINI_FORM, "siret": siret_of(other), "company_code": "acme"}))
    assert f"Ce Code Entreprise est celui de l'entreprise {acme.name}" in page
    demande.refresh_from_db()
    assert demande.company_code == "" and demande.data_sharing == 2  # nothing saved
    response = client.post(url, {**MINI_FORM, "siret": siret_of(acme), "company_code": " acme "})
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.company_code == "ACME" and demande.siret == siret_of(acme)


def test_a_code_without_any_registered_check_fails_loudly(monkeypatch):
    monkeypatch.setattr(extensions, "_code_checkers", [])
    assert extensions.check_company_code("", []) is None
    with pytest.raises(ImproperlyConfigured, match="entreprises"):
        extensions.check_company_code("ACME", [])


def test_hr_applying_for_the_employee_is_emailed_to_the_requests_contact_naming_its_applicants(
    client, hr, employee, place, mailoutbox, django_capture_on_commit_callbacks
):
    demande = employee(4, civility=User.Civility.MONSIEUR, email="famille.nguyen@yopmail.com")
    offer = OfferFactory(commune=place)
    client.force_login(hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("entreprises:apply", args=[demande.pk]), {"offer": offer.pk})
    assert Candidature.objects.filter(applicant=demande.user).exists()
    news = [m for m in mailoutbox if "a agi pour votre compte" in m.body]
    assert [m.to for m in news] == [["famille.nguyen@yopmail.com"], [demande.user.email]]
    for mail in news:
        assert f"Demande de logement social n° {demande.number} — Monsieur " in mail.body
        assert demande.applicants_names in mail.body
