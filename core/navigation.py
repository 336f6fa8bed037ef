"""The portal's navigation, kept as data.

Each entry names a URL; an entry whose URL is not (yet) routed is left out, so the
bar only ever shows pages that exist.
"""

from django.urls import NoReverseMatch, reverse

APPLICANT_TABS = [
    ("Ma situation", "dashboard"),
    ("Les offres", "offres:list"),
    ("Mes candidatures", "candidatures:list"),
]
LANDLORD_TABS = [
    ("Mes offres", "bailleur:offers"),
    ("Candidatures transmises", "bailleur_candidatures:list"),
    ("Mes collègues", "bailleur:members"),
    ("API", "bailleur_api:keys"),
]
COMPANY_TABS = [
    ("Espace entreprise", "entreprises:home"),
    ("Mes collègues", "entreprises:members"),
]


def _resolve(entries, current_path):
    items = []
    for label, name in entries:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # One active tab: the longest URL the page lives under ("/bailleur/" is "Mes offres",
    # "/bailleur/candidatures/…" only "Candidatures transmises").
    matching = [item for item in items if current_path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items


def tabs_for(user, current_path):
    """Return the tabs a signed-in user sees under the header, by role."""
    if not user.is_authenticated:
        return []
    if user.is_landlord:
        return _resolve(LANDLORD_TABS, current_path)
    if user.is_company:
        return _resolve(COMPANY_TABS, current_path)
    if user.is_applicant:
        return _resolve(APPLICANT_TABS, current_path)
    return []
