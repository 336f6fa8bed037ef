import pytest
from django.urls import reverse

SHELL_PAGES = [
    ("core:home", "Simplifiez votre recherche de logement social avec Action Logement"),
    ("core:help", "Besoin d'aide"),
    ("core:legal", "Mentions légales"),
    ("core:privacy", "Mentions d'informations RGPD"),
    ("core:contact", "Nous contacter"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), SHELL_PAGES)
def test_every_shell_page_renders_in_french_for_anonymous_visitors(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert heading in html
    assert "Se connecter" in html
    assert "Besoin d'aide" in html
    assert "0 970 800 800" in html
    assert 'href="#contenu"' in html  # skip link for keyboard users


@pytest.mark.django_db
def test_home_presents_the_service_and_its_rules(client):
    html = client.get("/").content.decode()
    assert "Numéro Unique" in html
    assert "Pour 1 personne : <strong>T1/T2</strong>" in html
    assert "environ 3 fois le montant du loyer" in html
    assert "Créer mon compte" in html


@pytest.mark.django_db
def test_pages_load_no_asset_from_another_site(client):
    html = client.get("/").content.decode()
    for tag in ('<script src="http', '<link rel="stylesheet" href="http'):
        assert tag not in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "htmx" in html


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
