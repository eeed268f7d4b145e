from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reisgezel.core"
    label = "core"
    verbose_name = "Reisgezel core"
