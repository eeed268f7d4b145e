"""Persistent URIs /id/<kind>/<id> with content negotiation (docs/linked-data.md).

Browsers get 303 See Other to the page in their language; programs get JSON-LD
(schema.org by default, Linked Art when they ask for its profile); `?format=` does the
same for people trying it in a browser. Unknown or hidden records are 404, deleted
objects 410 Gone, representations we cannot make 406 with the list of what we offer.
Every answer allows any origin (CORS), says `Vary: Accept` and links its alternates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
)
from django.http.response import HttpResponseRedirectBase
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from reisgezel.heritage import uris
from reisgezel.heritage.jsonld import linked_art, lookups, schema_org, schema_org_texts
from reisgezel.heritage.jsonld.common import Json, absolute
from reisgezel.heritage.jsonld.negotiation import (
    FORMATS,
    HTML,
    LINKED_ART,
    SCHEMA,
    SCHEMA_AS_JSON,
    Offer,
    describe,
    negotiate,
)
from reisgezel.heritage.models import ConceptScheme

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
TEXT = "text/plain; charset=utf-8"
PLAIN_OFFERS = (HTML, SCHEMA, SCHEMA_AS_JSON)
RICH_OFFERS = (HTML, SCHEMA, LINKED_ART, SCHEMA_AS_JSON)


class HttpResponseSeeOther(HttpResponseRedirectBase):
    status_code = 303


class RecordDeletedError(Exception):
    """The record existed and was deleted."""


@dataclass(frozen=True)
class Resource:
    uri: str
    html_path: str
    """The human page in the active language (relative URL)."""
    offers: tuple[Offer, ...]
    build: Callable[[str], Json]
    """Makes the document for an offer key ("schema" or "linked-art")."""


def _search_path(param: str, value: str) -> str:
    return reverse("heritage:search") + "?" + urlencode({param: value})


def _object(pid: str) -> Resource:
    obj = lookups.public_object(pid)
    if obj is None:
        if lookups.tombstone(pid):
            raise RecordDeletedError
        raise Http404

    def build(key: str) -> Json:
        exhibits = lookups.exhibits_showing(obj)
        if key == LINKED_ART.key:
            owner = lookups.institution_agent(obj.collection)
            return linked_art.object_document(obj, exhibits, owner=owner)
        return schema_org.object_document(obj, exhibits)

    path = reverse("heritage:object", kwargs={"pid": pid})
    return Resource(uris.object_uri(pid), path, RICH_OFFERS, build)


def _agent(slug: str) -> Resource:
    agent = lookups.agent(slug)
    if agent is None:
        raise Http404

    def build(key: str) -> Json:
        if key == LINKED_ART.key:
            return linked_art.agent_document(agent)
        return schema_org.agent_document(agent)

    return Resource(uris.agent_uri(slug), _search_path("maker", slug), RICH_OFFERS, build)


def _concept(local_id: str) -> Resource:
    scheme, sep, code = local_id.partition(":")
    if scheme not in ConceptScheme.values:
        raise Http404
    if not sep:  # /id/concept/<scheme>: the vocabulary itself
        concepts = lookups.concepts_of(scheme)
        return Resource(
            uris.persistent_uri("concept", scheme),
            reverse("heritage:search"),
            PLAIN_OFFERS,
            lambda _key: schema_org.term_set_document(scheme, concepts),
        )
    concept = lookups.concept(scheme, code)
    if concept is None:
        raise Http404
    return Resource(
        uris.concept_uri(scheme, code),
        _search_path(*schema_org.concept_search(concept)),
        PLAIN_OFFERS,
        lambda _key: schema_org.concept_document(concept),
    )


def _collection(code: str) -> Resource:
    collection = lookups.collection(code)
    if collection is None:
        raise Http404

    def build(key: str) -> Json:
        if key == LINKED_ART.key:
            return linked_art.collection_document(collection)
        size = lookups.public_object_count(collection)
        owner = lookups.institution_agent(collection)
        return schema_org.collection_document(collection, size, owner)

    path = _search_path("collection", code)
    return Resource(uris.collection_uri(code), path, RICH_OFFERS, build)


def _exhibit(slug: str) -> Resource:
    exhibit = lookups.public_exhibit(slug)
    if exhibit is None:
        raise Http404
    return Resource(
        uris.exhibit_uri(slug),
        reverse("heritage:exhibit", kwargs={"slug": slug}),
        PLAIN_OFFERS,
        lambda _key: schema_org_texts.exhibit_document(exhibit),
    )


def _word(slug: str) -> Resource:
    entry = lookups.public_word(slug)
    if entry is None:
        raise Http404
    exhibits = lookups.exhibits_of_word(entry)
    return Resource(
        uris.word_uri(slug),
        reverse("heritage:word", kwargs={"slug": slug}),
        PLAIN_OFFERS,
        lambda _key: schema_org_texts.word_document(entry, exhibits),
    )


KINDS: dict[str, Callable[[str], Resource]] = {
    "object": _object,
    "agent": _agent,
    "concept": _concept,
    "collection": _collection,
    "exhibit": _exhibit,
    "word": _word,
}


def _link_header(resource: Resource) -> str:
    links = [f'<{resource.uri}>; rel="canonical"']
    for offer in resource.offers:
        if offer is HTML:
            target = absolute(resource.html_path)
        elif offer is SCHEMA_AS_JSON:
            continue
        else:
            fmt = "linked-art" if offer is LINKED_ART else "jsonld"
            target = f"{resource.uri}?format={fmt}"
        link = f'<{target}>; rel="alternate"; type="{offer.media_type}"'
        links.append(link + (f'; profile="{offer.profile}"' if offer.profile else ""))
    return ", ".join(links)


def _finish(response: HttpResponse, resource: Resource | None = None) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, Vary"
    patch_vary_headers(response, ("Accept",))
    if resource is not None:
        response["Link"] = _link_header(resource)
    return response


def _choose(request: HttpRequest, resource: Resource) -> Offer | None:
    requested = request.GET.get("format")
    if requested is not None:
        offer = FORMATS.get(requested)
        return offer if offer in resource.offers else None
    return negotiate(request.headers.get("Accept"), resource.offers)


def _not_acceptable(resource: Resource) -> HttpResponse:
    text = _("Not acceptable. %(uri)s is offered as:") % {"uri": resource.uri}
    hint = _("In a browser, add ?format=jsonld or ?format=linked-art (where listed).")
    body = f"{text}\n{describe(resource.offers)}\n{hint}\n"
    return HttpResponse(body, status=406, content_type=TEXT)


def resolve_uri(request: HttpRequest, kind: str, local_id: str) -> HttpResponse:
    if request.method not in ALLOWED_METHODS:
        return _finish(HttpResponseNotAllowed(ALLOWED_METHODS))
    if request.method == "OPTIONS":
        return _finish(_preflight())
    try:
        if kind not in KINDS:
            raise Http404
        resource = KINDS[kind](local_id)
    except Http404:
        message = _("There is no public record with this identifier.")
        return _finish(HttpResponseNotFound(message, content_type=TEXT))
    except RecordDeletedError:
        message = _("This object has been deleted from the collection.")
        return _finish(HttpResponseGone(message, content_type=TEXT))
    offer = _choose(request, resource)
    if offer is None:
        return _finish(_not_acceptable(resource), resource)
    if offer is HTML:
        return _finish(HttpResponseSeeOther(resource.html_path), resource)
    body = json.dumps(resource.build(offer.key), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=offer.content_type)
    response["Cache-Control"] = "public, max-age=300"
    return _finish(response, resource)


def _preflight() -> HttpResponse:
    """CORS preflight: a quoted profile in Accept makes browsers ask first."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return response
