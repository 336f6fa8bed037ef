"""The notifications' admin pages answer (they were a 500: FieldError `active_first`)."""

import pytest

from candidatures.models import Notification
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.candidatures.factories import CandidatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor_client(client):
    staff_login(client, AdvisorFactory())
    return client


def test_add_page_answers_and_creates_a_notification(advisor_client):
    candidature = CandidatureFactory()
    response = advisor_client.get("/admin/candidatures/notification/add/")
    assert response.status_code == 200
    response = advisor_client.post(
        "/admin/candidatures/notification/add/",
        {
            "user": candidature.applicant.pk,
            "candidature": candidature.pk,
            "message": "Votre dossier a été reçu.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notification = Notification.objects.get()
    assert (notification.user, notification.candidature) == (candidature.applicant, candidature)


def test_change_page_answers_and_shows_the_candidature(advisor_client):
    candidature = CandidatureFactory()
    notification = Notification.objects.create(
        user=candidature.applicant, candidature=candidature, message="Candidature validée."
    )
    response = advisor_client.get(f"/admin/candidatures/notification/{notification.pk}/change/")
    assert response.status_code == 200
    assert "Candidature validée." in response.content.decode()
    changelist = advisor_client.get("/admin/candidatures/notification/")
    assert changelist.status_code == 200
