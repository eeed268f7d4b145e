from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "reisgezel.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self) -> None:
        from reisgezel.accounts.erasure import erasure_step_register
        from reisgezel.initiatives.account_erasure import INITIATIVES_ERASURE

        erasure_step_register(INITIATIVES_ERASURE)
