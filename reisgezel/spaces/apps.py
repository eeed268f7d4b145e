from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "reisgezel.spaces"
    label = "spaces"
    verbose_name = "Spaces"
