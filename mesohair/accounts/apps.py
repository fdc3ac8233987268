from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mesohair.accounts"
    label = "accounts"
    verbose_name = "Accounts"
