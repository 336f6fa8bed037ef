"""The public shell of the portal, as a visitor meets it on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_home_page_and_finds_help(live_server, page, axe, console_errors):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Simplifiez votre recherche de logement social"
    )
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    expect(page.get_by_text("0 970 800 800").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Besoin d'aide").first.click()
    expect(page).to_have_title(re.compile("Besoin d'aide"))
    question = page.get_by_role("button", name="Qu'est-ce que le Numéro Unique (NUD ou NUR) ?")
    question.click()
    expect(page.get_by_text("identifiant indispensable")).to_be_visible()
    axe(page)
    assert console_errors == []


def test_a_visitor_writes_to_support_with_the_keyboard(live_server, page, axe, mailoutbox):
    page.goto(f"{live_server.url}/contact/")
    axe(page)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Indiquez votre adresse email.")).to_be_visible()
    axe(page)

    page.get_by_label("Nom et prénom").focus()
    page.keyboard.type("Jean Dupont")
    page.keyboard.press("Tab")
    page.keyboard.type("jean.dupont@example.org")
    page.get_by_label("Sujet").select_option(label="Ma candidature")
    page.get_by_label("Message").fill("Où en est ma candidature ?")
    page.get_by_label("Message").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Votre message a bien été envoyé.")).to_be_visible()
    assert [m.subject for m in mailoutbox] == ["[AL'in] Message de contact : Ma candidature"]


def test_the_skip_link_takes_keyboard_users_to_the_content(live_server, page):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
