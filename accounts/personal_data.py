"""Extension point for the RGPD rights: each app declares what it holds about a person.

accounts cannot import the apps to its right; they register here from their
``AppConfig.ready()``:

    register_exporter("demande", lambda user: {...})   # right of access (JSON)
    register_eraser(lambda user: ...)                   # account deletion (anonymise)
"""

_exporters = {}
_erasers = []


def register_exporter(name, func):
    """``func(user) -> dict | list | None``: the data of this app about the user."""
    _exporters[name] = func


def register_eraser(func):
    """``func(user)``: delete or anonymise the app's data before the account goes."""
    if func not in _erasers:
        _erasers.append(func)


def exporters():
    return dict(_exporters)


def erasers():
    return list(_erasers)
