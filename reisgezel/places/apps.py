from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "reisgezel.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from reisgezel.places.search import PLACE_DOCUMENTS
        from reisgezel.search.registry import register

        register(PLACE_DOCUMENTS)
