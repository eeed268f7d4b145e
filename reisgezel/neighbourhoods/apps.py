from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "reisgezel.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = "Neighbourhoods"
