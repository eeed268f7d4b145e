"""Pages of the stories app."""

from django.urls import URLPattern, URLResolver

app_name = "stories"
urlpatterns: list[URLPattern | URLResolver] = []
