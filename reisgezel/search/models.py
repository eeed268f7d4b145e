"""The search index: one row per indexed record of any registered type.

Rows are written only by `reisgezel.search.services`; domains describe their records
as `registry.Document`s and never touch these tables. Besides the columns here each
backend keeps its own index (see `reisgezel.search.backends`):

- SQLite: the FTS5 virtual table `search_fts` (rowid = SearchDocument.id), created by
  migration 0002; a trigger deletes its row with the document.
- PostgreSQL: `search_vector` and `title_folded`, with GIN indexes created by
  migration 0002 (full-text and trigram), which SQLite cannot build.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

DOC_TYPE_MAX_LENGTH = 40
FACET_NAME_MAX_LENGTH = 40
FACET_VALUE_MAX_LENGTH = 200


class SearchDocument(models.Model):
    doc_type = models.CharField(max_length=DOC_TYPE_MAX_LENGTH)
    object_id = models.BigIntegerField()
    url = models.TextField()
    public = models.BooleanField(default=True)
    boost = models.FloatField(default=1.0)
    title = models.JSONField(default=dict)
    """Language map of the record's title, for display."""
    summary = models.JSONField(default=dict)
    """Language map of the start of the body: the hit's snippet, cheap to show."""
    title_folded = models.TextField(blank=True, default="")
    """All titles, accent-folded and lower-cased: the trigram column (PostgreSQL)."""
    search_vector = SearchVectorField(null=True, editable=False)
    """Weighted per-language tsvector of folded text (PostgreSQL; NULL on SQLite)."""
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document"
        indexes = [
            # What changed since the frequent words' postings were built (postings.py).
            models.Index(fields=["indexed_at"], name="search_document_indexed_at"),
        ]
        constraints = [
            # Also the index for every doc_type filter (its leading column).
            models.UniqueConstraint(
                fields=["doc_type", "object_id"], name="search_document_unique_object"
            ),
            models.CheckConstraint(condition=Q(boost__gt=0), name="search_document_boost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id}"


class SearchFacet(models.Model):
    """One facet value of a document, so that facet counts are a GROUP BY on an index."""

    # The database cascades (the unique constraint's index serves the lookup), so
    # deleting many documents does not make Django fetch their facet rows first.
    document = models.ForeignKey(
        SearchDocument, on_delete=models.DB_CASCADE, related_name="facet_values", db_index=False
    )
    name = models.CharField(max_length=FACET_NAME_MAX_LENGTH)
    value = models.CharField(max_length=FACET_VALUE_MAX_LENGTH)

    class Meta:
        db_table = "search_facet"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique_value"
            ),
        ]
        indexes = [
            # Counting and filtering read (name, value, document) from the index alone.
            models.Index(fields=["name", "value", "document"], name="search_facet_name_value"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchPosting(models.Model):
    """One word of the index's vocabulary as the last build saw it (PostgreSQL,
    `reisgezel.search.postings`): how many documents hold it and, for a frequent word,
    which ones, kept here so that matching it reads no document row."""

    lexeme = models.TextField(primary_key=True)
    documents = models.IntegerField()
    ids = models.BinaryField(null=True)
    """A frequent word's document ids: sorted little-endian int32, or a packed bitmap
    over ids 0 .. n - 1 when `bitmap` (the smaller of the two). NULL for a rare word."""
    bitmap = models.BooleanField(default=False)

    class Meta:
        db_table = "search_posting"

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.documents})"


class SearchPostingType(models.Model):
    """The public documents of one type as the last build saw them, in the same encoding
    as a frequent word's list: with a word's list, a type's count of its matches is a
    few array operations (the search page's counts by type)."""

    doc_type = models.CharField(max_length=DOC_TYPE_MAX_LENGTH, primary_key=True)
    documents = models.IntegerField()
    ids = models.BinaryField()
    bitmap = models.BooleanField(default=False)

    class Meta:
        db_table = "search_posting_type"

    def __str__(self) -> str:
        return f"{self.doc_type} ({self.documents})"


class SearchRemoval(models.Model):
    """A document removed since the postings were built (the lists may still name it).
    Written by a database trigger on every delete of a document, whoever deletes it;
    a build empties it of what its snapshot saw (migration 0006)."""

    document_id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "search_removal"

    def __str__(self) -> str:
        return str(self.document_id)


class SearchPostingBuild(models.Model):
    """When the postings were built: documents indexed since (`indexed_at`, less a
    margin for transactions still open then) are matched in SQL instead."""

    built_at = models.DateTimeField()
    frequent_from = models.IntegerField()
    lexemes = models.IntegerField()
    frequent = models.IntegerField()
    seconds = models.FloatField()
    types = models.BooleanField(default=False)
    """The build also wrote each type's public documents, and every removal since it
    is logged (builds from before migration 0006: neither)."""

    class Meta:
        db_table = "search_posting_build"
        get_latest_by = "built_at"

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}: {self.frequent} of {self.lexemes} words"
