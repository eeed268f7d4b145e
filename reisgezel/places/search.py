"""How places become search documents (registered in PlacesConfig.ready).

A place is found by its name, its address, its buurt and wijk, its description and
its accessibility facilities, in Dutch, English and every language it has a
description in. The body starts with where the place is, so the hit's snippet reads
as an address line. A private address (a home) is never indexed: only its buurt and
city, as the place page shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.places.models import Place
from reisgezel.search.registry import Document, DocumentType

DOC_TYPE = "place"


def _where(place: Place) -> str:
    """'Vrijthof 47, 6211 LE Maastricht · Binnenstad, Centrum' (no street when private)."""
    address = place.city if place.is_private else f"{place.street}, {place.postcode} {place.city}"
    neighbourhood = place.neighbourhood
    if neighbourhood is None:
        return address
    return f"{address} · {neighbourhood.name}, {neighbourhood.district.name}"


def _documents(ids: Sequence[int]) -> Iterable[Document]:
    places = (
        Place.objects.filter(pk__in=ids)
        .select_related("neighbourhood", "neighbourhood__district")
        .defer("neighbourhood__geometry", "neighbourhood__district__geometry")
        .prefetch_related("facilities")
    )
    for place in places:
        facilities = list(place.facilities.all())
        where = _where(place)
        texts: dict[str, tuple[str, str]] = {}
        for lang in {"nl", "en", *place.description.keys(), *place.accessibility_notes.keys()}:
            body = "\n".join(
                part
                for part in (
                    where,
                    place.description.get(lang, ""),
                    place.accessibility_notes.get(lang, ""),
                    *(term.label.get_for(lang) for term in facilities),
                )
                if part
            )
            texts[lang] = (place.name, body)
        neighbourhood = place.neighbourhood
        yield Document(
            doc_type=DOC_TYPE,
            object_id=place.pk,
            url=place_url(place),
            texts=texts,
            facets={
                "neighbourhood": [neighbourhood.slug] if neighbourhood else [],
                "district": [neighbourhood.district.slug] if neighbourhood else [],
                "facility": [term.code for term in facilities],
            },
        )


def place_url(place: Place) -> str:
    """The place page (Dutch prefix; the search page shows it in the visitor's language)."""
    with translation.override("nl"):
        return reverse("places:place", kwargs={"slug": place.slug})


def _all_ids() -> Iterable[int]:
    return Place.objects.values_list("pk", flat=True).iterator(chunk_size=2000)


PLACE_DOCUMENTS = DocumentType(
    name=DOC_TYPE, label=gettext_lazy("Places"), build=_documents, all_ids=_all_ids
)
