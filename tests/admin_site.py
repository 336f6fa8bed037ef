"""The views registered on the admin site itself (not a model's pages, not Django's own
site views), e.g. the team's workload: the access table, the advisor-escalation walk and
the label walk find them here, so a view added later is covered without editing them."""

from django.contrib import admin
from django.urls import URLPattern, reverse

# AdminSite.get_urls: the site's own views (models' pages are included resolvers).
DJANGO_SITE_VIEWS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}


def site_view_names():
    """URL names (``admin:…``) of the views added to the admin site."""
    return sorted(
        f"{admin.site.name}:{pattern.name}"
        for pattern in admin.site.get_urls()
        if isinstance(pattern, URLPattern)
        and pattern.name
        and pattern.name not in DJANGO_SITE_VIEWS
    )


def site_view_urls():
    return [reverse(name) for name in site_view_names()]
