from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "reisgezel.agenda"
    label = "agenda"
    verbose_name = "Agenda"

    def ready(self) -> None:
        from reisgezel.agenda.search import EVENT_DOCUMENTS
        from reisgezel.search.registry import register

        register(EVENT_DOCUMENTS)
