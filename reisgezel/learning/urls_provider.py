"""Provider pages: the courses an organisation offers, managed by its members."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
