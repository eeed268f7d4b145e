from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "reisgezel.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from reisgezel.accounts.erasure import erasure_step_register
        from reisgezel.stories.account_erasure import STORIES_ERASURE

        erasure_step_register(STORIES_ERASURE)
        from reisgezel.agenda.selectors import EVENT_PAGE
        from reisgezel.core.sections import section_register
        from reisgezel.heritage.services import OBJECT_PAGE
        from reisgezel.places.selectors import place_section_register
        from reisgezel.places.services import place_update_listen
        from reisgezel.search.registry import register
        from reisgezel.stories.pages import (
            event_stories_section,
            object_stories_section,
            place_stories_section,
        )
        from reisgezel.stories.search import STORY_DOCUMENTS
        from reisgezel.stories.services import stories_follow_place

        register(STORY_DOCUMENTS)
        place_update_listen("stories", stories_follow_place)
        place_section_register("stories", place_stories_section)
        section_register(OBJECT_PAGE, "stories", object_stories_section)
        section_register(EVENT_PAGE, "stories", event_stories_section)
