"""Each backend's own index, which the other database cannot build.

SQLite: the FTS5 table holding Python-computed words and Snowball stems (rowid =
search_document.id), and a trigger that removes a document's row with the document,
whoever deletes it. PostgreSQL: pg_trgm and unaccent, a GIN index on the tsvector, a
trigram GIN index on the folded titles, and in-row storage for the vector. None of it
is in the model state: it is not portable, and no model field maps to it.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document "
    "BEGIN DELETE FROM search_fts WHERE rowid = OLD.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector)",
    "CREATE INDEX search_document_title_trgm ON search_document USING gin (title_folded gin_trgm_ops)",
    # Keep vectors (~2 kB) in the row rather than in TOAST. The planner does not count
    # TOAST reads, so out of line a sequential scan evaluating @@ on every row looked
    # cheaper than the GIN index and was 5x slower (100,000 documents, see the ADR).
    "ALTER TABLE search_document SET (toast_tuple_target = 8160)",
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE MAIN",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "ALTER TABLE search_document RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "DROP INDEX IF EXISTS search_document_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_documents_and_facets"),
    ]

    operations = [
        # Both operations do nothing on databases other than PostgreSQL.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
