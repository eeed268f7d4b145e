from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "reisgezel.search"
    label = "search"
    verbose_name = "Search"
