"""The acceptance story on the demo data of `make run`: an applicant applies, an advisor
validates and forwards in the admin, the landlord records the visit and the committee
decision and downloads the PDF, the applicant sees each step."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from candidatures.models import Candidature
from candidatures.workflow import Status
from core.models import OutgoingEmail
from offres.models import Offer
from tests.accounts.factories import staff_login


def days_ago(days):
    """A past date: visits, committees and leases are recorded once they happened."""
    import datetime

    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


@pytest.mark.django_db
def test_the_demo_covers_the_pipeline_and_the_acceptance_story(client):
    call_command("demo", stdout=StringIO())
    demo = set(Candidature.objects.values_list("status", flat=True))
    assert {
        Status.SUBMITTED,
        Status.VALIDATED,
        Status.INVALIDATED,
        Status.FORWARDED,
        Status.VISIT,
        Status.ATTRIBUTED,
        Status.NOT_ATTRIBUTED,
        Status.MOVED_IN,
        Status.CANCELLED,
    } <= demo
    count = Candidature.objects.count()
    call_command("demo", stdout=StringIO())
    assert Candidature.objects.count() == count  # idempotent
    assert not OutgoingEmail.objects.filter(to__contains="demo.candidat").exists()

    # The applicant of the demo applies to the first offer open to them.
    applicant = User.objects.get(email="candidat@alin.example")
    offer = Offer.objects.open_to(applicant.demande).order_by("pk").first()
    client.force_login(applicant)
    assert "Je postule" in text(client.get(f"/offres/{offer.pk}/"))
    done = text(client.post(f"/candidatures/postuler/{offer.pk}/", follow=True))
    assert "Ce logement a bien été ajouté à vos candidatures" in done
    candidature = Candidature.objects.active().get(applicant=applicant)

    staff_login(client, User.objects.get(email="conseiller@alin.example"))
    for action in ("validate", "forward"):
        client.post(
            "/admin/candidatures/candidature/",
            {"action": action, "_selected_action": [candidature.pk]},
        )
    candidature.refresh_from_db()
    assert candidature.status == Status.FORWARDED

    staff = offer.landlord.members.first().user
    client.force_login(staff)
    assert candidature.number in text(client.get("/bailleur/candidatures/"))
    pdf = client.get(f"/bailleur/candidatures/{candidature.pk}/dossier.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    client.post(
        f"/bailleur/candidatures/{candidature.pk}/visite/", {"visit_at": f"{days_ago(12)}T10:30"}
    )
    client.post(
        f"/bailleur/candidatures/{candidature.pk}/decision/",
        {"decision": "attribute", "committee_on": days_ago(10).isoformat(), "rank": "1"},
    )

    client.force_login(applicant)
    page = text(client.get("/candidatures/"))
    for step in (
        "Vous avez postulé sur ce logement.",
        "Action Logement a validé votre candidature.",
        "Votre dossier a été transmis au bailleur.",
        "Le bailleur a programmé une visite du logement.",
        "La commission d'attribution (CALEOL) vous a attribué le logement.",
    ):
        assert step in page
    assert "J'accepte ce logement" in page


@pytest.mark.django_db
def test_the_demo_publishes_a_year_of_allocations_with_bands(client):
    call_command("demo", stdout=StringIO())
    page = text(client.get("/resultats-des-attributions/"))
    assert "13 logements attribués" in page
    # Bands shared by at least 5 allocations are published, never a smaller one.
    assert "Prioritaire : oui ; désigné par son entreprise : non : 6 attributions" in page
    assert "Prioritaire : non ; désigné par son entreprise : non : 7 attributions" in page
    assert "Non publié" not in page
