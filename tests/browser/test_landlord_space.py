"""Every page of the landlord space in a real browser: at 360 px nothing scrolls
sideways (cards and stacked blocks instead of tables), at 1280 px too; axe-core on each.
The offer form's commune is found by name with the applicants' autocomplete."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import expect

from api import services as api_services
from candidatures.workflow import Status
from tests.candidatures.factories import CandidatureFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANDLORD_NAMESPACES = ("bailleur", "bailleur_candidatures", "bailleur_api")


def landlord_pages():
    """The URL names of the landlord space answering GET with a page (POST-only
    actions and the PDF are left out)."""
    names = []

    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and ns in LANDLORD_NAMESPACES and p.name:
                yield f"{ns}:{p.name}"

    post_only = {"publish", "close", "delete", "remove", "resend", "admin", "revoke", "visit"}
    for name in walk(get_resolver().url_patterns):
        action = name.split(":")[1]
        if any(word in action for word in post_only) or action in ("decision", "lease", "pdf"):
            continue
        names.append(name)
    return sorted(set(names))


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width}px de large pour {viewport}px"


def test_no_landlord_page_scrolls_sideways(live_server, page, axe, viewport):
    commune = CommuneFactory()
    membership = LandlordMembershipFactory(is_admin=True)
    LandlordMembershipFactory(landlord=membership.landlord)
    offer = OfferFactory(
        landlord=membership.landlord,
        commune=commune,
        title="Appartement T3 très lumineux avec balcon filant et vue dégagée sur le parc",
        reference="REFERENCE-TRES-LONGUE-DU-LOGICIEL-DU-BAILLEUR-0001",
    )
    for n in range(30):
        OfferFactory(landlord=membership.landlord, commune=commune, reference=f"R-{n}")
    candidature = CandidatureFactory(offer=offer, status=Status.FORWARDED)
    api_services.create_key(landlord=membership.landlord, name="Logiciel", by=membership.user)
    args = {
        "bailleur:offer_edit": [offer.pk],
        "bailleur:offer_photos": [offer.pk],
        "bailleur_candidatures:detail": [candidature.pk],
    }
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Email").fill(membership.user.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    pages = landlord_pages()
    assert {"bailleur:offers", "bailleur_candidatures:list", "bailleur:members"} <= set(pages)
    for name in pages:
        page.goto(live_server.url + reverse(name, args=args.get(name, [])))
        assert page.title() and "introuvable" not in page.title().lower(), name
        assert_no_sideways_scroll(page)
        axe(page)
    # With the filters open, and the once-shown key.
    page.goto(live_server.url + "/bailleur/?q=R-&tri=deadline")
    assert_no_sideways_scroll(page)
    page.goto(live_server.url + "/bailleur/api/")
    page.get_by_label(re.compile("Nom de la clé")).fill("Logiciel de gestion locative")
    page.get_by_role("button", name="Créer la clé").click()
    expect(page.get_by_text("elle ne sera plus jamais affichée")).to_be_visible()
    assert_no_sideways_scroll(page)
    axe(page)


def test_the_offer_form_suggests_communes_by_name(live_server, page):
    CommuneFactory()
    membership = LandlordMembershipFactory(is_admin=True)
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Email").fill(membership.user.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    page.goto(live_server.url + "/bailleur/offres/nouvelle/")
    page.get_by_label(re.compile(r"^\s*Commune\ \(nom")).press_sequentially("saint-ou", delay=50)
    expect(page.locator("#communes-suggestions option")).to_have_count(1)
    assert (
        page.locator("#communes-suggestions option").first.get_attribute("value")
        == "Saint-Ouen-sur-Seine (93400)"
    )


def test_every_tab_of_the_landlord_space_shows_on_a_phone(live_server, page, viewport):
    """At 360 px the four tabs (Mes offres, Candidatures transmises, Mes collègues, API)
    are all on screen, none hidden past the edge of a bar that scrolls sideways."""
    membership = LandlordMembershipFactory(is_admin=True)
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Email").fill(membership.user.email)
    page.get_by_label("Mot de passe").fill("Motdepasse1")
    page.get_by_role("button", name="Je me connecte").click()
    page.goto(live_server.url + reverse("bailleur:offers"))
    tabs = page.get_by_role("navigation", name="Mon espace").get_by_role("link")
    expect(tabs).to_have_text(["Mes offres", "Candidatures transmises", "Mes collègues", "API"])
    width = page.evaluate("window.innerWidth")
    for tab in tabs.all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (tab.inner_text(), box)
        assert tab.evaluate(
            "el => { const r = el.getBoundingClientRect(), bar = el.closest('ul')"
            ".getBoundingClientRect(); return r.left >= bar.left && r.right <= bar.right; }"
        ), tab.inner_text()
