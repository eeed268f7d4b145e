from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "reisgezel.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = "Neighbourhoods"

    def ready(self) -> None:
        from reisgezel.accounts.erasure import erasure_step_register
        from reisgezel.neighbourhoods.account_erasure import NEIGHBOURHOODS_ERASURE

        erasure_step_register(NEIGHBOURHOODS_ERASURE)
