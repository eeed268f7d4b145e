from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "reisgezel.stories"
    label = "stories"
    verbose_name = "Stories"
