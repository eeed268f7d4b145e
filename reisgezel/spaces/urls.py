"""Pages of room and studio booking, under /<lang>/spaces/."""

from django.urls import URLPattern, URLResolver

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = []
