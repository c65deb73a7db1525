"""PostgreSQL only: substring search through a vocabulary instead of the whole text.

``search_text LIKE '%term%'`` through the trigram index of migration 0003 grows with the
data: the index hands back every offer sharing the term's trigrams ("sch", "tsc" are in
nearly every German text) and PostgreSQL re-reads each candidate's text to check it. At
100,000 offers that was 88 of the 142 ms of a search page for "deutsch".

A search term holds no whitespace (the search splits on it), so it is a substring of an
offer's text exactly when it is a substring of one of the text's whitespace-separated
words. Hence:

* ``offers_offer.search_words``: the words of search_text, a generated column (PostgreSQL
  keeps it current on every write, bulk ones included), with a GIN index;
* ``offers_search_word``: every word that any offer's search text has had, with a trigram
  index. It is small (tens of thousands of words where the texts are megabytes), so
  ``word LIKE '%term%'`` over it is fast; the offers are then those whose words overlap
  the words found (``search_words && ARRAY(...)``), an exact GIN lookup.

Two statement-level triggers add the words of inserted offers and of offers whose search
text changed (one INSERT per statement, in word order so that two saves adding the same
new words cannot deadlock). Words are never removed: a word no offer has any more finds
nothing in the second step, so a stale vocabulary is only bigger, never wrong. The unique
index is on md5(word) because a "word" may be longer than a btree entry may be.

Django knows none of this (not a model, not a field), as with search_vector (0008); on
SQLite this migration does nothing. pg_dump/pg_restore keep it all: the triggers are
restored after the data, so a restore does not add the words twice.
"""

from django.db import migrations

WORDS = r"regexp_split_to_array(search_text, '[ \t\n\r\f\v]+')"

FORWARD = [
    "ALTER TABLE offers_offer ADD COLUMN IF NOT EXISTS search_words text[] "
    f"GENERATED ALWAYS AS ({WORDS}) STORED",
    "CREATE INDEX IF NOT EXISTS offers_offer_search_words ON offers_offer USING gin (search_words)",
    "CREATE TABLE IF NOT EXISTS offers_search_word (word text NOT NULL)",
    "CREATE UNIQUE INDEX IF NOT EXISTS offers_search_word_key ON offers_search_word (md5(word))",
    "CREATE INDEX IF NOT EXISTS offers_search_word_trgm "
    "ON offers_search_word USING gin (word gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION offers_search_word_add_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO offers_search_word (word)
        SELECT DISTINCT unnest(search_words) FROM inserted_offers ORDER BY 1
        ON CONFLICT ((md5(word))) DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION offers_search_word_add_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO offers_search_word (word)
        SELECT DISTINCT unnest(after_update.search_words)
        FROM updated_offers after_update
        JOIN previous_offers before_update ON before_update.id = after_update.id
        WHERE after_update.search_text IS DISTINCT FROM before_update.search_text
        ORDER BY 1
        ON CONFLICT ((md5(word))) DO NOTHING;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS offers_search_word_insert ON offers_offer",
    "CREATE TRIGGER offers_search_word_insert AFTER INSERT ON offers_offer "
    "REFERENCING NEW TABLE AS inserted_offers "
    "FOR EACH STATEMENT EXECUTE FUNCTION offers_search_word_add_inserted()",
    "DROP TRIGGER IF EXISTS offers_search_word_update ON offers_offer",
    "CREATE TRIGGER offers_search_word_update AFTER UPDATE ON offers_offer "
    "REFERENCING OLD TABLE AS previous_offers NEW TABLE AS updated_offers "
    "FOR EACH STATEMENT EXECUTE FUNCTION offers_search_word_add_updated()",
    # The words of the offers there are already.
    "INSERT INTO offers_search_word (word) "
    "SELECT DISTINCT unnest(search_words) FROM offers_offer ORDER BY 1 "
    "ON CONFLICT ((md5(word))) DO NOTHING",
    "ANALYZE offers_search_word",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS offers_search_word_update ON offers_offer",
    "DROP TRIGGER IF EXISTS offers_search_word_insert ON offers_offer",
    "DROP FUNCTION IF EXISTS offers_search_word_add_updated()",
    "DROP FUNCTION IF EXISTS offers_search_word_add_inserted()",
    "DROP TABLE IF EXISTS offers_search_word",
    "DROP INDEX IF EXISTS offers_offer_search_words",
    "ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_words",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("offers", "0008_postgresql_search_vector")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
