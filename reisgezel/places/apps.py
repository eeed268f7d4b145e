from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "reisgezel.places"
    label = "places"
    verbose_name = "Places"
