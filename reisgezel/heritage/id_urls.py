"""Persistent URIs: /id/<kind>/<id> (unprefixed; content negotiation in id_views)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.heritage.id_views import resolve_uri

app_name = "heritage_id"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:kind>/<str:local_id>", resolve_uri, name="resolve"),
]
