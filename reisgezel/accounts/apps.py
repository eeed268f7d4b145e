from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reisgezel.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
