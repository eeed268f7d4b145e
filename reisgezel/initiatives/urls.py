"""Pages of the initiatives app ("I have an idea")."""

from django.urls import URLPattern, URLResolver

app_name = "initiatives"
urlpatterns: list[URLPattern | URLResolver] = []
