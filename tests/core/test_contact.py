import pytest

from core.models import ContactMessage, OutgoingEmail

VALID = {
    "name": "Jean   Dupont",
    "email": "jean.dupont@example.org",
    "subject": "demande",
    "message": "Je n'arrive pas à importer ma demande.",
}


@pytest.mark.django_db
def test_a_valid_message_is_stored_and_emailed_to_support(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", VALID, follow=True)
    assert "Votre message a bien été envoyé" in response.content.decode()
    stored = ContactMessage.objects.get()
    assert stored.name == "Jean Dupont"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [settings.SUPPORT_EMAIL]
    assert "Ma demande de logement social" in mailoutbox[0].subject
    assert "Je n'arrive pas à importer ma demande." in mailoutbox[0].body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "pas-une-adresse", "Saisissez une adresse email valide."),
        ("email", "", "Indiquez votre adresse email."),
        ("name", "", "Indiquez votre nom et votre prénom."),
        ("subject", "inconnu", "Sélectionnez un choix valide"),
        ("message", "", "Écrivez votre message."),
        ("message", "x" * 5001, "Assurez-vous que cette valeur comporte au plus 5000 caractères"),
        ("name", "😀" * 151, "au plus 150 caractères"),
    ],
)
def test_an_invalid_message_shows_a_french_error_and_stores_nothing(
    client, mailoutbox, field, value, error
):
    response = client.post("/contact/", {**VALID, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_message_reaches_a_real_smtp_server(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", VALID)
    assert len(smtp_sink) == 1
    assert smtp_sink[0]["To"] == "support@alin.example"
    assert "Je n'arrive pas" in smtp_sink[0].get_payload(decode=True).decode()
