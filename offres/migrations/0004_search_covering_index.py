"""A covering index for the offer search's count, on PostgreSQL only.

The count of published offers filtered by typology, deadline and rent with charges
becomes an index-only scan (19 ms → 8 ms at 100 000 offers, docs/performance.md).
``INCLUDE`` is PostgreSQL syntax: on SQLite (the default for a fresh checkout) the
migration does nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS offer_search_covering ON offres_offer (typology, deadline) "
    "INCLUDE (rent, charges, kind, reduced_mobility, available_from, commune_id) "
    "WHERE status = 'publiee'"
)
DROP = "DROP INDEX IF EXISTS offer_search_covering"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("offres", "0003_history")]

    operations = [migrations.RunPython(create, drop)]
