from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "reisgezel.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"
