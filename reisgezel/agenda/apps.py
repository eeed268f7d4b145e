from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "reisgezel.agenda"
    label = "agenda"
    verbose_name = "Agenda"

    def ready(self) -> None:
        from reisgezel.agenda import pages
        from reisgezel.agenda.occurrences import occurrences_follow_place
        from reisgezel.agenda.search import EVENT_DEPENDENCIES, EVENT_DOCUMENTS
        from reisgezel.places.selectors import place_section_register
        from reisgezel.places.services import place_update_listen
        from reisgezel.search.registry import register, register_dependency

        register(EVENT_DOCUMENTS)
        for dependency in EVENT_DEPENDENCIES:
            register_dependency(dependency)
        # The place page asks the apps above it for sections; the agenda adds "what is on here".
        place_section_register("agenda", pages.place_events_section)
        place_update_listen("agenda", occurrences_follow_place)
