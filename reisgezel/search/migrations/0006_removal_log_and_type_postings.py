"""The postings' removal log and the public documents of each type.

A trigger logs every document deleted, whoever deletes it (a service, a cascade, SQL
by hand), so the postings can leave out documents removed since their build
(search/postings.py); a build empties the log of what its snapshot saw.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE TRIGGER search_document_removal AFTER DELETE ON search_document "
    "BEGIN INSERT OR IGNORE INTO search_removal (document_id) VALUES (OLD.id); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS search_document_removal"]
POSTGRES_FORWARD = [
    "CREATE FUNCTION search_document_log_removal() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN INSERT INTO search_removal (document_id) SELECT id FROM removed "
    "ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    # Once per statement, over its transition table: a batch of deletes is one insert.
    "CREATE TRIGGER search_document_removal AFTER DELETE ON search_document "
    "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
    "EXECUTE FUNCTION search_document_log_removal()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_removal ON search_document",
    "DROP FUNCTION IF EXISTS search_document_log_removal()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_frequent_word_postings'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchPostingType',
            fields=[
                ('doc_type', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('documents', models.IntegerField()),
                ('ids', models.BinaryField()),
                ('bitmap', models.BooleanField(default=False)),
            ],
            options={
                'db_table': 'search_posting_type',
            },
        ),
        migrations.CreateModel(
            name='SearchRemoval',
            fields=[
                ('document_id', models.BigIntegerField(primary_key=True, serialize=False)),
            ],
            options={
                'db_table': 'search_removal',
            },
        ),
        migrations.AddField(
            model_name='searchpostingbuild',
            name='types',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
