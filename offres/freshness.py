"""Cached reads of the offer pages, never stale in a way that matters.

Counting the offers a search matches costs more, at national scale, than the rest of
the page. Counts (and other reads derived from the offers) are cached under a key made
of:

- the offers' *version*: a random token in the cache, replaced after every commit that
  publishes, closes, edits, deletes an offer or its photos, or changes the resource
  ceilings (model signals, and ``bump_offers_version`` called by the bulk paths that
  bypass them: ``close_offers``, ``bulk_create``...);
- the exact SQL and parameters of the query: the applicant's situation, wishes,
  resources and today's date are in it, so a changed request or a new day reads
  another key, never an old answer.

Every entry also expires after ``TTL`` (60 s): a write that bypassed the signals (raw
SQL) or a Redis outage (each process falling back to its own memory, where another
process's bump is not seen) leaves an answer stale for at most a minute.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property

VERSION_KEY = "offres:version"
# The freshness rule: a published or closed offer shows in (or leaves) every list
# within a minute at most, whatever path changed it.
TTL = 60


def offers_version(*also):
    """The current version token (created when missing: first use, eviction).

    With ``also`` (other keys, independent of the version): returns the version and a
    dict of those found, read in the same round trip to Redis.
    """
    found = cache.get_many([VERSION_KEY, *also])
    version = found.pop(VERSION_KEY, None)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    return (version, found) if also else version


def bump_offers_version():
    """Make every cached read of the offers obsolete: now, and again once the current
    transaction commits (a page read between the two may have cached the rows as they
    were before the commit, under the intermediate version)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump():
    # A new random token, never a counter: an evicted key cannot bring back old entries.
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def basis_key(kind, basis, version=None):
    """The cache key of ``kind`` for ``basis``: everything the read depends on, as
    plain values (``repr`` of the eligibility Q, the normalised query, today...)."""
    digest = hashlib.sha256(repr(basis).encode()).hexdigest()[:32]
    return f"offres:{kind}:{version or offers_version()}:{digest}"


def query_key(kind, queryset, version=None):
    """The cache key of ``kind`` read from ``queryset``: its SQL and parameters and the
    offers' version; None when the query is known to be empty without running it."""
    try:
        return basis_key(kind, queryset.query.sql_with_params(), version)
    except EmptyResultSet:
        return None


def cached_count(queryset, basis=None, version=None):
    """``queryset.count()``, cached under ``basis`` (default: the query's SQL)."""
    queryset = queryset.order_by()
    key = (
        query_key("count", queryset, version)
        if basis is None
        else basis_key("count", basis, version)
    )
    if key is None:
        return 0
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, TTL)
    return count


def cached_rows(queryset, basis=None, version=None):
    """``list(queryset)`` of plain values (a ``values()`` queryset), cached under
    ``basis`` (default: the query's SQL)."""
    key = (
        query_key("rows", queryset, version) if basis is None else basis_key("rows", basis, version)
    )
    if key is None:
        return []
    rows = cache.get(key)
    if rows is None:
        rows = list(queryset)
        cache.set(key, rows, TTL)
    return rows


class CachedPaginator(Paginator):
    """A paginator whose count is ``cached_count`` and whose pages remember which
    offers they list: a page seen again reads its offers by primary key from
    ``by_pk`` (a queryset with the same joins and prefetches).

    ``basis``: everything the list depends on, as plain values, which spares compiling
    the SQL to make the key (large for a request wishing whole departments).
    """

    def __init__(self, object_list, per_page, *, basis, by_pk, version=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.basis = basis
        self.by_pk = by_pk
        if version is not None:
            self.version = version
        self._found = {}

    @cached_property
    def version(self):
        return offers_version()

    def _key(self, kind, number=None):
        basis = self.basis if kind == "count" else (self.basis, number, self.per_page)
        return basis_key(kind, basis, self.version)

    def _cached(self, key):
        return self._found[key] if key in self._found else cache.get(key)

    def get_page(self, number):
        # The count and the page asked for, in one round trip to Redis.
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        self._found = cache.get_many([self._key("count"), self._key("page", wanted)])
        return super().get_page(number)

    @cached_property
    def count(self):
        key = self._key("count")
        count = self._cached(key)
        if count is None:
            count = self.object_list.order_by().count()
            cache.set(key, count, TTL)
        return count

    def _get_page(self, object_list, number, paginator):
        key = self._key("page", number)
        ids = self._cached(key)
        if ids is None:
            rows = list(object_list)
            cache.set(key, [row.pk for row in rows], TTL)
        else:
            by_pk = {row.pk: row for row in self.by_pk.filter(pk__in=ids)}
            rows = [by_pk[pk] for pk in ids if pk in by_pk]
        return super()._get_page(rows, number, paginator)


def cards_key(offers, *extra):
    """What the offer cards of a page show depends on: each offer and its version
    (``updated_at``), its first photo (prefetched) and ``extra`` (the view, the link's
    query). For ``{% cache %}``, whose entries expire after ``TTL``."""
    facts = [(o.pk, o.updated_at, next((p.pk for p in o.photos.all()), None)) for o in offers]
    return hashlib.sha256(repr((facts, extra)).encode()).hexdigest()[:32]


def _changed(sender, **kwargs):
    bump_offers_version()


def connect_signals():
    """Every save or delete of an offer, a photo (the cards show the first one) or a
    resource ceiling (eligibility) bumps the version."""
    from django.db.models.signals import post_delete, post_save

    from .models import Offer, OfferPhoto, ResourceCeiling

    for model in (Offer, OfferPhoto, ResourceCeiling):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"offres-version-{model.__name__}")


def open_offer_count(demande, context=None):
    """How many offers the applicant may apply to (``Offer.objects.open_to``), cached
    under the eligibility filter, which holds every figure of the request it reads
    (``context``: the request's ``context_for``, when the caller has it already)."""
    from .eligibility import context_for, open_offers_filter
    from .models import Offer

    context = context or context_for(demande)
    eligibility = open_offers_filter(demande, context)
    return cached_count(
        Offer.objects.published().filter(eligibility),
        basis=("open_to", repr(eligibility), context.today),
    )
