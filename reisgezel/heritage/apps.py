from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "reisgezel.heritage"
    label = "heritage"
    verbose_name = "Heritage"
