"""PostgreSQL only: the pg_trgm extension and the indexes behind offer search.

Written as RunPython with a vendor check rather than Meta.indexes, because GIN indexes and
extensions do not exist on SQLite, where this migration does nothing.

* a trigram GIN index on search_text serves LIKE '%term%' (substring search, which also
  finds parts of German compounds: "kurs" in "deutschkurs") and the typo-tolerant fallback;
* an expression GIN index on to_tsvector('german', search_text) serves stemmed full-text
  search ("kurse" finds "kurs").
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS offers_offer_search_trgm "
    "ON offers_offer USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS offers_offer_search_fts "
    "ON offers_offer USING gin (to_tsvector('german', search_text))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS offers_offer_search_fts",
    "DROP INDEX IF EXISTS offers_offer_search_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("offers", "0002_search_text")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
