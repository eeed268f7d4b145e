"""Pages of the neighbourhoods app."""

from django.urls import URLPattern, URLResolver

app_name = "neighbourhoods"
urlpatterns: list[URLPattern | URLResolver] = []
