"""Extension points of the offer pages, filled by apps to the right of offres.

offres must not import candidatures; candidatures registers, from its
``AppConfig.ready()``:

- ``register_offer_action(func)``: ``func(request, offer, demande, reasons)`` returns
  ``None`` or ``{"template": name, "context": {...}}``, rendered in the offer page's
  "Je postule" slot;
- ``register_candidature_counter(func)``: ``func(queryset)`` returns the landlord's
  offers annotated with ``candidatures_count`` (active) and ``forwarded_count``
  (forwarded to the landlord);
- ``register_widening(func)``: ``func(demande)`` returns the communes around the wished
  ones that would open offers (« Élargir mes souhaits »), shown when the list is empty.
"""

_offer_actions = []
_counters = []
_widenings = []


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


def register_widening(func):
    _widenings[:] = [func]


def widening_for(demande):
    if not _widenings:
        raise LookupError("Aucun calcul d'élargissement enregistré (candidatures.apps).")
    return _widenings[0](demande)
