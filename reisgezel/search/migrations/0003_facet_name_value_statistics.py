"""PostgreSQL: statistics on (name, value) of search_facet taken together.

Facet rows are (document, name, value); a filter reads the rows of one (name, value)
pair. With per-column statistics only, the planner multiplies the frequency of the
name by that of the value as if they were independent, and misjudges a pair by orders
of magnitude (a value common under one name may not occur under another), so it picks
nested loops where a hash join is due and the reverse. The most-common-values list
and the functional dependency of the pair let it estimate each posting list. ANALYZE
(autovacuum) fills them. SQLite has no such statistics: nothing happens there.
"""

from django.db import migrations

FORWARD = (
    "CREATE STATISTICS IF NOT EXISTS search_facet_name_value_stats (mcv, dependencies) "
    "ON name, value FROM search_facet"
)
BACKWARD = "DROP STATISTICS IF EXISTS search_facet_name_value_stats"


def _on_postgresql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_fts5_table_and_postgres_search_indexes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD)),
    ]
