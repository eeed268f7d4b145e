from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "reisgezel.agenda"
    label = "agenda"
    verbose_name = "Agenda"
