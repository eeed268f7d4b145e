"""Sitemaps (sitemaps.org) with hreflang alternates for nl/en/de/fr, behind a sitemap
index at /sitemap.xml: collection objects, exhibits, dictionary entries, the agenda's
published events, places and organisers, and the main list pages.

Django's i18n sitemaps build the (item, language) list of a whole section in memory
before paginating it; `LanguageExpanded` does the same lazily, one page at a time, so a
section of a million objects reads only the 5,000 rows of the requested page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Model, QuerySet
from django.urls import reverse

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.models import Event, ModerationState
from reisgezel.agenda.models.event import event_url
from reisgezel.heritage.models import DialectEntry, Exhibit, HeritageObject
from reisgezel.places.models import Place


class LanguageExpanded:
    """(item, language) pairs of a queryset, sliced without loading other pages."""

    def __init__(self, queryset: QuerySet[Any], languages: Sequence[str]) -> None:
        self.queryset = queryset
        self.languages = list(languages)

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple[Any, str]]:
        size = len(self.languages)
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        first, last = start // size, -(-stop // size)
        pairs = [(item, lang) for item in self.queryset[first:last] for lang in self.languages]
        offset = start - first * size
        return pairs[offset : offset + (stop - start)]


class _LanguageSitemap(Sitemap):  # type: ignore[type-arg,unused-ignore]
    """A section of pages that exist in every interface language."""

    i18n = True
    alternates = True
    x_default = True
    # Each URL carries five alternates; 20,000 keeps a page near 15 MB, under the limit.
    limit = 20_000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def language_codes(self) -> list[str]:
        return list(self.languages or [code for code, _name in settings.LANGUAGES])


class _ModelSitemap(_LanguageSitemap):
    url_name = ""
    url_field = "slug"
    date_field = "updated_at"

    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def items(self) -> QuerySet[Any]:
        return self.queryset().only("pk", self.url_field, self.date_field).order_by("pk")

    @property
    def paginator(self) -> Paginator:  # type: ignore[type-arg,unused-ignore]
        pairs: Any = LanguageExpanded(self.items(), self.language_codes())
        return Paginator(pairs, self.limit)

    def location(self, item: Model) -> str:
        return reverse(self.url_name, kwargs={self.url_field: getattr(item, self.url_field)})

    def lastmod(self, item: Model) -> datetime:
        value: datetime = getattr(item, self.date_field)
        return value

    def get_latest_lastmod(self) -> datetime | None:
        latest: datetime | None = self.queryset().aggregate(latest=Max(self.date_field))["latest"]
        return latest


class ObjectSitemap(_ModelSitemap):
    url_name, url_field = "heritage:object", "pid"

    def queryset(self) -> QuerySet[HeritageObject]:
        return HeritageObject.objects.filter(is_public=True)


class ExhibitSitemap(_ModelSitemap):
    url_name = "heritage:exhibit"

    def queryset(self) -> QuerySet[Exhibit]:
        return Exhibit.objects.filter(is_public=True)


class DictionarySitemap(_ModelSitemap):
    url_name = "heritage:word"

    def queryset(self) -> QuerySet[DialectEntry]:
        return DialectEntry.objects.filter(is_public=True)


class PlaceSitemap(_ModelSitemap):
    url_name = "places:place"

    def queryset(self) -> QuerySet[Place]:
        # A private place is someone's home: its page answers, but is not advertised.
        return Place.objects.filter(is_private=False)


class OrganiserSitemap(_ModelSitemap):
    url_name = "agenda:organiser"

    def queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.filter(is_active=True)


class EventSitemap(_ModelSitemap):
    def queryset(self) -> QuerySet[Event]:
        return Event.objects.filter(moderation=ModerationState.APPROVED)

    def items(self) -> QuerySet[Event]:
        return self.queryset().only("pk", "slug", "updated_at").order_by("pk")

    def location(self, item: Model) -> str:
        assert isinstance(item, Event)
        return event_url(item)


class PageSitemap(_LanguageSitemap):
    """The entry pages of the agenda and of the collection."""

    names = (
        "agenda:home",
        "agenda:list",
        "agenda:directory",
        "places:list",
        "heritage:search",
        "heritage:exhibits",
        "heritage:dictionary",
    )

    @property
    def paginator(self) -> Paginator:  # type: ignore[type-arg,unused-ignore]
        pairs = [(name, lang) for name in self.names for lang in self.language_codes()]
        return Paginator(pairs, self.limit)

    def items(self) -> list[str]:
        return list(self.names)

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {  # type: ignore[type-arg,unused-ignore]
    "pages": PageSitemap,
    "objects": ObjectSitemap,
    "exhibits": ExhibitSitemap,
    "dictionary": DictionarySitemap,
    "events": EventSitemap,
    "places": PlaceSitemap,
    "organisers": OrganiserSitemap,
}
