from django.apps import AppConfig


class HandsonConfig(AppConfig):
    name = "handson"
    verbose_name = "ハンズオン支援 共通"
