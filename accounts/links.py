"""Links of "Mon compte" to pages of other apps (alerts, notifications), registered by
those apps from their AppConfig.ready(): accounts does not import them."""

_links = []


def register_account_link(label, url_name):
    if (label, url_name) not in _links:
        _links.append((label, url_name))


def account_links():
    from django.urls import reverse

    return [{"label": label, "url": reverse(name)} for label, name in _links]
