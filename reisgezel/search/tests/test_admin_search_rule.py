"""The project's rule for admin search, checked on every registered admin.

No substring search: Django turns a plain search field ("name") into a LIKE '%word%'
(icontains) that no index answers and that knows neither stems nor accents. An admin
searches either through the search index (reisgezel.search.admin.IndexedSearchMixin)
or by exact lookups: "=field" (case-insensitive), "field__exact" / "field__iexact", or
"^field" (starts with). "@field" is refused too: it is PostgreSQL's full-text lookup,
an error on SQLite, and a second search engine next to the index.

The test walks admin.site, so it covers the admins of every installed app, including
the ones added later; it fails as soon as someone adds a plain search field again.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.test import RequestFactory

from reisgezel.search import registry
from reisgezel.search.admin import IndexedSearchMixin

EXACT_LOOKUPS = {"exact", "iexact"}


def _allowed(search_field: str) -> bool:
    if search_field.startswith(("=", "^")):
        return True
    *path, last = search_field.split(LOOKUP_SEP)
    return bool(path) and last in EXACT_LOOKUPS


def _admins() -> list[admin.ModelAdmin]:
    return list(admin.site._registry.values())


def test_the_project_has_admins_to_check() -> None:
    labels = {model_admin.opts.label for model_admin in _admins()}
    assert {"places.Place", "accounts.Organisation", "accounts.User", "core.AuditEntry"} <= labels


def test_no_admin_searches_by_substring() -> None:
    request = RequestFactory().get("/")
    offenders = [
        f"{model_admin.opts.label} ({type(model_admin).__module__}): {field!r}"
        for model_admin in _admins()
        for field in model_admin.get_search_fields(request)
        if not _allowed(str(field))
    ]
    assert not offenders, (
        "Admin search fields without an exact lookup (use '=field', or IndexedSearchMixin "
        "for text search through the index): " + ", ".join(offenders)
    )


def test_indexed_admins_name_a_registered_document_type() -> None:
    indexed = [
        model_admin for model_admin in _admins() if isinstance(model_admin, IndexedSearchMixin)
    ]
    assert indexed
    for model_admin in indexed:
        registry.get(model_admin.search_doc_type)  # raises LookupError for a typo


def test_the_rule_itself() -> None:
    for field in ("=name", "^code", "target_id__exact", "organiser__slug__iexact"):
        assert _allowed(field), field
    for field in ("name", "organiser__name", "name__icontains", "@title", "exact", "slug__in"):
        assert not _allowed(field), field
