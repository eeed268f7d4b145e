from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "reisgezel.interop"
    label = "interop"
    verbose_name = "Open data and imports"
