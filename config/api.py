"""The JSON API (django-ninja, OpenAPI 3.1 at /api/openapi.json, docs at /api/docs)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Reisgezel API",
    version="1",
    description="The city's cultural agenda: events, places and organisers. "
    "Reads are open; writes need an organisation's API token (Authorization: Bearer rg_...).",
    urls_namespace="api",
)
