"""Send the search pages' reads to a read replica when one is configured.

Offers and the French geography are read far more than written (search, offer pages):
their reads go to DATABASE_REPLICA_URL; everything else, and every write, to the
primary. A replica lags a little: an offer just published may appear a moment later in
the search; that is acceptable for a list refreshed by every visit.
"""

REPLICA_APPS = {"offres", "territoires"}


class SearchReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if model._meta.app_label in REPLICA_APPS else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
