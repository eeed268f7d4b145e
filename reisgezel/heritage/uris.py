"""Persistent URIs of heritage records: SITE_URL/id/<kind>/<id>.

They are the identity of a record in every export (JSON-LD, IIIF, OAI-PMH, DwC-A): build
them here only, so that a change of host is a setting, not a search-and-replace.
"""

from __future__ import annotations

from django.conf import settings

KINDS = ("object", "agent", "concept", "collection", "exhibit", "word")


def persistent_uri(kind: str, local_id: str | int) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of persistent URI: {kind!r}")
    return f"{settings.SITE_URL}/id/{kind}/{local_id}"


def object_uri(pid: str) -> str:
    return persistent_uri("object", pid)


def agent_uri(slug: str) -> str:
    return persistent_uri("agent", slug)


def concept_uri(scheme: str, code: str) -> str:
    return persistent_uri("concept", f"{scheme}:{code}")


def collection_uri(code: str) -> str:
    return persistent_uri("collection", code)


def exhibit_uri(slug: str) -> str:
    return persistent_uri("exhibit", slug)


def word_uri(slug: str) -> str:
    return persistent_uri("word", slug)
