"""Screenshots of the main pages at phone and desktop width (make screenshots).

Runs against a server already serving the demo data (make run), with Debian's Chromium:
    python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots [name ...]
Names (e.g. ``espace-conseiller``) limit the run to those pages. The advisor's pages sign
in as the demo advisor of the advisors' group with the code of the TOTP key that
``manage.py demo`` prints, read here from the same database (DATABASE_URL).
"""

import os
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",  # the browser's own widgets (the month picker) in French too
]
WIDTHS = {"mobile": (360, 780), "desktop": (1280, 900)}
PAGES = [
    ("accueil", None, "/"),
    ("creation-de-compte", None, "/compte/signup/"),
    ("ma-situation", "candidat@alin.example", "/ma-situation/"),
    ("offres-galerie", "candidat@alin.example", "/offres/?lieu=93&tri=loyer"),
    ("offres-liste", None, "/offres/?vue=liste&typologie=2&typologie=3"),
    ("offre", "candidat@alin.example", "/offres/{offer}/"),
    ("mes-candidatures", "demo.candidat1@alin.example", "/candidatures/"),
    ("elargir-mes-souhaits", "demandeur.sansoffre@alin.example", "/offres/"),
    ("resultats-des-attributions", None, "/resultats-des-attributions/"),
    ("mes-alertes", "candidat@alin.example", "/offres/alertes/"),
    ("espace-bailleur", "bailleur@alin.example", "/bailleur/"),
    ("candidatures-transmises", "bailleur@alin.example", "/bailleur/candidatures/"),
]
# Pages whose point is below the fold: taken whole on the desktop too.
WHOLE = {"elargir-mes-souhaits", "resultats-des-attributions"}
# The advisors' back office (Django admin): signed in once, with the second factor.
ADVISOR = "conseillere.paris@alin.example"
ADMIN_PAGES = [
    ("espace-conseiller", "/admin/"),
    ("candidature-conseiller", "{candidature}"),
    ("charge-de-travail", "/admin/charge-de-travail/"),
]


def login(page, base, email):
    page.goto(f"{base}/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill("Demo2026!")
    page.get_by_role("button", name="Je me connecte").click()
    page.wait_for_load_state()


def advisor_totp_secret():
    """The demo advisor's TOTP key, as ``manage.py demo`` prints it."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
    django.setup()
    from accounts.models import User
    from accounts.second_factor import ensure_totp

    return ensure_totp(User.objects.get(email=ADVISOR))


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def admin_pages(browser, base, out, secret, only):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/admin/")  # the portal's sign-in, then the second factor
    page.get_by_label("Email").fill(ADVISOR)
    page.get_by_label("Mot de passe").fill("Demo2026!")
    page.get_by_role("button", name="Je me connecte").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    # A candidature waiting for validation, one click from the queue.
    candidature = page.locator("section[aria-labelledby=queue-waiting] tbody a").first
    path = candidature.get_attribute("href")
    for size, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, url in ADMIN_PAGES:
            if only and name not in only:
                continue
            page.goto(base + url.format(candidature=path))
            page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=size == "mobile")
    context.close()


def shoot(browser, base, out, pages):
    probe = browser.new_page()
    login(probe, base, "candidat@alin.example")
    probe.goto(f"{base}/offres/")
    cards = probe.locator("article a[href^='/offres/']")
    href = cards.first.get_attribute("href")
    offer = href.split("/")[2]
    for size, (width, height) in WIDTHS.items():
        for name, email, path in pages:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="fr-FR"
            )
            page = context.new_page()
            if email:
                login(page, base, email)
            page.goto(base + path.format(offer=offer))
            page.screenshot(
                path=str(out / f"{name}-{size}.png"), full_page=size == "mobile" or name in WHOLE
            )
            context.close()


def main(base, out, *only):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    secret = advisor_totp_secret() if not only or {n for n, _ in ADMIN_PAGES} & set(only) else None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if secret:
            admin_pages(browser, base, out, secret, only)
        pages = [page for page in PAGES if not only or page[0] in only]
        if pages:
            shoot(browser, base, out, pages)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
