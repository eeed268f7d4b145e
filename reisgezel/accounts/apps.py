from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reisgezel.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from reisgezel.accounts.search import ORGANISATION_DEPENDENCIES, ORGANISATION_DOCUMENTS
        from reisgezel.search.registry import register, register_dependency

        register(ORGANISATION_DOCUMENTS)
        for dependency in ORGANISATION_DEPENDENCIES:
            register_dependency(dependency)
