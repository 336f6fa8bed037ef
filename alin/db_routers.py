"""A read replica for the public offer search, when DATABASE_REPLICA_URL is set.

Routed by model AND intent:
- models: only public, non-personal reference data may be read from the replica (the
  offers and their photos, landlords' public names, communes and départements). Alerts,
  landlord memberships, requests, candidatures, accounts… always read the primary.
- intent: even those models are read from the replica only inside the public search
  pages (the offers list and an offer's page, the places autocomplete), marked by
  ``ReplicaForPublicSearchMiddleware``; the landlord's space, the applicant's pages,
  the admin, tasks and commands read the primary, so a landlord sees the offer they just
  created and an applicant the candidature they just filed, however late the replica is.
- read-after-write: once a request wrote anything, its later reads go to the primary.

A replica lags a little: an offer just published may appear a moment later in the
public search; that is acceptable for a list refreshed by every visit.
Proven against a real streaming replica with replay paused: tests/ops/test_replica.py.
"""

import contextvars

REPLICA = "replica"
PRIMARY = "default"
# app_label.ModelName (lower case) of the public models the search reads.
REPLICA_MODELS = {
    "offres.offer",
    "offres.offerphoto",
    "offres.landlord",
    "territoires.commune",
    "territoires.department",
}
# URL names of the public search pages.
PUBLIC_SEARCH_VIEWS = {"offres:list", "offres:detail", "offres:places"}

_replica_allowed = contextvars.ContextVar("alin_replica_allowed", default=False)


def reads_from_replica(model):
    return _replica_allowed.get() and model._meta.label_lower in REPLICA_MODELS


class SearchReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects follow the row they hang on
        return REPLICA if reads_from_replica(model) else PRIMARY

    def db_for_write(self, model, **hints):
        _replica_allowed.set(False)  # read-after-write: the rest of the request reads the primary
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaForPublicSearchMiddleware:
    """Marks the public search pages (safe methods only) as allowed to read the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_allowed.set(False)
        try:
            return self.get_response(request)
        finally:
            _replica_allowed.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match and match.view_name in PUBLIC_SEARCH_VIEWS:
            _replica_allowed.set(True)
        return None
