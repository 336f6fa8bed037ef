"""Extension points of the offer pages, filled by apps to the right of offres.

offres must not import candidatures; candidatures registers, from its
``AppConfig.ready()``:

- ``register_offer_action(func)``: ``func(request, offer, demande, reasons)`` returns
  ``None`` or ``{"template": name, "context": {...}}``, rendered in the offer page's
  "Je postule" slot;
- ``register_candidature_counter(func)``: ``func(queryset)`` returns the landlord's
  offers annotated with ``candidatures_count`` (active) and ``forwarded_count``
  (forwarded to the landlord).
"""

_offer_actions = []
_counters = []


def register_offer_action(func):
    if func not in _offer_actions:
        _offer_actions.append(func)


def offer_actions(request, offer, demande, reasons):
    actions = []
    for func in _offer_actions:
        action = func(request, offer, demande, reasons)
        if action:
            actions.append(action)
    return actions


def register_candidature_counter(func):
    _counters[:] = [func]


def with_candidature_counts(queryset):
    if _counters:
        return _counters[0](queryset)
    return queryset
