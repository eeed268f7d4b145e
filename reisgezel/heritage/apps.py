from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "reisgezel.heritage"
    label = "heritage"
    verbose_name = "Heritage"

    def ready(self) -> None:
        from reisgezel.heritage.search import ALL_DOCUMENT_TYPES
        from reisgezel.search.registry import register

        for document_type in ALL_DOCUMENT_TYPES:
            register(document_type)
