from django.urls import URLPattern, URLResolver, path

from reisgezel.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.results, name="results"),
]
