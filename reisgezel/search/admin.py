"""Admin search through the search index.

Django's own admin search is a LIKE '%word%' per field (icontains): no index answers
it, it knows nothing of stems or accents, and it would be a second, worse search next
to the site's. So in this project an admin list searches in one of two ways:

- through the index, with `IndexedSearchMixin`: the model is a search document (a
  place, an event) or points to one (an import feed to its organisation);
- by exact lookups only (`search_fields = ("=code", "=slug")`), with list filters for
  the rest, where an index makes no sense (users, tokens, the audit log).

A test walks every registered admin and refuses a search field without a prefix.
The search app never imports a domain app: admins name the document type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from reisgezel.search.query import matching_object_ids

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


class IndexedSearchMixin(_AdminBase):
    """Search the change list (and autocomplete fields pointing here) through the index.

    `search_doc_type` names a registered document type. By default its object ids are
    this model's primary keys; `search_doc_field` names another field holding them
    instead (e.g. "organiser" to list the feeds of the organisations that match).

    The text matches as on the site (every word, by stem, accent-folded, the last word
    as a prefix, typos tolerated on PostgreSQL), drafts and inactive records included.
    `search_fields` holds exact lookups only (`=slug`, `=postcode`): a record matching
    one of them is listed too, and Django shows the search box only when there is one.

        @admin.register(Place)
        class PlaceAdmin(IndexedSearchMixin, admin.ModelAdmin):
            search_doc_type = "place"
            search_fields = ("=slug", "=postcode")
    """

    search_doc_type: ClassVar[str]
    search_doc_field: ClassVar[str] = "pk"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # No stored text can hold a NUL, and PostgreSQL refuses one in a query (a 500).
        search_term = search_term.replace("\x00", "")
        if not search_term.strip():
            return queryset, False
        ids = matching_object_ids(
            doc_type=self.search_doc_type, text=search_term, public_only=False
        )
        matched = Q(**{f"{self.search_doc_field}__in": ids})
        exact, _duplicates = super().get_search_results(request, queryset, search_term)
        if exact is not queryset:  # Django filtered by the exact lookups
            # As a subquery of primary keys, so no lookup can list a row twice.
            matched |= Q(pk__in=exact.values("pk"))
        # A field across a many-valued relation may list a row twice: Django then adds DISTINCT.
        return queryset.filter(matched), lookup_spawns_duplicates(self.opts, self.search_doc_field)
